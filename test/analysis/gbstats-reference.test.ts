// The metric statistics against GrowthBook's published gbstats test values (test/fixtures/gbstats-reference.json).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeMetric,
  armEstimate,
  cupedEstimate,
  cupedFit,
  liftInterval,
  meanEstimate,
  metricSequentialInterval,
  mixtureRho2,
  ratioEstimate,
  relativeLift,
  relativeSequentialInterval,
  sequentialPValue,
  studentSf,
  studentTwoSidedP,
  studentUpperQuantile,
  welchDegreesOfFreedom,
  welchDifference,
  type ArmEstimate,
  type ArmSums,
  type MetricKind,
} from '../../src/analysis/index.js';
import { centred } from '../../src/analysis/metric-arm.js';

type Sums = Omit<ArmSums, 'variant' | 'sumY2'> & { sumY2?: number };
type Published = Record<string, number | (number | null)[]>;
interface Case {
  id: string;
  gbstatsTest: string;
  method: string;
  difference?: 'absolute' | 'relative';
  side?: 'greater' | 'lesser';
  armVariance?: 'binomial-n';
  tuningUsers?: number;
  alpha?: number;
  decimals: number | null;
  control?: Sums;
  variant?: Sums;
  values?: unknown;
  arms?: unknown;
  differences?: [number, number, number][];
  published: Published;
}
interface NoResult {
  id: string;
  kind: MetricKind;
  control: Sums;
  variant: Sums;
  published: Published;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/gbstats-reference.json'), 'utf8')) as {
  source: { commit: string; licence: string };
  cases: Case[];
  noResult: NoResult[];
  notComparable: { gbstatsTest: string; reason: string }[];
};

/**
 * How close ours must be to a published value: within half a unit of its last published decimal plus 1e-9
 * (gbstats' own test rounds its result to that many decimals), or 1e-9 on the scale max(1, |value|) for a
 * full-precision literal.
 */
function tolerance(decimals: number | null, value: number): number {
  return decimals === null ? 1e-9 * Math.max(1, Math.abs(value)) : 0.5 * 10 ** -decimals + 1e-9;
}

function near(figure: string, ours: number | null | undefined, published: number | null | undefined, decimals: number | null): void {
  if (published === null || published === undefined) return;
  expect(ours, `${figure}: ours is missing`).to.be.a('number');
  expect(ours!, `${figure}: ours ${ours} against gbstats' ${published}`).to.be.closeTo(published, tolerance(decimals, published));
}

const precision = (decimals: number | null) => (decimals === null ? 'to 1e-9 of its full-precision value' : `to its ${decimals} published decimals`);

/** An arm's estimate as gbstats' convention has it: ours, or for `binomial-n` the variance p(1 − p)/n of its ProportionStatistic. */
function estimate(sums: Sums, armVariance: Case['armVariance']): ArmEstimate {
  if (armVariance === 'binomial-n') {
    const p = sums.sumY / sums.n;
    return { n: sums.n, estimate: p, variance: (p * (1 - p)) / sums.n, unitVariance: p * (1 - p) };
  }
  return meanEstimate(sums.n, sums.sumY, sums.sumY2!)!;
}

/** The estimate, standard error and degrees of freedom of a case's absolute difference or relative lift. */
function effect(c: Case): { estimate: number; standardError: number; df: number; control: ArmEstimate; variant: ArmEstimate } {
  const control = estimate(c.control!, c.armVariance);
  const variant = estimate(c.variant!, c.armVariance);
  const df = welchDegreesOfFreedom(variant, control);
  if (c.difference === 'absolute') {
    const w = welchDifference(variant, control);
    return { estimate: w.difference, standardError: w.standardError, df, control, variant };
  }
  const lift = relativeLift(variant, control)!;
  return { estimate: lift.lift, standardError: lift.standardError, df, control, variant };
}

function sumsOf(variant: string, pre: number[], post: number[]): ArmSums {
  const sum = (f: (i: number) => number) => pre.reduce((s, _, i) => s + f(i), 0);
  return {
    variant,
    n: pre.length,
    sumY: sum((i) => post[i]!),
    sumY2: sum((i) => post[i]! ** 2),
    sumX: sum((i) => pre[i]!),
    sumX2: sum((i) => pre[i]! ** 2),
    sumXY: sum((i) => pre[i]! * post[i]!),
  };
}

/** gbstats' θ for a pair of arms by its stated definition: cov(y, x) / var(x) over the pair around one overall mean. */
function pairTheta(a: ArmSums, b: ArmSums): number {
  const n = a.n + b.n;
  const sx = a.sumX! + b.sumX!;
  const sy = a.sumY + b.sumY;
  return centred(a.sumXY! + b.sumXY!, sx, sy, n) / centred(a.sumX2! + b.sumX2!, sx, sx, n);
}

const checks: Record<string, (c: Case) => void> = {
  welch(c) {
    const e = effect(c);
    const p = c.published;
    near('expected', e.estimate, p.expected as number, c.decimals);
    near('stddev', e.standardError, p.stddev as number | undefined, c.decimals);
    if (c.difference === 'absolute') {
      const w = welchDifference(e.variant, e.control);
      near('ci low', w.interval.low, (p.ci as number[])[0], c.decimals);
      near('ci high', w.interval.high, (p.ci as number[])[1], c.decimals);
      near('pValue', w.pValue, p.pValue as number, c.decimals);
    } else {
      const interval = liftInterval({ lift: e.estimate, standardError: e.standardError }, studentUpperQuantile(0.025, e.df));
      if (p.ci) {
        near('ci low', interval.low, (p.ci as number[])[0], c.decimals);
        near('ci high', interval.high, (p.ci as number[])[1], c.decimals);
      }
      near('pValue', studentTwoSidedP(e.estimate / e.standardError, e.df), p.pValue as number, c.decimals);
    }
    near('control mean', e.control.estimate, p.controlMean as number | undefined, c.decimals);
    near('variant mean', e.variant.estimate, p.variantMean as number | undefined, c.decimals);
  },
  'one-sided'(c) {
    const e = effect(c);
    const p = c.published;
    const half = studentUpperQuantile(0.05, e.df) * e.standardError;
    const upper = studentSf(e.estimate / e.standardError, e.df);
    near('expected', e.estimate, p.expected as number, c.decimals);
    near('stddev', e.standardError, p.stddev as number, c.decimals);
    const [low, high] = p.ci as (number | null)[];
    if (c.side === 'greater') {
      expect(high).to.equal(null);
      near('ci low', e.estimate - half, low, c.decimals);
      near('pValue', upper, p.pValue as number, c.decimals);
    } else {
      expect(low).to.equal(null);
      near('ci high', e.estimate + half, high, c.decimals);
      near('pValue', 1 - upper, p.pValue as number, c.decimals);
    }
  },
  sequential(c) {
    const e = effect(c);
    const p = c.published;
    const users = c.control!.n + c.variant!.n;
    const options = { alpha: c.alpha!, tuningUsers: c.tuningUsers! };
    const interval = relativeSequentialInterval({ lift: e.estimate, standardError: e.standardError }, users, options);
    near('expected', e.estimate, p.expected as number, c.decimals);
    near('stddev', e.standardError, p.stddev as number | undefined, c.decimals);
    near('ci low', interval.low, (p.ci as (number | null)[])[0], c.decimals);
    near('ci high', interval.high, (p.ci as (number | null)[])[1], c.decimals);
    const rho2 = mixtureRho2(c.alpha!, c.tuningUsers!);
    near('pValue', sequentialPValue(e.estimate / e.standardError, users, rho2), p.pValue as number, c.decimals);
  },
  'ratio-estimates'(c) {
    const s = (x: Sums) => ratioEstimate(x.n, x.sumY, x.sumY2!, x.sumD!, x.sumD2!, x.sumYD!)!;
    const control = s(c.control!);
    const variant = s(c.variant!);
    near('control ratio', control.estimate, c.published.controlMean as number, c.decimals);
    near('variant ratio', variant.estimate, c.published.variantMean as number, c.decimals);
    near('expected', relativeLift(variant, control)!.lift, c.published.expected as number, c.decimals);
  },
  'cuped-theta'(c) {
    const v = c.values as { pre: number[]; post: number[] };
    const fit = cupedFit([sumsOf('a', v.pre, v.post), sumsOf('b', v.pre, v.post)]);
    near('theta', fit?.theta, c.published.theta as number, c.decimals);
  },
  'cuped-none'(c) {
    const v = c.values as { pre: number[]; post: number[] };
    expect(c.published.theta).to.equal(0);
    expect(cupedFit([sumsOf('a', v.pre, v.post), sumsOf('b', v.pre, v.post)])).to.equal(null);
  },
  'cuped-arm-stddev'(c) {
    const arms = c.arms as (ArmSums & { thetaPairWith: string })[];
    const sd = c.published.stddev as number[];
    const means = c.published.mean as number[];
    arms.forEach((arm, i) => {
      const theta = pairTheta(
        arm,
        arms.find((a) => a.variant === arm.thetaPairWith)!,
      );
      const adjusted = cupedEstimate(arm, { theta, pooledMeanX: 0, varianceReduction: 0, balancePValue: 1 })!;
      near(`${arm.variant} stddev`, Math.sqrt(adjusted.unitVariance), sd[i], c.decimals);
      near(`${arm.variant} mean`, armEstimate('mean', arm)!.estimate, means[i], c.decimals);
    });
  },
  'sample-mean'(c) {
    const v = c.values as number[];
    const m = meanEstimate(
      v.length,
      v.reduce((s, x) => s + x, 0),
      v.reduce((s, x) => s + x * x, 0),
    )!;
    near('mean', m.estimate, c.published.mean as number, c.decimals);
    near('variance', m.unitVariance, c.published.variance as number, c.decimals);
  },
  covariance(c) {
    const { y, d } = c.values as { y: number[]; d: number[] };
    const sum = (f: (i: number) => number) => y.reduce((s, _, i) => s + f(i), 0);
    const n = y.length;
    const ours = centred(
      sum((i) => y[i]! * d[i]!),
      sum((i) => y[i]!),
      sum((i) => d[i]!),
      n,
    );
    near('covariance', ours / (n - 1), c.published.covariance as number, c.decimals);
  },
  'negative-baseline'(c) {
    for (const [m0, m1, published] of c.differences!) {
      near(`lift ${m0} → ${m1}`, relativeLift({ estimate: m1, variance: 0 }, { estimate: m0, variance: 0 })!.lift, published, c.decimals);
    }
    const { n, spread, pairs } = c.arms as { n: number; spread: number; pairs: [number, number][] };
    for (const [m0, m1] of pairs) {
      const arm = (m: number) => meanEstimate(n, m * n, (m * m + spread) * n)!;
      const lift = relativeLift(arm(m1), arm(m0))!;
      expect(Math.sign(lift.lift), `sign of the lift ${m0} → ${m1}`).to.equal(Math.sign(m1 - m0));
      expect(lift.standardError).to.be.greaterThan(0);
      if (m0 === -10 && m1 === -5) near('lift −10 → −5', lift.lift, c.published.relativeMinus10ToMinus5 as number, c.decimals);
    }
  },
};

describe("metric statistics against GrowthBook's published gbstats test values", () => {
  it(`records its source: gbstats at ${fixture.source.commit.slice(0, 10)}, ${fixture.source.licence.split(',')[0]}`, () => {
    expect(fixture.source.commit).to.match(/^[0-9a-f]{40}$/);
    expect(fixture.cases.length + fixture.noResult.length).to.be.greaterThan(15);
    for (const n of fixture.notComparable) expect(n.reason, n.gbstatsTest).to.have.length.greaterThan(40);
  });

  for (const c of fixture.cases) {
    it(`${c.id}: matches gbstats ${precision(c.decimals)} (${c.gbstatsTest.split('::').slice(-1)[0]})`, () => {
      const check = checks[c.method];
      expect(check, `no check for method ${c.method}`).to.be.a('function');
      check!(c);
    });
  }

  for (const c of fixture.noResult) {
    it(`${c.id}: gives no comparison where gbstats gives its placeholder (expected 0, p = 1), and the same arm figures otherwise`, () => {
      const report = analyzeMetric({
        name: c.id,
        kind: c.kind,
        role: 'primary',
        control: 'control',
        arms: [
          { variant: 'control', sumY2: 0, ...c.control },
          { variant: 'variant', sumY2: 0, ...c.variant },
        ],
      });
      const [control, variant] = report.arms;
      const comparison = report.comparisons[0]!;
      expect(comparison.difference).to.equal(null);
      expect(comparison.pValue).to.equal(null);
      expect(comparison.relativeLift).to.equal(null);
      near('variant mean', variant!.mean, c.published.variantMean as number, 9);
      if (c.published.controlMean === 0 && c.kind === 'ratio') expect(control!.mean).to.equal(null);
      else near('control mean', control!.mean, c.published.controlMean as number, 9);
    });
  }

  it("keeps its own wider sequence for a difference of means where the pooled SE is the larger (gbstats': the unpooled one)", () => {
    // Ours takes the larger of the unpooled and pooled SEs (docs/analysis.md); here the larger arm has the larger variance,
    // so the pooled one is larger and our interval is wider than gbstats' would be. gbstats publishes no such value.
    const c = fixture.cases.find((x) => x.id === 'sequential-relative-tuned-1000')!;
    const control = meanEstimate(c.control!.n, c.control!.sumY, c.control!.sumY2!)!;
    const variant = meanEstimate(c.variant!.n, c.variant!.sumY, c.variant!.sumY2!)!;
    const ours = metricSequentialInterval(variant, control, { alpha: 0.05, tuningUsers: 1000 });
    const unpooled = Math.sqrt(variant.variance + control.variance);
    expect((ours.high - ours.low) / 2).to.be.greaterThan(ours.critical * unpooled);
  });
});
