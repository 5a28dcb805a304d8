// The metric statistics against frozen SciPy/statsmodels values (scripts/metrics-reference.py), to 1e-9.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeMetric,
  armEstimate,
  cupedEstimate,
  cupedFit,
  fisherSf,
  metricSequentialInterval,
  studentTwoSidedP,
  studentUpperQuantile,
  type ArmSums,
  type MetricKind,
} from '../../src/analysis/index.js';

interface Bounds {
  low: number;
  high: number;
}
interface Comparison {
  welch: Bounds & { difference: number; df: number; pValue: number };
  relative: (Bounds & { lift: number }) | null;
  sequential: (Bounds & { pValue: number }) | null;
  holm: number;
  olsDifference?: number;
}
interface Table {
  kind: MetricKind;
  cuped: boolean;
  arms: ArmSums[];
  perArm: ({ mean: number; variance: number; interval: Bounds } | null)[];
  comparisons: (Comparison | null)[];
  cupedFit: { theta: number; varianceReduction: number; balancePValue: number } | null;
  percentiles: { q: number; value: number }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics-reference.json'), 'utf8')) as {
  alpha: number;
  tuningUsers: number;
  tables: Table[];
  special: {
    studentTwoSided: { t: number; df: number; twoSided: number }[];
    studentUpperQuantile: { q: number; df: number; t: number }[];
    fisherSf: { f: number; d1: number; d2: number; sf: number }[];
  };
};

/** The largest error per figure: relative for p-values, else absolute on the scale max(1, |reference|). */
class Errors {
  readonly max = new Map<string, { error: number; n: number }>();
  add(figure: string, ours: number | null | undefined, theirs: number, relative = false): void {
    expect(ours, `${figure}: missing where the reference has ${theirs}`).to.be.a('number');
    const error = relative ? Math.abs(ours! - theirs) / Math.max(Math.abs(theirs), 1e-300) : Math.abs(ours! - theirs) / Math.max(1, Math.abs(theirs));
    const m = this.max.get(figure) ?? { error: 0, n: 0 };
    this.max.set(figure, { error: Math.max(m.error, Number.isNaN(error) ? Infinity : error), n: m.n + 1 });
  }
}

describe('metric statistics against SciPy and statsmodels', () => {
  const e = new Errors();
  const { tables } = fixture;

  before(() => {
    tables.forEach((t, index) => {
      const input = { name: `table ${index}`, kind: t.kind, role: 'primary' as const, control: 'control', arms: t.arms, cuped: t.cuped };
      const report = analyzeMetric(input, { tuningUsers: fixture.tuningUsers, minimumPerArm: 0 });
      t.perArm.forEach((ref, i) => {
        if (!ref) return;
        const arm = report.arms[i]!;
        e.add('arm mean', arm.mean, ref.mean);
        e.add('arm variance', arm.variance, ref.variance);
        e.add('arm interval low', arm.interval?.low, ref.interval.low);
        e.add('arm interval high', arm.interval?.high, ref.interval.high);
      });
      const fit = t.cuped ? cupedFit(t.arms) : null;
      const estimate = (arm: ArmSums) => (fit ? cupedEstimate(arm, fit) : armEstimate(t.kind, arm));
      t.comparisons.forEach((ref, i) => {
        if (!ref) return;
        const c = report.comparisons[i]!;
        e.add('difference', c.difference, ref.welch.difference);
        e.add('Welch low', c.differenceInterval?.low, ref.welch.low);
        e.add('Welch high', c.differenceInterval?.high, ref.welch.high);
        e.add('Welch degrees of freedom', c.degreesOfFreedom, ref.welch.df, true);
        e.add('Welch p-value', c.pValue, ref.welch.pValue, true);
        e.add('Holm p-value', c.adjustedPValue, ref.holm, true);
        if (ref.relative) {
          e.add('relative lift', c.relativeLift, ref.relative.lift);
          e.add('relative low', c.relativeInterval?.low, ref.relative.low);
          e.add('relative high', c.relativeInterval?.high, ref.relative.high);
        }
        if (ref.sequential) {
          const s = metricSequentialInterval(estimate(t.arms[i + 1]!)!, estimate(t.arms[0]!)!, { tuningUsers: fixture.tuningUsers });
          e.add('sequential low', s.low, ref.sequential.low);
          e.add('sequential high', s.high, ref.sequential.high);
          e.add('sequential p-value', c.sequentialPValue, ref.sequential.pValue, true);
        }
        if (ref.olsDifference !== undefined) e.add('CUPED difference = OLS arm coefficient', c.difference, ref.olsDifference);
      });
      if (t.cupedFit) {
        e.add('CUPED θ = OLS coefficient of x', report.cuped?.theta, t.cupedFit.theta);
        e.add('CUPED variance reduction', report.cuped?.varianceReduction, t.cupedFit.varianceReduction);
        e.add('pre-period balance p-value', report.cuped?.balancePValue, t.cupedFit.balancePValue, true);
      }
    });
    for (const r of fixture.special.studentTwoSided) e.add('Student t two-sided tail', studentTwoSidedP(r.t, r.df), r.twoSided, true);
    for (const r of fixture.special.studentUpperQuantile) e.add('Student t quantile', studentUpperQuantile(r.q, r.df), r.t, true);
    for (const r of fixture.special.fisherSf) e.add('F tail', fisherSf(r.f, r.d1, r.d2), r.sf, true);
    const rows = [...e.max].map(([figure, m]) => `  ${figure.padEnd(40)} n=${String(m.n).padStart(4)}  max error ${m.error.toExponential(1)}`);
    console.log(
      `    largest errors over ${tables.length} tables (relative for p-values, degrees of freedom and special functions):\n${rows.join('\n')}`,
    );
  });

  it('covers means, ratios and proportions, with CUPED, 2 to 4 arms, values of both signs and arms of 2 persons', () => {
    for (const kind of ['mean', 'ratio', 'proportion']) expect(tables.some((t) => t.kind === kind)).to.equal(true);
    expect(tables.filter((t) => t.cuped).length).to.be.at.least(20);
    expect(new Set(tables.map((t) => t.arms.length))).to.deep.equal(new Set([2, 3, 4]));
    expect(tables.some((t) => t.arms.some((a) => a.sumY < 0))).to.equal(true);
    expect(tables.some((t) => t.arms.some((a) => a.n === 2))).to.equal(true);
  });

  for (const figure of [
    'arm mean',
    'arm variance',
    'arm interval low',
    'arm interval high',
    'difference',
    'Welch low',
    'Welch high',
    'Welch degrees of freedom',
    'Welch p-value',
    'Holm p-value',
    'relative lift',
    'relative low',
    'relative high',
    'sequential low',
    'sequential high',
    'sequential p-value',
    'CUPED difference = OLS arm coefficient',
    'CUPED θ = OLS coefficient of x',
    'CUPED variance reduction',
    'pre-period balance p-value',
    'Student t two-sided tail',
    'Student t quantile',
    'F tail',
  ]) {
    it(`matches the reference ${figure} within 1e-9`, () => {
      const m = e.max.get(figure);
      expect(m, figure).to.not.equal(undefined);
      expect(m!.n).to.be.above(0);
      expect(m!.error, figure).to.be.at.most(1e-9);
    });
  }
});
