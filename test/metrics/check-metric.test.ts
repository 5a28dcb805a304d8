// Metric declarations: defaults, and every misdeclaration refused at start-up with the metric and the field named.
import { expect } from 'chai';
import { checkMetrics, defineMetric, metricsOfSet, type MetricDeclaration } from '../../src/metrics/index.js';

const base: MetricDeclaration = {
  name: 'revenue',
  kind: 'mean',
  source: { sql: 'select user_id, paid_at, amount from orders' },
  sets: { pricing: 'primary' },
};

function refusal(declare: () => unknown): { code?: string; message: string } {
  try {
    declare();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a TracksError');
}

describe('defineMetric', () => {
  it('fills the defaults and freezes the result', () => {
    const metric = defineMetric(base);
    expect(metric).to.deep.equal({
      name: 'revenue',
      kind: 'mean',
      source: { sql: base.source.sql, params: [] },
      windowDays: null,
      higherIsBetter: true,
      cap: null,
      cuped: null,
      minimumEffect: null,
      sets: { pricing: { role: 'primary', margin: null } },
      description: null,
    });
    expect(Object.isFrozen(metric)).to.equal(true);
    expect(Object.isFrozen(metric.sets)).to.equal(true);
  });

  it('takes a checked metric back unchanged', () => {
    const metric = defineMetric({
      ...base,
      cap: { absolute: 5 },
      minimumEffect: 0.03,
      sets: { pricing: 'secondary', delay: { role: 'guardrail', margin: 0.1 } },
    });
    expect(defineMetric(metric as unknown as MetricDeclaration)).to.deep.equal(metric);
    expect(checkMetrics([defineMetric(base)])).to.deep.equal([defineMetric(base)]);
  });

  it('keeps a guardrail margin, a cap, a window and CUPED', () => {
    const metric = defineMetric({
      ...base,
      windowDays: 7,
      cap: { percentile: 0.99 },
      cuped: { days: 14 },
      sets: { delay: { role: 'guardrail', margin: 0.02 } },
    });
    expect(metric.sets.delay).to.deep.equal({ role: 'guardrail', margin: 0.02 });
    expect([metric.windowDays, metric.cap, metric.cuped]).to.deep.equal([7, { percentile: 0.99 }, { days: 14 }]);
  });

  const mistakes: [string, Record<string, unknown>, RegExp][] = [
    ['a bad name', { name: 'has space' }, /metric "has space": option name is invalid/],
    ['an unknown kind', { kind: 'median' }, /metric "revenue": option kind is invalid: "median" \(expected proportion, mean, ratio\)/],
    ['a misspelt option', { capp: { absolute: 1 } }, /option capp is invalid: .*did you mean cap\?/],
    ['a source without SQL', { source: { sql: ' ' } }, /option source\.sql is invalid/],
    ['a source ending in ;', { source: { sql: 'select 1;' } }, /option source\.sql is invalid: .*ends with ";"/],
    ['params that are not an array', { source: { sql: 'select 1', params: 'x' } }, /option source\.params is invalid/],
    ['a negative window', { windowDays: -1 }, /option windowDays is invalid: -1 \(expected a positive number\)/],
    ['a percentile of 99', { cap: { percentile: 99 } }, /option cap\.percentile is invalid: 99/],
    ['both caps', { cap: { absolute: 1, percentile: 0.9 } }, /option cap is invalid/],
    ['a cap on a proportion', { kind: 'proportion', cap: { absolute: 1 } }, /option cap is invalid: .*nothing to cap/],
    ['CUPED on a ratio', { kind: 'ratio', cuped: { days: 7 } }, /option cuped is invalid: .*for proportion and mean/],
    ['CUPED without days', { cuped: {} }, /option cuped\.days is invalid: undefined/],
    ['higherIsBetter as text', { higherIsBetter: 'yes' }, /option higherIsBetter is invalid: "yes"/],
    ['a minimum effect of 2 (not relative)', { minimumEffect: 2 }, /option minimumEffect is invalid: 2 \(expected a relative change between 0 and 1/],
    ['a minimum effect of 0', { minimumEffect: 0 }, /option minimumEffect is invalid: 0 /],
    ['no sets', { sets: {} }, /option sets is invalid/],
    ['an unknown role', { sets: { pricing: 'main' } }, /option sets\.pricing\.role is invalid: "main"/],
    ['a guardrail without margin', { sets: { pricing: 'guardrail' } }, /option sets\.pricing\.margin is invalid: undefined \(a guardrail needs/],
    [
      'a margin on a primary',
      { sets: { pricing: { role: 'primary', margin: 0.1 } } },
      /option sets\.pricing\.margin is invalid: 0\.1 \(only a guardrail/,
    ],
  ];
  for (const [what, change, message] of mistakes) {
    it(`refuses ${what}`, () => {
      const error = refusal(() => defineMetric({ ...base, ...change }));
      expect(error.code).to.equal('ERR_TRACKS_INVALID_METRIC');
      expect(error.message).to.match(message);
    });
  }
});

describe('checkMetrics', () => {
  const conversion: MetricDeclaration = {
    name: 'conversion',
    kind: 'proportion',
    source: { sql: 'select user_id, paid_at from orders' },
    sets: { pricing: 'secondary', delay: 'primary' },
  };

  it('checks a list and gives a set its metrics, primary first', () => {
    const metrics = checkMetrics(
      [{ ...base, sets: { pricing: 'primary', delay: { role: 'guardrail', margin: 0.05 } } }, conversion],
      ['pricing', 'delay'],
    );
    expect(metricsOfSet(metrics, 'pricing').map((m) => m.name)).to.deep.equal(['revenue', 'conversion']);
    expect(metricsOfSet(metrics, 'delay').map((m) => m.name)).to.deep.equal(['conversion', 'revenue']);
  });

  it('refuses two metrics of one name, two primaries in a set, and an unknown set', () => {
    expect(refusal(() => checkMetrics([base, base])).message).to.match(/metric "revenue": option name is invalid: .*another metric has this name/);
    expect(refusal(() => checkMetrics([base, { ...conversion, sets: { pricing: 'primary' } }])).message).to.match(
      /metric "conversion": option sets\.pricing is invalid: "primary" \(set pricing already has a primary metric, revenue\)/,
    );
    expect(refusal(() => checkMetrics([base], ['pricng'])).message).to.match(/option sets\.pricing is invalid: .*did you mean pricng\?/);
    expect(refusal(() => checkMetrics({})).message).to.match(/option metrics is invalid/);
  });
});
