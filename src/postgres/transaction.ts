// Runs work in one transaction on ONE connection, whatever the client: a pg Pool, a pg Client, PGlite.
import type { Queryable } from './queryable.js';

/** A pool that hands out one connection at a time (a `pg` Pool): recognised by `connect()` and its counters. */
export interface ConnectionPool extends Queryable {
  connect(): Promise<PooledConnection>;
  readonly totalCount: number;
}

/** A connection borrowed from a pool; `release(error)` returns it (a truthy error discards it). */
export interface PooledConnection extends Queryable {
  release(error?: Error | boolean): void;
}

/** A client that runs a callback inside its own exclusive transaction (PGlite's `transaction`). */
export interface TransactionalClient extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

function isPool(client: Queryable): client is ConnectionPool {
  const c = client as Partial<ConnectionPool>;
  return typeof c.connect === 'function' && typeof c.totalCount === 'number';
}

/**
 * True when `client` lends a connection per statement (a `pg` Pool), so that independent statements
 * given to it at once run at once, each on a connection of its own. A single connection (a `pg`
 * Client, PGlite) runs them one after another, and a transaction open on it would take in the
 * other's statements.
 */
export function lendsConnections(client: Queryable): boolean {
  return isPool(client);
}

/**
 * Runs independent reads, each a function that starts one: all at once where `client` lends a
 * connection per statement (a pool, which queues those past its size), else one after another in
 * the order given (one connection runs one transaction at a time). Settles when every read has:
 * none is still running when the caller closes the client. Resolves to their results in order,
 * or rejects with the first failure in that order.
 * @example const [counts, metrics] = await readTogether(pool, [() => reportCounts(pool, set, options), () => readMetrics(pool)]);
 */
export async function readTogether<T extends readonly unknown[]>(
  client: Queryable,
  reads: readonly [...{ [K in keyof T]: () => Promise<T[K]> }],
): Promise<T> {
  const settled: PromiseSettledResult<unknown>[] = [];
  // Each started inside a promise: a read that throws before returning one is a failure like any other, after the others settle.
  if (lendsConnections(client)) settled.push(...(await Promise.allSettled(reads.map((read) => new Promise<unknown>((resolve) => resolve(read()))))));
  else {
    for (const read of reads) {
      try {
        settled.push({ status: 'fulfilled', value: await read() });
      } catch (reason) {
        settled.push({ status: 'rejected', reason });
        break;
      }
    }
  }
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function isTransactional(client: Queryable): client is TransactionalClient {
  return typeof (client as Partial<TransactionalClient>).transaction === 'function';
}

async function beginCommit<T>(connection: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  await connection.query('begin');
  try {
    const result = await work(connection);
    await connection.query('commit');
    return result;
  } catch (error) {
    // The rollback may fail too (the connection died): the first error is the one to report.
    await connection.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `work` inside a transaction whose every statement goes to the same connection. A pool's
 * `query` may send each statement to another connection (a `begin` on one and a `commit` on
 * another is no transaction at all), so a pool lends one connection for the whole of it and gets
 * it back after, discarded if the work failed. PGlite has a single connection and its own
 * `transaction`, which also keeps other callers' queries out until it ends. Anything else (a `pg`
 * Client, a pool's connection) is taken to be one connection. Detected by shape: no driver is
 * imported.
 */
export async function inTransaction<T>(client: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  if (isTransactional(client)) return client.transaction(work);
  if (!isPool(client)) return beginCommit(client, work);
  const connection = await client.connect();
  let failed: Error | undefined;
  try {
    return await beginCommit(connection, work);
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    connection.release(failed);
  }
}
