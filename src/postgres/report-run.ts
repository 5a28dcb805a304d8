// Runs one report statement in its own read-only transaction with JIT off: compiling it costs seconds and saves less than that.
import type { Queryable } from './queryable.js';
import { inTransaction } from './transaction.js';

/**
 * Runs a report's single statement read-only, with `jit = off` for its transaction only. On
 * PostgreSQL the planner's estimates for these CTEs (unknown distinct persons) pass
 * `jit_above_cost` at a few thousand persons, and LLVM then spends 2–6 s compiling the
 * expressions of a query that reads each row once (measured at 100,000 persons: 5.8 s of JIT in
 * 10.7 s). `work_mem` is raised for the transaction so that the sorts and hashes of a million
 * persons stay in memory (a few nodes of at most 128 MB, for one report). PGlite has no JIT; the
 * settings are accepted and change nothing. On a pool, one lent
 * connection runs the transaction (see `inTransaction`).
 */
export function runReport<Row>(client: Queryable, text: string, params: unknown[]): Promise<{ rows: Row[] }> {
  return inTransaction(client, async (tx) => {
    await tx.query('set transaction read only');
    await tx.query('set local jit = off');
    await tx.query(`set local work_mem = '128MB'`);
    return tx.query<Row>(text, params);
  });
}
