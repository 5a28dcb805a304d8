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
