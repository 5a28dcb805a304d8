// Fault test over HTTP: PostgreSQL is killed while each framework serves new users; no request fails or waits, no enrolment is lost.
import { expect } from 'chai';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import request from 'supertest';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import type { StoreFailure } from '../../src/assignment-store/store-client-options.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { PostgresServer } from '../support/postgres-server.js';
import { Delay, FRAMEWORKS, startStoreApp, type Seen } from './store-apps.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const TIMEOUT_MS = 50;
// What a request may take beyond the store's timeout: the HTTP round trip in this same process,
// and timers that fire late on a busy machine (2 cores, many test runs). Far below what waiting
// for the dead server would take (the pool's 2 s connection timeout).
const SLACK_MS = 500;

type Phase = 'up' | 'down' | 'back';
interface Answered {
  phase: Phase;
  ms: number;
  status: number;
  body: { delay: Seen; pricing: Seen } | null;
}

describe('the middleware while PostgreSQL is killed and restarted, over HTTP', function () {
  this.timeout(300_000);
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

  for (const framework of FRAMEWORKS) {
    it(`on ${framework}: answers every request within the timeout, fails none, and stores every enrolment made meanwhile`, async () => {
      const failures: Record<StoreFailure['operation'], number> = { load: 0, write: 0, drop: 0, save: 0, alias: 0, claim: 0, replace: 0 };
      const client = new StoreClient(postgresAssignmentStore(pool), {
        timeoutMs: TIMEOUT_MS,
        flushIntervalMs: 20,
        retryMs: 20,
        maxRetryMs: 250,
        onError: (_error, info) => void failures[info.operation]++,
      });
      const app = await startStoreApp(framework, Delay, { store: client });
      const http = request(app.url);
      let phase: Phase = 'up';
      let n = 0;
      let peakQueued = 0;
      const answered: Answered[] = [];

      // One request of a new user (now and then a returning one with no cookie): loaded, then enrolled in two sets.
      const visit = async (): Promise<void> => {
        const at = phase;
        const i = n++;
        const key = `${framework}-fault-${i % 5 === 4 ? i - 4 : i}`;
        const started = performance.now();
        const res = await http.get('/both').set('x-user-id', key);
        answered.push({
          phase: at,
          ms: performance.now() - started,
          status: res.status,
          body: res.status === 200 ? (res.body as Answered['body']) : null,
        });
        peakQueued = Math.max(peakQueued, client.stats.queued);
      };
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      let running = true;
      const traffic = (async () => {
        while (running) await Promise.all([visit(), visit(), visit(), sleep(10)]);
      })();

      await sleep(700);
      phase = 'down';
      await server.kill('SIGKILL'); // the postmaster, as a crash would; its backends follow
      await sleep(1500);
      await server.restart(); // same data dir, same port: crash recovery, then connections again
      phase = 'back';
      await sleep(800);
      running = false;
      await traffic;
      loopDelay.disable();
      await app.close();

      const queuedAtEnd = client.stats.queued;
      expect(await client.flush(30_000)).to.equal(true);
      const stats = client.stats;
      // A returning user whose load failed is hashed again (to the same variant): count users and sets, not answers.
      const enrolled = answered.flatMap((a) => (a.body ? [['delay', a.body.delay] as const, ['pricing', a.body.pricing] as const] : []));
      const enrolments = [...new Set(enrolled.filter(([, s]) => s.reason === 'hash').map(([set, s]) => `${s.key}:${set}`))];
      const keys = new Set(answered.flatMap((a) => (a.body ? [a.body.delay.key] : [])));
      const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from tracks_assignments where user_key like $1`, [
        `${framework}-fault-%`,
      ]);
      const inPhase = (p: Phase): Answered[] => answered.filter((a) => a.phase === p);
      const slowest = Math.max(...answered.map((a) => a.ms));
      console.log(
        `      ${framework}: requests ${answered.length} (up ${inPhase('up').length}, down ${inPhase('down').length}, back ${inPhase('back').length}); ` +
          `slowest ${slowest.toFixed(0)} ms (bound ${TIMEOUT_MS} + ${SLACK_MS} ms; event loop delay at most ${(loopDelay.max / 1e6).toFixed(0)} ms)\n` +
          `      enrolments ${enrolments.length} of ${keys.size} users, rows in the table ${rows[0]!.n}; queued at most ${peakQueued}, when traffic stopped ${queuedAtEnd}; ` +
          `stats ${JSON.stringify({ misses: stats.misses, hits: stats.hits, timeouts: stats.timeouts, errors: stats.errors, written: stats.written, failures: stats.failures, retries: stats.retries, dropped: stats.dropped })}; ` +
          `onError ${JSON.stringify(failures)}`,
      );

      expect(answered.filter((a) => a.status !== 200)).to.deep.equal([]);
      expect(answered.filter((a) => a.ms > TIMEOUT_MS + SLACK_MS).map((a) => [a.phase, Math.round(a.ms)])).to.deep.equal([]);
      expect(inPhase('down').length).to.be.above(30);
      // Every enrolment made before, during and after the outage is in the database, once.
      expect(rows[0]!.n).to.equal(enrolments.length);
      expect(stats).to.deep.include({ queued: 0, dropped: 0 });
      expect(stats.written).to.be.at.least(enrolments.length);
      expect(peakQueued).to.be.above(30); // the enrolments made while it was down waited in the queue
      expect(stats.failures).to.be.above(0);
      expect(stats.retries).to.be.at.least(1);
      expect(stats.timeouts + stats.errors).to.be.above(0);
      expect(failures.write).to.equal(stats.failures);
      await client.close();
    });
  }
});
