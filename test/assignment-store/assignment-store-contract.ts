// The assignment store contract, run against every store: load, save with first-write-wins, alias.
import { expect } from 'chai';
import type { AliasRecord, AssignmentStore, UserAssignment } from '../../src/assignment-store/assignment-store.js';

const at = (ms: number): Date => new Date(Date.UTC(2025, 0, 1) + ms);

function record(key: string, setName: string, variant: string, ms = 0, how: UserAssignment['how'] = 'hash'): UserAssignment {
  return { key, setName, variant, assignedAt: at(ms), how };
}

type Shown = Record<string, [string, number, string]>;

/** What a load shows, as plain data for deep equality (own properties, so `__proto__` is just a name). */
async function shown(store: AssignmentStore, key: string): Promise<Shown> {
  const out: Shown = {};
  for (const [setName, a] of await store.load(key))
    Object.defineProperty(out, setName, { value: [a.variant, a.assignedAt.getTime(), a.how], enumerable: true });
  return out;
}

/** One set's expectation as an own property, `__proto__` included. */
function only(setName: string, value: [string, number, string]): Shown {
  const shown: Shown = {};
  return Object.defineProperty(shown, setName, { value, enumerable: true });
}

/**
 * Declares the contract's tests. `store()` gives the store under test (ready in `before`); each
 * test uses keys of its own, so the suite may share one store.
 */
export function runAssignmentStoreContract(store: () => AssignmentStore): void {
  describe('the assignment store contract', () => {
    it('loads an empty map for a key it has never seen', async () => {
      const loaded = await store().load('nobody');
      expect(loaded).to.be.instanceOf(Map);
      expect(loaded.size).to.equal(0);
    });

    it('remembers the variant, when it was first assigned and how, per key and set', async () => {
      await store().save([record('u1', 'delay', 'long', 5), record('u1', 'pricing', 'cheap', 7, 'anonymous'), record('u2', 'delay', 'short', 9)]);
      expect(await shown(store(), 'u1')).to.deep.equal({
        delay: ['long', at(5).getTime(), 'hash'],
        pricing: ['cheap', at(7).getTime(), 'anonymous'],
      });
      expect(await shown(store(), 'u2')).to.deep.equal({ delay: ['short', at(9).getTime(), 'hash'] });
    });

    it('keeps the first record when another save names another variant (first write wins)', async () => {
      await store().save([record('fw', 'delay', 'long', 1)]);
      await store().save([record('fw', 'delay', 'short', 2, 'anonymous'), record('fw', 'pricing', 'cheap', 3)]);
      expect(await shown(store(), 'fw')).to.deep.equal({
        delay: ['long', at(1).getTime(), 'hash'],
        pricing: ['cheap', at(3).getTime(), 'hash'],
      });
    });

    it('counts the first record of a key and set within one batch', async () => {
      await store().save([record('batch', 'delay', 'short', 1), record('batch', 'delay', 'long', 2)]);
      expect(await shown(store(), 'batch')).to.deep.equal({ delay: ['short', at(1).getTime(), 'hash'] });
    });

    it('saves a batch of many keys at once, and the same batch twice as once', async () => {
      const batch = Array.from({ length: 1200 }, (_, i) => record(`many-${i}`, i % 2 ? 'delay' : 'pricing', `v${i % 7}`, i));
      await store().save(batch);
      await store().save(batch);
      for (const i of [0, 1, 599, 1199]) {
        expect(await shown(store(), `many-${i}`)).to.deep.equal({ [i % 2 ? 'delay' : 'pricing']: [`v${i % 7}`, at(i).getTime(), 'hash'] });
      }
    });

    it('treats keys and names as exact strings, quotes and prototype names included', async () => {
      const odd = ['', '42', ' 42', "o'brien", 'a\\b', 'ünïcødé 🥥', '__proto__'];
      await store().save(odd.map((key, i) => record(key, i % 2 ? '__proto__' : 'constructor', `v'${i}`, i)));
      for (const [i, key] of odd.entries()) {
        expect(await shown(store(), key)).to.deep.equal(only(i % 2 ? '__proto__' : 'constructor', [`v'${i}`, at(i).getTime(), 'hash']));
      }
      expect(({} as Record<string, unknown>).variant).to.equal(undefined);
    });

    it('accepts an empty batch', async () => {
      await store().save([]);
      await store().alias([]);
    });

    it('refuses a batch with a forced or malformed record whole, saving none of it', async () => {
      const forced = { ...record('bad-1', 'delay', 'long'), how: 'forced' } as unknown as UserAssignment;
      await store()
        .save([record('bad-0', 'delay', 'long'), forced])
        .then(
          () => expect.fail('save should reject'),
          (error: Error) => expect(error.message).to.match(/record 1 is invalid: how must be 'hash' or 'anonymous'/),
        );
      const nul = record('bad\u0000key', 'delay', 'long');
      await store()
        .save([nul])
        .then(
          () => expect.fail('save should reject'),
          (error: Error) => expect(error.message).to.match(/NUL/),
        );
      expect(await shown(store(), 'bad-0')).to.deep.equal({});
    });

    it('hands out copies: changing a loaded map changes nothing stored', async () => {
      await store().save([record('copy', 'delay', 'long')]);
      const loaded = (await store().load('copy')) as Map<string, unknown>;
      loaded.delete('delay');
      expect(await shown(store(), 'copy')).to.have.keys('delay');
    });

    it('records aliases, the first one winning for an anonymous id', async () => {
      const alias = (anonymousId: string, key: string): AliasRecord => ({ anonymousId, key, aliasedAt: at(0) });
      expect(await store().aliasOf('anon-1')).to.equal(null);
      await store().alias([alias('anon-1', 'user-1'), alias('anon-2', 'user-1'), alias('anon-1', 'user-9')]);
      await store().alias([alias('anon-2', 'user-2'), alias('anon-3', '')]);
      expect(await store().aliasOf('anon-1')).to.equal('user-1');
      expect(await store().aliasOf('anon-2')).to.equal('user-1');
      expect(await store().aliasOf('anon-3')).to.equal('');
    });

    it('replaces a record only while it still names the removed variant (compare and set)', async () => {
      await store().save([record('sup-1', 'delay', 'medium', 1), record('sup-2', 'delay', 'long', 2)]);
      const replacing = (key: string, variant: string, ms: number): UserAssignment & { replaces: string } => ({
        ...record(key, 'delay', variant, ms),
        replaces: 'medium',
      });
      await store().replace!([replacing('sup-1', 'short', 10), replacing('sup-2', 'short', 11), replacing('sup-3', 'short', 12)]);
      // A second server re-hashing the same user later changes nothing more.
      await store().replace!([replacing('sup-1', 'long', 20)]);
      expect(await shown(store(), 'sup-1')).to.deep.equal({ delay: ['short', at(10).getTime(), 'hash'] });
      expect(await shown(store(), 'sup-2')).to.deep.equal({ delay: ['long', at(2).getTime(), 'hash'] });
      expect(await shown(store(), 'sup-3')).to.deep.equal({});
    });
  });
}
