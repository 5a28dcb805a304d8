// Fault test: the PostgreSQL server is killed mid-run and restarted; the store client answers in time and loses no save.
import { expect } from 'chai';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import type { StoreFailure } from '../../src/assignment-store/store-client-options.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { PostgresServer } from '../support/postgres-server.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const TIMEOUT_MS = 50;
// What a call may take beyond the timeout: timers fire late on a busy machine (2 cores, many test
// runs). Far below what waiting for the dead server would take (the pool's 2 s connection timeout).
const LATENESS_MS = 400;

type Phase = 'up' | 'down' | 'back';
interface Call {
  phase: Phase;
  ms: number;
  known: boolean;
}

describe('the store client while PostgreSQL is killed and restarted', function () {
  this.timeout(180_000);
  let server: PostgresServer;
  let pool: pg.Pool;

  before(async () => {
    // A server of its own: killing the run's shared server would fail every other suite.
    server = await PostgresServer.start();
    pool = new pg.Pool({ connectionString: server.url(), max: 10, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined); // idle connections die with the server; the pool reconnects
    await migrate(pool);
  });

  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('answers every call within the timeout, fails none, and writes every save made meanwhile once it is back', async () => {
    const failures: Record<StoreFailure['operation'], number> = { load: 0, write: 0, drop: 0, save: 0, alias: 0, claim: 0, replace: 0 };
    const client = new StoreClient(postgresAssignmentStore(pool), {
      timeoutMs: TIMEOUT_MS,
      flushIntervalMs: 20,
      retryMs: 20,
      maxRetryMs: 250,
      onError: (_error, info) => void failures[info.operation]++,
    });
    let phase: Phase = 'up';
    let saves = 0;
    let threw = 0;
    let peakQueued = 0;
    const calls: Call[] = [];

    // One request: load the user (a new one, or now and then one seen before), then enrol them.
    const request = async (): Promise<void> => {
      const at = phase;
      const n = saves++;
      const key = n % 4 === 3 ? `fault-${n - 3}` : `fault-${n}`;
      const started = performance.now();
      try {
        const remembered = await client.load(key);
        client.save([{ key: `fault-${n}`, setName: 'pricing', variant: n % 2 ? 'cheap' : 'expensive', assignedAt: new Date(), how: 'hash' }]);
        calls.push({ phase: at, ms: performance.now() - started, known: remembered !== null });
        peakQueued = Math.max(peakQueued, client.stats.queued);
      } catch {
        threw++;
      }
    };
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let running = true;
    const traffic = (async () => {
      while (running) await Promise.all([request(), request(), request(), sleep(10)]);
    })();

    await sleep(800);
    phase = 'down';
    await server.kill('SIGKILL'); // the postmaster, as a crash would; its backends follow
    await sleep(1500);
    await server.restart(); // same data dir, same port: crash recovery, then connections again
    phase = 'back';
    await sleep(1000);
    running = false;
    await traffic;
    loopDelay.disable();

    const queuedAtEnd = client.stats.queued;
    expect(await client.flush(30_000)).to.equal(true);
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from tracks_assignments where user_key like 'fault-%'`);
    const stats = client.stats;

    const inPhase = (p: Phase): Call[] => calls.filter((c) => c.phase === p);
    const slowest = Math.max(...calls.map((c) => c.ms));
    console.log(
      `      calls: ${calls.length} (up ${inPhase('up').length}, down ${inPhase('down').length}, back ${inPhase('back').length}); ` +
        `unknown while down ${inPhase('down').filter((c) => !c.known).length}; slowest ${slowest.toFixed(0)} ms (bound ${TIMEOUT_MS} ms + ${LATENESS_MS}; event loop delay at most ${(loopDelay.max / 1e6).toFixed(0)} ms)\n` +
        `      saves: ${saves}, in the table ${rows[0]!.n}; queued at most ${peakQueued}, when traffic stopped ${queuedAtEnd}; ` +
        `stats ${JSON.stringify({ written: stats.written, failures: stats.failures, retries: stats.retries, dropped: stats.dropped, timeouts: stats.timeouts, errors: stats.errors, hits: stats.hits })}; onError ${JSON.stringify(failures)}`,
    );

    expect(threw).to.equal(0);
    expect(calls).to.have.length(saves);
    expect(inPhase('down').length).to.be.above(50);
    expect(calls.filter((c) => c.ms > TIMEOUT_MS + LATENESS_MS)).to.deep.equal([]);
    expect(inPhase('down').filter((c) => !c.known).length).to.be.above(0);
    // Every save made before, during and after the outage is in the database, once.
    expect(rows[0]!.n).to.equal(saves);
    expect(stats).to.deep.include({ written: saves, queued: 0, dropped: 0 });
    expect(peakQueued).to.be.above(50); // the saves made while it was down waited in the queue
    expect(stats.failures).to.be.above(0);
    expect(stats.retries).to.be.at.least(1);
    expect(stats.timeouts + stats.errors).to.equal(calls.filter((c) => !c.known).length);
    expect(failures.write).to.equal(stats.failures);
    await client.close();
  });
});
