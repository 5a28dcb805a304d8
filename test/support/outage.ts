// The outage harness the fault tests share: a PostgreSQL server of the suite's own, killed and restarted under steady traffic.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import type { StoreFailure } from '../../src/assignment-store/store-client-options.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { PostgresServer } from './postgres-server.js';

/** Where a call fell: before the kill, while the server was down, after the restart. */
export type Phase = 'up' | 'down' | 'back';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A suite's own server (killing the run's shared one would fail every other suite) and a migrated pool on it. */
export interface OwnPostgres {
  readonly server: PostgresServer;
  readonly pool: pg.Pool;
}

/** Starts a server of the suite's own in `before`, migrated, with a pool that survives its death; stops both in `after`. */
export function ownPostgresServer(): () => OwnPostgres {
  let own: OwnPostgres | null = null;
  before(async function () {
    this.timeout(120_000);
    const server = await PostgresServer.start();
    const pool = new pg.Pool({ connectionString: server.url(), max: 10, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined); // idle connections die with the server; the pool reconnects
    own = { server, pool };
    await migrate(pool);
  });
  after(async () => {
    await own?.pool.end();
    await own?.server.stop();
  });
  return () => {
    if (own === null) throw new Error('the server is ready in before(), not while the suite is declared');
    return own;
  };
}

/** Store failures counted by operation, as the fault tests' onError sees them. */
export type FailureCounts = Record<StoreFailure['operation'], number>;

/** The store client of the fault tests: a 50 ms load timeout and quick retries, failures counted into `failures`. */
export function faultStoreClient(pool: pg.Pool, failures: FailureCounts, timeoutMs: number): StoreClient {
  return new StoreClient(postgresAssignmentStore(pool), {
    timeoutMs,
    flushIntervalMs: 20,
    retryMs: 20,
    maxRetryMs: 250,
    onError: (_error, info) => void failures[info.operation]++,
  });
}

/** Fresh zero counts of every store operation. */
export function noFailures(): FailureCounts {
  return { load: 0, write: 0, drop: 0, save: 0, alias: 0 };
}

/** How long each phase of an outage lasts, in ms. */
export interface OutagePlan {
  readonly up: number;
  readonly down: number;
  readonly back: number;
}

/**
 * Runs `step(phase)` three at a time, every 10 ms, while `server` is up for `plan.up` ms, then
 * SIGKILLed (the postmaster, as a crash would; its backends follow) for `plan.down`, then restarted
 * on the same data dir and port (crash recovery) for `plan.back`. Resolves, once the traffic has
 * stopped, with the event loop's largest delay in ms.
 */
export async function throughOutage(server: PostgresServer, plan: OutagePlan, step: (phase: Phase) => Promise<void>): Promise<number> {
  let phase: Phase = 'up';
  let running = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const traffic = (async () => {
    while (running) await Promise.all([step(phase), step(phase), step(phase), sleep(10)]);
  })();
  await sleep(plan.up);
  phase = 'down';
  await server.kill('SIGKILL');
  await sleep(plan.down);
  await server.restart();
  phase = 'back';
  await sleep(plan.back);
  running = false;
  await traffic;
  loopDelay.disable();
  return loopDelay.max / 1e6;
}
