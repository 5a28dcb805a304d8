// Two servers enrol the same users at the same moment with different variants: the first record wins, none flips.
import { expect } from 'chai';
import type { AssignmentStore, UserAssignment } from '../../src/assignment-store/assignment-store.js';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';

const KEYS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Each server's records carry its own variant and its own timestamp, so a mixed row would show. */
function enrol(keys: readonly string[], variant: 'cheap' | 'expensive'): UserAssignment[] {
  const assignedAt = new Date(variant === 'cheap' ? 1_000 : 2_000);
  return keys.map((key) => ({ key, setName: 'pricing', variant, assignedAt, how: 'hash' }));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

async function variantsOf(store: AssignmentStore, keys: readonly string[]): Promise<string[]> {
  return Promise.all(keys.map(async (k) => (await store.load(k)).get('pricing')?.variant ?? 'none'));
}

describe('first write wins across servers', () => {
  forEachDatabase((db) => {
    let a: AssignmentStore;
    let b: AssignmentStore;
    before(async () => {
      await migrate(db.client);
      a = postgresAssignmentStore(db.client);
      b = postgresAssignmentStore(db.connect());
    });

    it('keeps one whole record per user when two servers save different variants at once, and none flips after', async () => {
      // Server A walks the users forwards and B backwards, in batches of 50, all in flight together.
      const fromA = chunks(enrol(KEYS, 'cheap'), 50);
      const fromB = chunks(enrol([...KEYS].reverse(), 'expensive'), 50);
      await Promise.all([...fromA.map((batch) => a.save(batch)), ...fromB.map((batch) => b.save(batch))]);

      const { rows } = await db.client.query<{ variant: string; ms: string; n: number }>(
        `select variant, (extract(epoch from assigned_at) * 1000)::bigint::text as ms, count(*)::int as n
           from tracks_assignments where set_name = 'pricing' group by 1, 2 order by 1`,
      );
      // Every user has exactly one row, and each row is one server's record whole.
      expect(rows.reduce((sum, r) => sum + r.n, 0)).to.equal(KEYS.length);
      for (const r of rows) expect([`cheap:1000`, `expensive:2000`]).to.include(`${r.variant}:${r.ms}`);

      // Both servers read the same winner for every user.
      const seenByA = await variantsOf(a, KEYS);
      expect(await variantsOf(b, KEYS)).to.deep.equal(seenByA);

      // A second round, each server now saving the other's variant, changes nothing.
      await Promise.all([a.save(enrol(KEYS, 'expensive')), b.save(enrol(KEYS, 'cheap'))]);
      expect(await variantsOf(a, KEYS)).to.deep.equal(seenByA);
    });

    it('converges through two store clients: after the race, every client serves the winner', async () => {
      const keys = KEYS.map((k) => `client-${k}`).slice(0, 500);
      const options = { cache: { ttlMs: 300 }, flushIntervalMs: 5, maxBatch: 40, onError: () => undefined };
      const one = new StoreClient(postgresAssignmentStore(db.client), options);
      const two = new StoreClient(postgresAssignmentStore(db.connect()), options);
      // Both processes load first (the users are new to both), then enrol them at once.
      await Promise.all(keys.flatMap((k) => [one.load(k), two.load(k)]));
      one.save(enrol(keys, 'cheap'));
      two.save(enrol([...keys].reverse(), 'expensive'));
      expect(await Promise.all([one.flush(10_000), two.flush(10_000)])).to.deep.equal([true, true]);

      const winners = await variantsOf(a, keys);
      expect(winners.filter((v) => v === 'none')).to.deep.equal([]);
      // Each process sees its own write at once; once its cache entry expires it reads the winner.
      await sleep(350);
      const served = async (client: StoreClient): Promise<string[]> =>
        Promise.all(keys.map(async (k) => (await client.load(k))?.get('pricing')?.variant ?? 'unknown'));
      let fromOne = await served(one);
      let fromTwo = await served(two);
      // On a loaded machine a load may time out (50 ms): ask again until none does.
      for (let i = 0; i < 20 && [...fromOne, ...fromTwo].includes('unknown'); i++) [fromOne, fromTwo] = [await served(one), await served(two)];
      expect(fromOne).to.deep.equal(winners);
      expect(fromTwo).to.deep.equal(winners);
      await Promise.all([one.close(), two.close()]);
    });
  });
});
