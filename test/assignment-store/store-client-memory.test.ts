// The store client's memory stays bounded however many distinct users it serves (100,000 here).
import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AssignmentStore, RememberedAssignments, StoredAssignment } from '../../src/assignment-store/assignment-store.js';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import { STORE_DEFAULTS } from '../../src/assignment-store/store-client-options.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Answers every key with three remembered sets, as a database full of users would, holding nothing itself. */
const everyoneKnown: AssignmentStore = {
  load: (key: string): Promise<RememberedAssignments> => {
    const at = new Date(1000);
    const sets = new Map<string, StoredAssignment>();
    for (const setName of ['delay', 'pricing', 'checkout'])
      sets.set(setName, { variant: `${setName}-${key.length % 3}`, assignedAt: at, how: 'hash' });
    return Promise.resolve(sets);
  },
  save: () => Promise.resolve(),
  alias: () => Promise.resolve(),
  aliasOf: () => Promise.resolve(null),
};

describe('StoreClient memory', () => {
  it('holds at most cache.maxEntries users, with a heap that stops growing, over 100,000 distinct users', async function () {
    this.timeout(120_000);
    const client = new StoreClient(everyoneKnown, { onError: () => undefined });
    const serve = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 1000) {
        const loads: Promise<unknown>[] = [];
        for (let j = i; j < Math.min(to, i + 1000); j++) {
          const key = `user-${j}`;
          loads.push(client.load(key));
          client.save([{ key, setName: 'new-test', variant: 'on', assignedAt: new Date(), how: 'hash' }]);
        }
        await Promise.all(loads);
        await client.flush();
      }
    };
    // Fill the cache (two generations of maxEntries / 2), then measure from there.
    await serve(0, 2 * STORE_DEFAULTS.cacheMaxEntries);
    const full = heapAfterGc();
    await serve(2 * STORE_DEFAULTS.cacheMaxEntries, 100_000);
    const after = heapAfterGc();
    const stats = client.stats;
    expect(stats.misses).to.equal(100_000);
    expect(stats.cached).to.be.at.most(STORE_DEFAULTS.cacheMaxEntries);
    expect(stats).to.deep.include({ written: 100_000, queued: 0, loading: 0 });
    // 80,000 more users than fill the cache: held unbounded, they would take tens of MB.
    const grownMb = (after - full) / 2 ** 20;
    console.log(
      `      heap: ${(full / 2 ** 20).toFixed(1)} MB with the cache full, ${grownMb.toFixed(2)} MB more after 100,000 users; ${stats.cached} cached`,
    );
    expect(grownMb).to.be.below(4);
    await client.close();
  });
});
