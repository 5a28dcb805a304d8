// The outage harness the fault tests share: a store's server of the suite's own (PostgreSQL, Redis), killed and restarted under steady traffic.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import type { StoreFailure } from '../../src/assignment-store/store-client-options.js';
import type { AssignmentStore } from '../../src/assignment-store/assignment-store.js';
import type { ScenarioStore } from './scenario-stores.js';

/** Where a call fell: before the kill, while the server was down, after the restart. */
export type Phase = 'up' | 'down' | 'back';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `backend`'s own server (persistent) in `before`, and stops it in `after`; killing the run's shared server would fail every other suite. */
export function ownStoreServer(backend: ScenarioStore): void {
  before(async function () {
    this.timeout(120_000);
    await backend.startOwn();
  });
  after(() => backend.close());
}

/** Store failures counted by operation, as the fault tests' onError sees them. */
export type FailureCounts = Record<StoreFailure['operation'], number>;

/** The store client of the fault tests: a 50 ms load timeout and quick retries, failures counted into `failures`. */
export function faultStoreClient(store: AssignmentStore, failures: FailureCounts, timeoutMs: number): StoreClient {
  return new StoreClient(store, {
    timeoutMs,
    flushIntervalMs: 20,
    retryMs: 20,
    maxRetryMs: 250,
    onError: (_error, info) => void failures[info.operation]++,
  });
}

/** Fresh zero counts of every store operation. */
export function noFailures(): FailureCounts {
  return { load: 0, write: 0, drop: 0, save: 0, alias: 0, claim: 0, replace: 0 };
}

/** How long each phase of an outage lasts, in ms. */
export interface OutagePlan {
  readonly up: number;
  readonly down: number;
  readonly back: number;
}

/** What an outage kills and restarts: a `PostgresServer`, a `RedisServer`, a `ScenarioStore`'s own server. */
export interface Killable {
  /** Ends the server as a crash would (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same data and port. */
  restart(): Promise<void>;
}

/**
 * Runs `step(phase)` three at a time, every 10 ms, while `server` is up for `plan.up` ms, then
 * SIGKILLed (as a crash would: PostgreSQL's backends follow their postmaster) for `plan.down`,
 * then restarted on the same data and port (crash recovery, or the append-only file read back) for
 * `plan.back`. Resolves, once the traffic has stopped, with the event loop's largest delay in ms.
 */
export async function throughOutage(server: Killable, plan: OutagePlan, step: (phase: Phase) => Promise<void>): Promise<number> {
  let phase: Phase = 'up';
  let running = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const traffic = (async () => {
    while (running) await Promise.all([step(phase), step(phase), step(phase), sleep(10)]);
  })();
  await sleep(plan.up);
  phase = 'down';
  await server.kill();
  await sleep(plan.down);
  await server.restart();
  phase = 'back';
  await sleep(plan.back);
  running = false;
  await traffic;
  loopDelay.disable();
  return loopDelay.max / 1e6;
}
