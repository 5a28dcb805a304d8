// analyzeMetric: what a metric's report says and when, from sums built over fixed per-person values.
import { expect } from 'chai';
import { analyzeMetric, guardrailStatus, sequentialTest, type ArmSums, type MetricAnalysisInput } from '../../src/analysis/index.js';

/** An arm's sums over the values y(i) (and d(i), x(i)) of persons 0..n−1. */
function arm(variant: string, n: number, y: (i: number) => number, extra: { d?: (i: number) => number; x?: (i: number) => number } = {}): ArmSums {
  const s = { variant, n, sumY: 0, sumY2: 0, sumD: 0, sumD2: 0, sumYD: 0, sumX: 0, sumX2: 0, sumXY: 0, nonZero: 0 };
  for (let i = 0; i < n; i++) {
    const v = y(i);
    s.sumY += v;
    s.sumY2 += v * v;
    if (v !== 0) s.nonZero++;
    const d = extra.d?.(i) ?? 0;
    s.sumD += d;
    s.sumD2 += d * d;
    s.sumYD += v * d;
    const x = extra.x?.(i) ?? 0;
    s.sumX += x;
    s.sumX2 += x * x;
    s.sumXY += x * v;
  }
  return s;
}

/** Revenue: one person in `every` buys, spending 10 to 40 in a fixed cycle, times `scale`. */
const revenue =
  (every: number, scale = 1) =>
  (i: number) =>
    i % every === 0 ? scale * (10 + ((i * 7) % 31)) : 0;

const mean = (arms: ArmSums[], rest: Partial<MetricAnalysisInput> = {}): MetricAnalysisInput => ({
  name: 'revenue per visitor',
  kind: 'mean',
  role: 'primary',
  control: 'control',
  arms,
  ...rest,
});

describe('analyzeMetric', () => {
  it('calls the variant that earns more better, with the difference, the relative lift and the interval it follows', () => {
    const report = analyzeMetric(mean([arm('control', 20000, revenue(10)), arm('up5', 20000, revenue(10, 1.2))]));
    const c = report.comparisons[0]!;
    expect(c.verdict.kind).to.equal('better');
    expect(c.relativeLift).to.be.closeTo(0.2, 1e-12);
    expect(c.verdict.words).to.match(
      /^up5 is better than control on revenue per visitor: \+0\.\d+ \(\+20\.0 %; 95 % CI \+0\.\d+ to \+0\.\d+, always valid\)$/,
    );
    expect(report.summary).to.equal(`revenue per visitor: ${c.verdict.words}.`);
    expect(c.sequentialInterval!.low).to.be.below(c.differenceInterval!.low);
  });

  it('turns better into worse when lower is better', () => {
    const arms = [arm('control', 20000, revenue(10)), arm('slow', 20000, revenue(10, 1.2))];
    const report = analyzeMetric(mean(arms, { name: 'latency', higherIsBetter: false }));
    expect(report.comparisons[0]!.verdict.kind).to.equal('worse');
    expect(report.higherIsBetter).to.equal(false);
  });

  it('gives no better/worse verdict before each arm has the minimum of non-zero values, and counts them from the sums without nonZero', () => {
    const arms = [arm('control', 2000, revenue(100)), arm('up5', 2000, revenue(100, 10))];
    const gated = analyzeMetric(mean(arms));
    expect(gated.arms.map((a) => a.count)).to.deep.equal([20, 20]);
    expect(gated.comparisons[0]!.verdict).to.deep.equal({
      kind: 'not-enough-data',
      words: 'not enough data yet on revenue per visitor: each arm needs 25 persons with a non-zero value before a verdict (up5 has 20, control 20)',
    });
    expect(analyzeMetric(mean(arms), { minimumPerArm: 20 }).comparisons[0]!.verdict.kind).to.equal('better');
    // Without nonZero: (Σy)²/Σy², at most the number of non-zero values for values of one sign.
    const bare = arms.map(({ nonZero: _n, ...rest }) => rest);
    const counts = analyzeMetric(mean(bare)).arms.map((a) => a.count);
    for (const c of counts) expect(c).to.be.above(15).and.at.most(20);
  });

  it('follows the conversion sequence for proportions, so both reports agree', () => {
    const conv = (every: number) => (i: number) => (i % every === 0 ? 1 : 0);
    const arms = [arm('control', 9000, conv(50)), arm('oneClick', 1000, conv(30))];
    const report = analyzeMetric({ ...mean(arms), name: 'checkout', kind: 'proportion' });
    const direct = sequentialTest({ converted: arms[1]!.sumY, users: 1000 }, { converted: arms[0]!.sumY, users: 9000 })!;
    expect(report.comparisons[0]!.sequentialPValue).to.equal(direct.pValue);
    expect(report.arms.map((a) => a.count)).to.deep.equal([180, 34]);
  });

  it('uses Holm over the variants of a metric: the smallest sequential p is tested at α/3', () => {
    const arms = [
      arm('control', 20000, revenue(10)),
      arm('a', 20000, revenue(10, 1.3)),
      arm('b', 20000, revenue(10)),
      arm('c', 20000, revenue(10, 1.01)),
    ];
    const report = analyzeMetric(mean(arms));
    const a = report.comparisons.find((c) => c.variant === 'a')!;
    expect(a.level).to.be.closeTo(0.05 / 3, 1e-15);
    expect(a.verdict.words).to.include('98.33 % CI');
    for (const c of report.comparisons) expect(c.adjustedPValue).to.be.at.least(c.pValue!);
  });

  it('puts every verdict on hold when the split of persons does not match the weights', () => {
    const arms = [arm('control', 20000, revenue(10)), arm('up5', 18000, revenue(10, 1.2))];
    const report = analyzeMetric(mean(arms), { expectedShares: { control: 0.5, up5: 0.5 } });
    expect(report.sampleRatio!.flagged).to.equal(true);
    expect(report.comparisons[0]!.verdict.kind).to.equal('on-hold');
    expect(report.summary).to.match(/^revenue per visitor: on hold: the split of persons does not match the weights/);
  });

  it('adjusts by the pre-period with CUPED, states the variance it removed, and warns when the pre-period is unbalanced', () => {
    const x = (i: number) => 10 + ((i * 13) % 17);
    const y = (i: number) => 2 * x(i) + ((i * 5) % 7);
    const arms = [arm('control', 5000, y, { x }), arm('up5', 5000, (i) => y(i) + 1, { x })];
    const plain = analyzeMetric(mean(arms));
    const cuped = analyzeMetric(mean(arms, { cuped: true }));
    expect(cuped.cuped!.theta).to.be.closeTo(2, 0.05);
    expect(cuped.cuped!.varianceReduction).to.be.above(0.9);
    expect(cuped.cuped!.balanced).to.equal(true);
    const width = (r: typeof plain) => r.comparisons[0]!.differenceInterval!.high - r.comparisons[0]!.differenceInterval!.low;
    expect(width(cuped)).to.be.below(width(plain) / 3);
    expect(cuped.comparisons[0]!.unadjustedDifference).to.be.closeTo(1, 1e-9);
    const shifted = [arm('control', 5000, y, { x }), arm('up5', 5000, (i) => y(i) + 1, { x: (i) => x(i) + 1 })];
    const unbalanced = analyzeMetric(mean(shifted, { cuped: true }));
    expect(unbalanced.cuped!.balanced).to.equal(false);
    expect(unbalanced.summary).to.include('the pre-period differs between arms');
  });

  it('judges a guardrail by its margin: safe, failing or inconclusive, and leads the summary with a failing one', () => {
    const guard = (scale: number, n = 100000) =>
      analyzeMetric(mean([arm('control', n, revenue(5)), arm('slow', n, revenue(5, scale))], { role: 'guardrail', margin: 0.05, name: 'revenue' }));
    const safe = guard(1);
    expect(safe.comparisons[0]!.guardrail).to.equal('safe');
    expect(safe.comparisons[0]!.guardrailWords).to.match(/^revenue guardrail for slow holds: within the margin of −5\.0 % against control/);
    const failing = guard(0.8);
    expect(failing.comparisons[0]!.guardrail).to.equal('failing');
    expect(failing.summary).to.match(/^revenue: revenue guardrail for slow fails: past the margin of −5\.0 % .*stop slow or find the cause/);
    expect(guard(0.95, 3000).comparisons[0]!.guardrail).to.equal('inconclusive');
    expect(guardrailStatus({ low: 0.01, high: 0.03 }, 0.02, false)).to.equal('inconclusive');
    expect(guardrailStatus({ low: 0.025, high: 0.03 }, 0.02, false)).to.equal('failing');
    expect(guardrailStatus({ low: -0.1, high: 0.019 }, 0.02, false)).to.equal('safe');
  });

  it('calls a variant alike (same) only when the always-valid interval of its relative change interval lies within ±minimumEffect', () => {
    const alike = (scale: number, n: number, minimumEffect?: number) =>
      analyzeMetric(mean([arm('control', n, revenue(5)), arm('b', n, revenue(5, scale))], minimumEffect === undefined ? {} : { minimumEffect }));
    const same = alike(1, 200000, 0.05);
    const c = same.comparisons[0]!;
    expect(c.verdict.kind).to.equal('same');
    expect(same.minimumEffect).to.equal(0.05);
    expect(c.relativeSequentialInterval!.low).to.be.above(-0.05);
    expect(c.relativeSequentialInterval!.high).to.be.below(0.05);
    expect(c.verdict.words).to.match(
      /^b and control are alike on revenue per visitor: the change is within ±5\.0 % \(95 % CI −\d\.\d % to \+\d\.\d %, always valid\)$/,
    );
    expect(same.summary).to.equal(`revenue per visitor: ${c.verdict.words}.`);
    // Without a minimum effect there is no such verdict; with too few persons the interval crosses the margin.
    expect(alike(1, 200000).comparisons[0]!.verdict.kind).to.equal('unclear');
    const few = alike(1, 2000, 0.05).comparisons[0]!;
    expect(few.relativeSequentialInterval!.high).to.be.above(0.05);
    expect(few.verdict.kind).to.equal('unclear');
    // A clear difference stays better or worse, whatever the minimum effect.
    expect(alike(1.2, 200000, 0.05).comparisons[0]!.verdict.kind).to.equal('better');
    // Before each arm has its minimum of non-zero values, not alike either.
    expect(
      analyzeMetric(mean([arm('control', 40, revenue(5)), arm('b', 40, revenue(5))], { minimumEffect: 0.9 })).comparisons[0]!.verdict.kind,
    ).to.equal('unclear');
  });

  it('reads a negative control mean the right way round: losing less is a positive lift and passes a guardrail', () => {
    // Profit per visitor below zero: (m₁ − m₀)/|m₀|, so −5 → −2.5 is +50 % and −5 → −7.5 is −50 %.
    const guard = (scale: number) =>
      analyzeMetric(
        mean([arm('control', 100000, revenue(5, -1)), arm('v', 100000, revenue(5, scale))], { role: 'guardrail', margin: 0.05, name: 'profit' }),
      );
    const better = guard(-0.5).comparisons[0]!;
    expect(better.difference).to.be.greaterThan(0);
    expect(better.relativeLift).to.be.closeTo(0.5, 1e-12);
    expect(better.guardrail).to.equal('safe');
    const worse = guard(-1.5).comparisons[0]!;
    expect(worse.relativeLift).to.be.closeTo(-0.5, 1e-12);
    expect(worse.guardrail).to.equal('failing');
  });

  it('computes ratio metrics per person by the delta method', () => {
    const orders = (i: number) => (i % 4 === 0 ? 1 + (i % 3) : 0);
    const arms = [arm('control', 8000, (i) => 12 * orders(i), { d: orders }), arm('bundle', 8000, (i) => 15 * orders(i), { d: orders })];
    const report = analyzeMetric({ ...mean(arms), name: 'revenue per order', kind: 'ratio' });
    expect(report.arms.map((a) => a.mean)).to.deep.equal([12, 15]);
    expect(report.comparisons[0]!.relativeLift).to.be.closeTo(0.25, 1e-12);
    expect(report.comparisons[0]!.verdict.kind).to.equal('better');
  });

  it('says which arm lacks persons and tunes at the planned users', () => {
    const report = analyzeMetric(mean([arm('control', 1, revenue(1)), arm('up5', 100, revenue(2))]), { plannedUsers: 40000 });
    expect(report.comparisons[0]!.verdict).to.deep.equal({ kind: 'no-users', words: 'not enough persons in control yet on revenue per visitor' });
    expect(report.tuningUsers).to.equal(40000);
  });

  it('names the metric and the field of a misdeclared input', () => {
    const arms = [arm('control', 10, revenue(2)), arm('up5', 10, revenue(2))];
    const cases: [Partial<MetricAnalysisInput>, string][] = [
      [{ role: 'guardrail' }, 'metric revenue per visitor: field margin is invalid: undefined'],
      [{ kind: 'median' as 'mean' }, 'metric revenue per visitor: field kind is invalid: median'],
      [{ control: 'base' }, 'metric revenue per visitor: field control is invalid: base (arms: control, up5)'],
      [{ kind: 'ratio', arms: arms.map(({ sumD: _d, ...a }) => a) }, 'metric revenue per visitor: arm control field sumD is invalid: undefined'],
      [{ kind: 'ratio', cuped: true }, 'metric revenue per visitor: field cuped is invalid: true'],
      [{ cuped: true, arms: arms.map(({ sumXY: _x, ...a }) => a) }, 'metric revenue per visitor: arm control field sumXY is invalid: undefined'],
      [{ kind: 'proportion' }, 'metric revenue per visitor: arm control field sumY is invalid'],
      [{ arms: [arms[0]!, arms[0]!] }, 'metric revenue per visitor: field arms is invalid: a variant appears twice'],
      [{ minimumEffect: 0 }, 'metric revenue per visitor: field minimumEffect is invalid: 0'],
      [{ minimumEffect: 1.5 }, 'metric revenue per visitor: field minimumEffect is invalid: 1.5'],
      [{ arms: [{ ...arms[0]!, n: 2.5 }, arms[1]!] }, 'metric revenue per visitor: arm control field n is invalid: 2.5'],
    ];
    for (const [change, message] of cases) expect(() => analyzeMetric(mean(arms, change)), message).to.throw(RangeError, message);
    expect(() => analyzeMetric(mean(arms), { minimumPerArm: 1.5 })).to.throw(RangeError, 'option minimumPerArm is invalid: 1.5');
  });
});
