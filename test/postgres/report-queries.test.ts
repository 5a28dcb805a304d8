// The report from SQL: one person per alias chain, their first exposure's variant, conversions only after it; on both databases.
import { expect } from 'chai';
import { migrate, reportCounts, reportCountsAndTimeline, reportTimeline } from '../../src/postgres/index.js';
import type { Queryable } from '../../src/postgres/queryable.js';
import { forEachDatabase } from '../support/databases.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

async function expose(client: Queryable, key: string | null, set: string, variant: string, minute: number): Promise<void> {
  await client.query(
    `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at)
     values ($1, $2, $3, $4, 'hash', true, null, $5)`,
    [key, set, variant, `${key}:${set}:${variant}:${minute}`, at(minute)],
  );
}

async function alias(client: Queryable, anonymous: string, user: string): Promise<void> {
  await client.query('insert into tracks_aliases (anonymous_id, user_key, aliased_at) values ($1, $2, now())', [anonymous, user]);
}

async function buy(client: Queryable, key: string, minute: number, amount = 10): Promise<void> {
  await client.query('insert into purchases (user_id, amount, created_at) values ($1, $2, $3)', [key, amount, at(minute)]);
}

const conversions = { sql: 'select user_id, created_at from purchases where amount > $1', params: [0] };

describe('reportCounts and reportTimeline', () => {
  forEachDatabase((db) => {
    before(async () => {
      const c = db.client;
      await migrate(c);
      await c.query('create table purchases (user_id text not null, amount numeric not null, created_at timestamptz not null)');
      // checkout: control and oneClick.
      await expose(c, 'alice', 'checkout', 'control', 10);
      await buy(c, 'alice', 20); // converted
      await expose(c, 'bob', 'checkout', 'oneClick', 10);
      await buy(c, 'bob', 5); // before his exposure: not a conversion
      await expose(c, 'anon-1', 'checkout', 'oneClick', 5); // carol before logging in…
      await alias(c, 'anon-1', 'carol');
      await expose(c, 'carol', 'checkout', 'control', 15); // …and after: one person, first exposure oneClick
      await buy(c, 'carol', 12);
      await expose(c, 'anon-2', 'checkout', 'control', 30); // dave, seen only anonymously
      await alias(c, 'anon-2', 'dave');
      await buy(c, 'anon-2', 31); // bought before logging in: his conversion all the same
      await expose(c, 'erin', 'checkout', 'oneClick', 10);
      await buy(c, 'erin', 10); // the same instant counts
      await expose(c, 'frank', 'checkout', 'control', 10);
      await buy(c, 'frank', 5);
      await buy(c, 'frank', 40); // the later one counts
      await expose(c, 'henry', 'checkout', 'control', 10);
      await expose(c, 'grace', 'checkout', 'oneClick', 20);
      await buy(c, 'grace', 25, 0); // filtered out by the app's own query (amount > $1)
      await expose(c, null, 'checkout', 'control', 10); // keyless: no person
      await expose(c, 'alice', 'other', 'b', 1); // another set
      // A multi set's members: delay and pricing.
      await expose(c, 'ivan', 'delay', 'control', 10);
      await expose(c, 'anon-3', 'pricing', 'p1', 5);
      await alias(c, 'anon-3', 'ivan'); // ivan is in pricing, where he was first
      await expose(c, 'judy', 'pricing', 'p0', 10);
      await expose(c, 'ken', 'delay', 'long', 10);
      await buy(c, 'ken', 11);
    });

    it('counts each person once, for their first exposure, converted only at or after it', async () => {
      const rows = await reportCounts(db.client, { name: 'checkout' }, { conversions });
      expect(rows).to.deep.equal([
        { set: 'checkout', variant: 'control', users: 4, converted: 3, mixed: 0 },
        { set: 'checkout', variant: 'oneClick', users: 4, converted: 2, mixed: 1 },
      ]);
    });

    it('splits a multi set by member, each person in the member of their first exposure', async () => {
      const rows = await reportCounts(
        db.client,
        { name: 'delay/pricing', members: [{ set: { name: 'delay' } }, { set: { name: 'pricing' } }] },
        { conversions },
      );
      expect(rows).to.deep.equal([
        { set: 'delay', variant: 'long', users: 1, converted: 1, mixed: 0 },
        { set: 'pricing', variant: 'p0', users: 1, converted: 0, mixed: 0 },
        { set: 'pricing', variant: 'p1', users: 1, converted: 0, mixed: 1 },
      ]);
    });

    it('gives the counts as they stood after evenly spaced first exposures', async () => {
      const rows = await reportTimeline(db.client, { name: 'checkout' }, { conversions, points: 2 });
      expect(rows.map((r) => ({ ...r, at: r.at.toISOString() }))).to.deep.equal([
        { at: at(10), set: 'checkout', variant: 'control', users: 3, converted: 0, mixed: 0 },
        { at: at(10), set: 'checkout', variant: 'oneClick', users: 3, converted: 1, mixed: 1 },
        { at: at(30), set: 'checkout', variant: 'control', users: 4, converted: 1, mixed: 0 },
        { at: at(30), set: 'checkout', variant: 'oneClick', users: 4, converted: 2, mixed: 1 },
      ]);
    });

    it('gives the counts and the timeline from one statement, as the two functions give them', async () => {
      const multi = { name: 'delay/pricing', members: [{ set: { name: 'delay' } }, { set: { name: 'pricing' } }] };
      for (const set of [{ name: 'checkout' }, multi, { name: 'nobody' }]) {
        for (const points of [1, 2, 20]) {
          const both = await reportCountsAndTimeline(db.client, set, { conversions, points });
          expect(both.counts).to.deep.equal(await reportCounts(db.client, set, { conversions }));
          expect(both.timeline).to.deep.equal(await reportTimeline(db.client, set, { conversions, points }));
        }
      }
      // frank's purchase at minute 40 comes after the last look (minute 30): in the counts, not the timeline.
      const { counts, timeline } = await reportCountsAndTimeline(db.client, { name: 'checkout' }, { conversions, points: 2 });
      expect(counts.find((r) => r.variant === 'control')!.converted).to.equal(3);
      expect(timeline.at(-2)!.converted).to.equal(1);
    });

    it("resolves a key through one alias only: a person whose own key is aliased on does not take that key's rows", async () => {
      const c = db.client;
      // paul is a person through anon-9; paul is also an anonymous id aliased to quinn (a chain the
      // rule does not follow): rows under "paul" are quinn's, rows under "anon-9" are paul's.
      await expose(c, 'anon-9', 'chain', 'control', 10);
      await alias(c, 'anon-9', 'paul');
      await alias(c, 'paul', 'quinn');
      await expose(c, 'quinn', 'chain', 'b', 10);
      await expose(c, 'rita', 'chain', 'b', 10);
      await alias(c, 'anon-10', 'rita');
      await buy(c, 'paul', 20);
      await buy(c, 'anon-10', 21); // rita's, under the id she had before logging in
      expect(await reportCounts(c, { name: 'chain' }, { conversions })).to.deep.equal([
        { set: 'chain', variant: 'b', users: 2, converted: 2, mixed: 0 },
        { set: 'chain', variant: 'control', users: 1, converted: 0, mixed: 0 },
      ]);
      await buy(c, 'anon-9', 22);
      expect(await reportCounts(c, { name: 'chain' }, { conversions })).to.deep.equal([
        { set: 'chain', variant: 'b', users: 2, converted: 2, mixed: 0 },
        { set: 'chain', variant: 'control', users: 1, converted: 1, mixed: 0 },
      ]);
    });

    it('returns no rows for a set nobody saw, and refuses a conversion query with a terminator', async () => {
      expect(await reportCounts(db.client, { name: 'nobody' }, { conversions })).to.deep.equal([]);
      let error: unknown;
      try {
        await reportCounts(db.client, { name: 'checkout' }, { conversions: { sql: 'select user_id, created_at from purchases;' } });
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/option conversions\.sql is invalid: it ends with ";"/);
    });
  });
});
