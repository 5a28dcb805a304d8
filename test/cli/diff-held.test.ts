// `tracks-ab diff`'s held users read in pages: the same counts at every page size as one pass over the rows, for a set and a multi set.
import { expect } from 'chai';
import { shiftsOf } from '../../src/cli/diff.js';
import { hashedName } from '../../src/cli/diff-shares.js';
import { heldUsers } from '../../src/cli/diff-held.js';
import { compile } from '../../src/engine/compile.js';
import { MultiTrackSet, SimpleTrackSet } from '../../src/index.js';
import { migrate } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';

class OldPricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): void {}
  static dearTrack(): void {}
}
class NewPricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static override weights = { control: 3, cheap: 1, dear: 1 };
  static cheapTrack(): void {}
  static dearTrack(): void {}
}
class A extends SimpleTrackSet {
  static override setName = 'member-a';
  static onTrack(): void {}
}
class B extends SimpleTrackSet {
  static override setName = 'member-b';
  static onTrack(): void {}
}
// The new version gives member-a three times member-b's share.
class WideA extends SimpleTrackSet {
  static override setName = 'member-a';
  static override weight = 3;
  static onTrack(): void {}
}
class OldExp extends MultiTrackSet {
  static override setName = 'exp';
  static override trackSets = [A, B];
}
class NewExp extends MultiTrackSet {
  static override setName = 'exp';
  static override trackSets = [WideA, B];
}

const byName = (...classes: (typeof OldPricing | typeof OldExp)[]) => {
  const map = new Map<string, ReturnType<typeof compile>>();
  for (const cls of classes) map.set(cls.setName, compile(cls));
  return map;
};

interface Exposure {
  key: string;
  set: string;
  variant: string;
  at: number;
  multi: string | null;
}

describe('tracks-ab diff: held users in pages', function () {
  this.timeout(60_000);
  forEachDatabase((db) => {
    const stored: { key: string; set: string; variant: string }[] = [];
    const exposures: Exposure[] = [];

    before(async () => {
      await migrate(db.client);
      // Stored users of pricing; users only the log knows (some also stored), some exposed twice, one tie.
      for (let i = 0; i < 53; i++) stored.push({ key: `u${i}`, set: 'pricing', variant: ['control', 'cheap', 'dear'][i % 3]! });
      for (let i = 0; i < 8; i++) stored.push({ key: `m${i * 5}`, set: 'exp', variant: i % 2 ? 'member-a' : 'member-b' });
      for (let i = 40; i < 97; i++) {
        exposures.push({ key: `u${i}`, set: 'pricing', variant: ['control', 'cheap', 'dear'][i % 3]!, at: 1000 + i, multi: null });
        if (i % 7 === 0)
          exposures.push({ key: `u${i}`, set: 'pricing', variant: ['control', 'cheap', 'dear'][(i + 1) % 3]!, at: 900 + i, multi: null });
      }
      // Multi set members: persons in one member, in both (the earlier wins), and a tie (the smaller member name wins).
      for (let i = 0; i < 61; i++) {
        exposures.push({ key: `m${i}`, set: i % 2 ? 'member-a' : 'member-b', variant: 'on', at: 2000 + i, multi: 'exp' });
        if (i % 4 === 0)
          exposures.push({ key: `m${i}`, set: i % 2 ? 'member-b' : 'member-a', variant: 'on', at: 2000 + i + (i % 8 === 0 ? -1 : 1), multi: 'exp' });
        if (i === 30) exposures.push({ key: `m${i}`, set: 'member-a', variant: 'control', at: 2000 + i, multi: 'exp' });
      }
      // A standalone set of a member's name is not the multi set's.
      exposures.push({ key: 'm1', set: 'member-b', variant: 'control', at: 1, multi: null });
      await db.client.query(
        `insert into tracks_assignments (user_key, set_name, variant, assigned_at, how)
         select key, set_name, variant, now(), 'hash' from jsonb_to_recordset($1::jsonb) as r(key text, set_name text, variant text)`,
        [JSON.stringify(stored.map((s) => ({ key: s.key, set_name: s.set, variant: s.variant })))],
      );
      await db.client.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at)
         select key, set_name, variant, 'run-' || n, 'hash', true, multi, timestamptz '2026-01-01' + at * interval '1 second'
         from jsonb_to_recordset($1::jsonb) as r(key text, set_name text, variant text, multi text, at int, n int)`,
        [JSON.stringify(exposures.map((e, n) => ({ key: e.key, set_name: e.set, variant: e.variant, multi: e.multi, at: e.at, n })))],
      );
    });

    /** The counts from the rows themselves: each person at their earliest exposure (ties: set name, then variant), store first. */
    function expected(name: string, set: ReturnType<typeof compile>, members: readonly string[]) {
      const inStore = stored.filter((s) => s.set === name);
      const firsts = new Map<string, Exposure>();
      for (const e of exposures) {
        if (!members.includes(e.set) || e.multi !== (set.kind === 'multi' ? name : null)) continue;
        const seen = firsts.get(e.key);
        const earlier = !seen || e.at < seen.at || (e.at === seen.at && (e.set < seen.set || (e.set === seen.set && e.variant < seen.variant)));
        if (earlier) firsts.set(e.key, e);
      }
      const only = [...firsts.values()].filter((e) => !inStore.some((s) => s.key === e.key));
      const moved = (key: string, variant: string) => hashedName(set, key) !== variant;
      return {
        stored: inStore.length,
        storeKeeps: inStore.filter((s) => moved(s.key, s.variant)).length,
        exposedOnly: only.length,
        cookieKeeps: only.filter((e) => moved(e.key, set.kind === 'multi' ? e.set : e.variant)).length,
      };
    }

    for (const pageSize of [1, 4, 5000]) {
      it(`counts the same at a page size of ${pageSize} as over the rows at once`, async () => {
        const before = byName(OldPricing, OldExp);
        const after = byName(NewPricing, NewExp);
        const held = await heldUsers(db.client, shiftsOf(before, after), before, after, undefined, pageSize);
        const pricing = expected('pricing', after.get('pricing')!, ['pricing']);
        const exp = expected('exp', after.get('exp')!, ['member-a', 'member-b']);
        expect(held.get('pricing')).to.deep.equal(pricing);
        expect(held.get('exp')).to.deep.equal(exp);
        expect([pricing.storeKeeps, pricing.cookieKeeps, exp.exposedOnly, exp.cookieKeeps].every((n) => n > 0)).to.equal(true);
      });
    }
  });
});
