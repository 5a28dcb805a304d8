// Fault test over HTTP: the store's server (PostgreSQL, Redis) is killed while each framework serves new users; no request fails or waits, no enrolment is lost.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { faultStoreClient, noFailures, ownStoreServer, throughOutage, type Phase } from '../support/outage.js';
import { scenarioStores } from '../support/scenario-stores.js';
import { Delay, FRAMEWORKS, startStoreApp, type Seen } from '../support/store-apps.js';

const TIMEOUT_MS = 50;
// What a request may take beyond the store's timeout: the HTTP round trip in this same process,
// and timers that fire late on a busy machine (2 cores, many test runs). Far below what waiting
// for the dead server would take (a 2 s connection timeout).
const SLACK_MS = 500;
// A request that waited for the dead server would take the 2 s connection timeout: whatever the
// machine's load, the bound stays below it.
const CEILING_MS = 1_500;

interface Answered {
  phase: Phase;
  ms: number;
  status: number;
  body: { delay: Seen; pricing: Seen } | null;
}

for (const backend of scenarioStores())
  describe(`the middleware while ${backend.name} is killed and restarted, over HTTP`, function () {
    this.timeout(300_000);
    ownStoreServer(backend);

    for (const framework of FRAMEWORKS) {
      it(`on ${framework}: answers every request within the timeout, fails none, and stores every enrolment made meanwhile`, async () => {
        const failures = noFailures();
        const client = faultStoreClient(backend.store(), failures, TIMEOUT_MS);
        const app = await startStoreApp(framework, Delay, { store: client });
        const http = request(app.url);
        let n = 0;
        let peakQueued = 0;
        const answered: Answered[] = [];

        // One request of a new user (now and then a returning one with no cookie): loaded, then enrolled in two sets.
        const visit = async (at: Phase): Promise<void> => {
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
        const loopDelayMs = await throughOutage(backend, { up: 700, down: 1500, back: 800 }, visit);
        await app.close();

        const queuedAtEnd = client.stats.queued;
        expect(await client.flush(30_000)).to.equal(true);
        const stats = client.stats;
        // A returning user whose load failed is hashed again (to the same variant): count users and sets, not answers.
        const enrolled = answered.flatMap((a) => (a.body ? [['delay', a.body.delay] as const, ['pricing', a.body.pricing] as const] : []));
        const enrolments = [...new Set(enrolled.filter(([, s]) => s.reason === 'hash').map(([set, s]) => `${s.key}:${set}`))];
        const keys = new Set(answered.flatMap((a) => (a.body ? [a.body.delay.key] : [])));
        const stored = await backend.count(`${framework}-fault-`);
        const inPhase = (p: Phase): Answered[] => answered.filter((a) => a.phase === p);
        const slowest = Math.max(...answered.map((a) => a.ms));
        // Timers fire late by as much as the event loop was blocked (measured over the run): that delay is the machine's, not the store's.
        const bound = Math.min(TIMEOUT_MS + SLACK_MS + loopDelayMs, CEILING_MS);
        console.log(
          `      ${framework}: requests ${answered.length} (up ${inPhase('up').length}, down ${inPhase('down').length}, back ${inPhase('back').length}); ` +
            `slowest ${slowest.toFixed(0)} ms (bound ${bound.toFixed(0)} ms: ${TIMEOUT_MS} + ${SLACK_MS} + event loop delay at most ${loopDelayMs.toFixed(0)} ms, at most ${CEILING_MS})\n` +
            `      enrolments ${enrolments.length} of ${keys.size} users, records in the store ${stored}; queued at most ${peakQueued}, when traffic stopped ${queuedAtEnd}; ` +
            `stats ${JSON.stringify({ misses: stats.misses, hits: stats.hits, timeouts: stats.timeouts, errors: stats.errors, written: stats.written, failures: stats.failures, retries: stats.retries, dropped: stats.dropped })}; ` +
            `onError ${JSON.stringify(failures)}`,
        );

        expect(answered.filter((a) => a.status !== 200)).to.deep.equal([]);
        expect(answered.filter((a) => a.ms > bound).map((a) => [a.phase, Math.round(a.ms)])).to.deep.equal([]);
        expect(inPhase('down').length).to.be.above(30);
        // Every enrolment made before, during and after the outage is in the database, once.
        expect(stored).to.equal(enrolments.length);
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
