// 12 kB keys from a header, 20,000 distinct users through a real Koa server with a store and an exposure log: the heap stays flat.
import { expect } from 'chai';
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import { StoreClient, type AssignmentStore } from '../../src/index.js';
import { Delay, startStoreApp } from '../support/store-apps.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const REQUESTS = 20_000;
const KEY_LENGTH = 12_000;
const CONCURRENCY = 8;

/** A store that knows every user and holds nothing: each user is a load, then a cache entry. */
const emptyStore: AssignmentStore = {
  load: () => Promise.resolve(new Map()),
  save: () => Promise.resolve(),
  alias: () => Promise.resolve(),
  aliasOf: () => Promise.resolve(null),
};

/** Heap in use after two full collections, in MiB. */
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('memory with 12 kB keys from a header', function () {
  this.timeout(180_000);

  it('keeps the heap flat over 20,000 distinct users: the memo, the store cache and the exposure dedupe are bounded in bytes', async () => {
    let rows = 0;
    const log = exposureLog({ sink: { write: (batch) => void (rows += batch.length) }, flushIntervalMs: 50 });
    // Records of 12 kB keys are refused at save (longer than a store holds): told to onError, not stored.
    let refused = 0;
    const store = new StoreClient(emptyStore, { cache: { ttlMs: 3_600_000 }, onError: () => void refused++ });
    const codes = new Set<unknown>();
    const app = await startStoreApp('koa', Delay, { store, onExposure: log, onError: (error) => void codes.add((error as { code?: unknown }).code) });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const port = Number(new URL(app.url).port);
    const padding = 'k'.repeat(KEY_LENGTH - 16);
    const get = (i: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/both', agent, headers: { 'x-user-id': `${String(i).padStart(15, '0')}-${padding}` } },
          (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.once('error', reject);
        req.end();
      });
    let next = 0;
    const run = async (upTo: number): Promise<void> => {
      const worker = async (): Promise<void> => {
        while (next < upTo) expect(await get(next++)).to.equal(200);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await log.flush();
    };
    try {
      await run(REQUESTS / 5);
      const early = heapMiB();
      await run(REQUESTS);
      const late = heapMiB();
      // Each user's key is 12 kB: unbounded by bytes, 16,000 more of them would add hundreds of MiB.
      console.log(`      heap after ${REQUESTS / 5} users ${early.toFixed(1)} MiB, after ${REQUESTS} ${late.toFixed(1)} MiB`);
      expect(late - early).to.be.below(24);
      // The key rule refuses a 12 kB key at its source (longer than a store holds): each request goes
      // on unidentified, nothing is loaded, cached or logged for it. The memos' own byte bounds are
      // pinned with 12 kB keys directly in test/bounded/bounded-memo.test.ts.
      expect(codes.has('ERR_TRACKS_INVALID_KEY')).to.equal(true);
      expect(rows).to.equal(0);
      expect(store.stats.misses).to.equal(0);
      expect(refused).to.equal(0);
    } finally {
      agent.destroy();
      await app.close();
      await log.close();
      await store.close();
    }
  });
});
