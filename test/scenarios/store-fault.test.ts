// Fault test: the store's server (PostgreSQL, Redis) is killed mid-run and restarted; the store client answers in time and loses no save.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { faultStoreClient, noFailures, ownStoreServer, throughOutage, type Phase } from '../support/outage.js';
import { scenarioStores } from '../support/scenario-stores.js';

const TIMEOUT_MS = 50;
// What a call may take beyond the timeout: timers fire late on a busy machine (2 cores, many test
// runs). Far below what waiting for the dead server would take (a 2 s connection timeout).
const LATENESS_MS = 400;

interface Call {
  phase: Phase;
  ms: number;
  known: boolean;
}

for (const backend of scenarioStores())
  describe(`the store client while ${backend.name} is killed and restarted`, function () {
    this.timeout(180_000);
    ownStoreServer(backend);

    it('answers every call within the timeout, fails none, and writes every save made meanwhile once it is back', async () => {
      const failures = noFailures();
      const client = faultStoreClient(backend.store(), failures, TIMEOUT_MS);
      let saves = 0;
      let threw = 0;
      let peakQueued = 0;
      const calls: Call[] = [];

      // One request: load the user (a new one, or now and then one seen before), then enrol them.
      const request = async (at: Phase): Promise<void> => {
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
      const loopDelayMs = await throughOutage(backend, { up: 800, down: 1500, back: 1000 }, request);

      const queuedAtEnd = client.stats.queued;
      expect(await client.flush(30_000)).to.equal(true);
      const stored = await backend.count('fault-');
      const stats = client.stats;

      const inPhase = (p: Phase): Call[] => calls.filter((c) => c.phase === p);
      const slowest = Math.max(...calls.map((c) => c.ms));
      console.log(
        `      calls: ${calls.length} (up ${inPhase('up').length}, down ${inPhase('down').length}, back ${inPhase('back').length}); ` +
          `unknown while down ${inPhase('down').filter((c) => !c.known).length}; slowest ${slowest.toFixed(0)} ms (bound ${TIMEOUT_MS} ms + ${LATENESS_MS}; event loop delay at most ${loopDelayMs.toFixed(0)} ms)\n` +
          `      saves: ${saves}, in the store ${stored}; queued at most ${peakQueued}, when traffic stopped ${queuedAtEnd}; ` +
          `stats ${JSON.stringify({ written: stats.written, failures: stats.failures, retries: stats.retries, dropped: stats.dropped, timeouts: stats.timeouts, errors: stats.errors, hits: stats.hits })}; onError ${JSON.stringify(failures)}`,
      );

      expect(threw).to.equal(0);
      expect(calls).to.have.length(saves);
      expect(inPhase('down').length).to.be.above(50);
      expect(calls.filter((c) => c.ms > TIMEOUT_MS + LATENESS_MS)).to.deep.equal([]);
      expect(inPhase('down').filter((c) => !c.known).length).to.be.above(0);
      // Every save made before, during and after the outage is in the database, once.
      expect(stored).to.equal(saves);
      expect(stats).to.deep.include({ written: saves, queued: 0, dropped: 0 });
      expect(peakQueued).to.be.above(50); // the saves made while it was down waited in the queue
      expect(stats.failures).to.be.above(0);
      expect(stats.retries).to.be.at.least(1);
      expect(stats.timeouts + stats.errors).to.equal(calls.filter((c) => !c.known).length);
      expect(failures.write).to.equal(stats.failures);
      await client.close();
    });
  });
