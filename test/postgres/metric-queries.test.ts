// A metric's per-arm sums from SQL against numpy's (scripts/metric-sums-reference.py): aliases, first exposure, windows, CUPED, capping, mixed persons; on both databases.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineMetric, type MetricDeclaration } from '../../src/metrics/index.js';
import { metricInput, metricSums, migrate, reportCounts } from '../../src/postgres/index.js';
import type { MetricSums } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';

interface Fixture {
  exposures: { key: string | null; variant: string; at: string }[];
  aliases: { anonymous_id: string; user_key: string }[];
  orders: { key: string; at: string; amount: number }[];
  cases: { metric: Pick<MetricDeclaration, 'name' | 'kind' | 'windowDays' | 'cap' | 'cuped'>; expected: MetricSums }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/metric-sums.json'), 'utf8')) as Fixture;
const SOURCES = {
  proportion: 'select user_id, paid_at from orders where amount > $1',
  mean: 'select user_id, paid_at, amount from orders where amount > $1',
  ratio: 'select user_id, paid_at, amount, 1 from orders where amount > $1',
};

function close(actual: number | null | undefined, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).to.equal(null);
    return;
  }
  expect(actual, what).to.be.a('number');
  expect(Math.abs(actual! - expected), `${what}: ${actual} against ${expected}`).to.be.at.most(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('metricSums', function () {
  this.timeout(60_000);
  forEachDatabase((db) => {
    before(async () => {
      const c = db.client;
      await migrate(c);
      await c.query('create table orders (user_id text not null, paid_at timestamptz not null, amount numeric not null)');
      await c.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
         select e.key, 'pricing', e.variant, 'run-' || n, 'hash', true, e.at::timestamptz
         from jsonb_to_recordset($1::jsonb) as e(key text, variant text, at text) cross join lateral (select gen_random_uuid()::text as n) r`,
        [JSON.stringify(fixture.exposures)],
      );
      await c.query(
        `insert into tracks_aliases (anonymous_id, user_key, aliased_at) select anonymous_id, user_key, now() from jsonb_to_recordset($1::jsonb) as a(anonymous_id text, user_key text)`,
        [JSON.stringify(fixture.aliases)],
      );
      await c.query(
        `insert into orders select key, at::timestamptz, amount from jsonb_to_recordset($1::jsonb) as o(key text, at text, amount numeric)`,
        [JSON.stringify(fixture.orders)],
      );
    });

    for (const { metric, expected } of fixture.cases) {
      const label = [
        metric.kind,
        metric.windowDays && `${metric.windowDays}-day window`,
        metric.cap && `cap ${JSON.stringify(metric.cap)}`,
        metric.cuped && 'CUPED',
      ]
        .filter(Boolean)
        .join(', ');
      it(`matches numpy for ${metric.name} (${label})`, async () => {
        const declared = defineMetric({ ...metric, source: { sql: SOURCES[metric.kind], params: [0] }, sets: { pricing: 'primary' } });
        const sums = await metricSums(db.client, { name: 'pricing' }, declared);
        expect(sums.mixed).to.equal(expected.mixed);
        close(sums.cap, expected.cap, 'cap');
        close(sums.capX, expected.capX, 'capX');
        expect(sums.arms.map((a) => a.variant)).to.deep.equal(expected.arms.map((a) => a.variant));
        for (const [i, arm] of expected.arms.entries()) {
          const got = sums.arms[i]!;
          expect(got.set).to.equal('pricing');
          expect(got.n, `${arm.variant} n`).to.equal(arm.n);
          for (const key of ['sumY', 'sumY2', 'sumD', 'sumD2', 'sumYD', 'sumX', 'sumX2', 'sumXY'] as const)
            close(got[key], arm[key], `${arm.variant} ${key}`);
        }
      });
    }

    it('counts as many persons as reportCounts, less the mixed ones', async () => {
      const counts = await reportCounts(db.client, { name: 'pricing' }, { conversions: { sql: 'select user_id, paid_at from orders' } });
      const declared = defineMetric({
        name: 'any',
        kind: 'proportion',
        source: { sql: SOURCES.proportion, params: [0] },
        sets: { pricing: 'primary' },
      });
      const sums = await metricSums(db.client, { name: 'pricing' }, declared);
      expect(sums.arms.map((a) => a.n)).to.deep.equal(counts.map((c) => c.users - c.mixed));
      for (const [i, arm] of sums.arms.entries()) expect(arm.sumY).to.be.at.most(counts[i]!.converted);
      expect(sums.mixed).to.equal(counts.reduce((s, c) => s + c.mixed, 0));
    });

    it('gives metricInput the role, margin, direction and minimum effect declared for the set, and the sums', async () => {
      const declared = defineMetric({
        name: 'rev',
        kind: 'mean',
        source: { sql: SOURCES.mean, params: [0] },
        higherIsBetter: false,
        minimumEffect: 0.04,
        sets: { pricing: { role: 'guardrail', margin: 0.03 } },
      });
      const input = await metricInput(db.client, { name: 'pricing' }, declared);
      const sums = await metricSums(db.client, { name: 'pricing' }, declared);
      expect(input).to.deep.include({ name: 'rev', kind: 'mean', role: 'guardrail', margin: 0.03, higherIsBetter: false, minimumEffect: 0.04 });
      expect(input.arms.map((a) => a.n)).to.have.members(sums.arms.map((a) => a.n));
      const plain = await metricInput(
        db.client,
        { name: 'pricing' },
        defineMetric({ name: 'rev', kind: 'mean', source: { sql: SOURCES.mean, params: [0] }, sets: { pricing: 'primary' } }),
      );
      expect(plain).not.to.have.property('minimumEffect');
      expect(plain).not.to.have.property('margin');
    });

    it('counts the persons of a member over its multi set with within: once, in their first member, mixed across members left out', async () => {
      const rows: [string, string, string, number][] = [
        // [person, member, variant, minute]: p3 and p8 are exposed in both members (p8 first in ma).
        ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((p, i): [string, string, string, number] => [p, 'ma', i % 2 ? 'on' : 'control', i]),
        ...['p7', 'p8', 'p9', 'p10'].map((p, i): [string, string, string, number] => [p, 'mb', 'on', 10 + i]),
        ['p3', 'mb', 'on', 20],
        ['p8', 'ma', 'control', 5],
      ];
      await db.client.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at)
         select p, m, v, 'w-' || p || m, 'hash', true, 'mx', timestamptz '2026-01-05' + t * interval '1 minute'
         from jsonb_to_recordset($1::jsonb) as r(p text, m text, v text, t int)`,
        [JSON.stringify(rows.map(([p, m, v, t]) => ({ p, m, v, t })))],
      );
      const declared = defineMetric({
        name: 'rev',
        kind: 'mean',
        source: { sql: SOURCES.mean, params: [0] },
        sets: { ma: 'primary', mb: 'primary' },
      });
      const within = { name: 'mx', members: [{ set: { name: 'ma' } }, { set: { name: 'mb' } }] };
      const n = (sums: MetricSums) => Object.fromEntries(sums.arms.map((a) => [`${a.set}:${a.variant}`, a.n]));
      const alone = await metricSums(db.client, { name: 'ma' }, declared);
      // Alone, ma sees its own exposures: p3 and p8 each in one variant, not mixed.
      expect(n(alone)).to.deep.equal({ 'ma:control': 4, 'ma:on': 3 });
      expect(alone.mixed).to.equal(0);
      const ma = await metricSums(db.client, { name: 'ma' }, declared, { within });
      const mb = await metricSums(db.client, { name: 'mb' }, declared, { within });
      // Within mx: p3 and p8 are mixed, both first exposed in ma; p8 never counts in mb.
      expect([n(ma), ma.mixed]).to.deep.equal([{ 'ma:control': 2, 'ma:on': 3 }, 2]);
      expect([n(mb), mb.mixed]).to.deep.equal([{ 'mb:on': 3 }, 0]);
      const counts = await reportCounts(db.client, within, { conversions: { sql: 'select user_id, paid_at from orders' } });
      expect(counts.reduce((sum, c) => sum + c.users - c.mixed, 0)).to.equal(8);
      expect(counts.reduce((sum, c) => sum + c.mixed, 0)).to.equal(ma.mixed + mb.mixed);
      const refused = await metricSums(db.client, { name: 'mc' }, declared, { within }).catch((error: unknown) => error);
      expect((refused as Error).message).to.match(/option within is invalid: mx has no member mc/);
    });

    it('returns no arms for a set nobody saw', async () => {
      const declared = defineMetric({
        name: 'rev',
        kind: 'mean',
        source: { sql: SOURCES.mean, params: [0] },
        cap: { percentile: 0.99 },
        sets: { nobody: 'primary' },
      });
      expect(await metricSums(db.client, { name: 'nobody' }, declared)).to.deep.equal({ arms: [], mixed: 0, cap: null, capX: null });
    });
  });
});
