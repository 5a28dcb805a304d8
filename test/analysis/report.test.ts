// The results report: sample-ratio checks, verdicts in words, edge cases, and a MultiTrackSet's member split.
import { expect } from 'chai';
import { analyzeMulti, analyzeSet, holmAdjust, holmLevels, wilsonInterval, newcombeInterval, sequentialInterval } from '../../src/analysis/index.js';
import { describeSet, MultiTrackSet, ParamTrackSet, SimpleTrackSet } from '../../src/index.js';

class CheckoutTracks extends SimpleTrackSet {
  static override setName = 'checkout';
  static override weights = { control: 80, oneClick: 20 };
  static override coverage = 0.2;
  static oneClickTrack(): void {}
}
class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}
class PricingTracks extends ParamTrackSet<{ delta: number }> {
  static override setName = 'pricing';
  static override weight = 1000;
  static override params = [-1, 0, 1].map((delta) => ({ delta }));
  static override addControlTrack = false;
  static override trackName = (p: { delta: number }) => `price_adjusted_by_${p.delta}`;
  static override track = (p: { delta: number }) => p.delta;
}
class Experiments extends MultiTrackSet {
  static override setName = 'experiments';
  static override trackSets = [DelayTracks, PricingTracks];
}
const rows = (...r: [string, number, number][]) => r.map(([variant, users, converted]) => ({ variant, users, converted }));

describe('analyzeSet', () => {
  it("does not flag the README's 80/20 CheckoutTracks on a fair split", () => {
    const report = analyzeSet(describeSet(CheckoutTracks), rows(['control', 8012, 160], ['oneClick', 1988, 41]));
    expect(report.sampleRatio.pValue).to.be.closeTo(0.76418, 1e-5); // scipy.stats.chisquare([8012, 1988], [8000, 2000])
    expect(report.sampleRatio.flagged).to.equal(false);
    expect(report.status).to.equal('running');
    // Against an equal split, which the old check assumed, the same counts are a gross mismatch.
    expect(
      analyzeSet(
        {
          ...describeSet(CheckoutTracks),
          variants: [
            { name: 'control', expectedShare: 0.5 },
            { name: 'oneClick', expectedShare: 0.5 },
          ],
        },
        rows(['control', 8012, 160], ['oneClick', 1988, 41]),
      ).sampleRatio.flagged,
    ).to.equal(true);
  });

  it('puts every verdict on hold when the split does not match the weights', () => {
    const report = analyzeSet(describeSet(CheckoutTracks), rows(['control', 8400, 160], ['oneClick', 1600, 80]));
    expect(report.status).to.equal('on-hold');
    expect(report.comparisons[0]!.verdict.kind).to.equal('on-hold');
    expect(report.summary).to.match(
      /^checkout: on hold: the split of users does not match the weights \(p = [0-9.e-]+\); find the cause before reading results\.$/,
    );
  });

  it('calls 4/100 against 0/100 no clear difference, where the unpooled Wald test saw a winner', () => {
    const report = analyzeSet(describeSet(DelayTracks), rows(['control', 100, 0], ['short', 100, 4], ['long', 100, 1]));
    const short = report.comparisons.find((c) => c.variant === 'short')!;
    expect(short.fixed.pValue).to.be.closeTo(0.0434, 1e-4);
    expect(short.fixed.adjustedPValue).to.be.closeTo(0.0868, 1e-4);
    expect(short.verdict.kind).to.equal('unclear');
    expect(short.verdict.words).to.match(/^no clear difference yet between short and control \(97\.5 % CI /);
  });

  it('never gives a zero-width interval, at 0 % or 100 %', () => {
    // minimumConverted 0: the interval's own behaviour, without the minimum before a verdict.
    const report = analyzeSet(describeSet(DelayTracks), rows(['control', 50, 0], ['short', 50, 50], ['long', 50, 0]), { minimumConverted: 0 });
    for (const a of report.arms) expect(a.interval!.high - a.interval!.low).to.be.above(0.05);
    for (const c of report.comparisons) {
      for (const i of [c.fixed.interval!, c.sequential.interval!]) expect(i.high - i.low).to.be.above(0.05);
    }
    expect(report.comparisons.find((c) => c.variant === 'short')!.verdict.kind).to.equal('better');
    expect(report.comparisons.find((c) => c.variant === 'long')!.verdict.kind).to.equal('unclear');
  });

  it('gives no better/worse verdict before each arm has the minimum of conversions, and says how many it has', () => {
    const few = analyzeSet(describeSet(DelayTracks), rows(['control', 50, 0], ['short', 50, 50], ['long', 50, 0]));
    const short = few.comparisons.find((c) => c.variant === 'short')!;
    expect(short.sequential.verdictInterval!.low).to.be.above(0);
    expect(short.verdict).to.deep.equal({
      kind: 'not-enough-data',
      words: 'not enough data yet: each arm needs 25 conversions before a verdict (short has 0, control 0)',
    });
    const enough = analyzeSet(describeSet(DelayTracks), rows(['control', 3000, 50], ['short', 3000, 120], ['long', 3000, 50]));
    expect(enough.comparisons.find((c) => c.variant === 'short')!.verdict.kind).to.equal('better');
    const lower = analyzeSet(describeSet(DelayTracks), rows(['control', 3000, 50], ['short', 3000, 120], ['long', 3000, 50]), {
      minimumConverted: 51,
    });
    expect(lower.comparisons.find((c) => c.variant === 'short')!.verdict.kind).to.equal('not-enough-data');
  });

  it('tunes the sequence at the planned users unless told otherwise', () => {
    const counts = rows(['control', 3000, 50], ['short', 3000, 120], ['long', 3000, 50]);
    expect(analyzeSet(describeSet(DelayTracks), counts).options.tuningUsers).to.equal(5000);
    expect(analyzeSet(describeSet(DelayTracks), counts, { plannedUsers: 40000 }).options.tuningUsers).to.equal(40000);
    expect(analyzeSet(describeSet(DelayTracks), counts, { plannedUsers: 40000, tuningUsers: 9000 }).options.tuningUsers).to.equal(9000);
    expect(() => analyzeSet(describeSet(DelayTracks), counts, { minimumConverted: -1 })).to.throw(
      RangeError,
      'option minimumConverted is invalid: -1',
    );
  });

  it('gives the relative lift with its delta-method interval', () => {
    const report = analyzeSet(describeSet(DelayTracks), rows(['control', 20000, 400], ['short', 20000, 520], ['long', 20000, 390]));
    const short = report.comparisons.find((c) => c.variant === 'short')!;
    expect(short.relativeLift).to.be.closeTo(0.3, 1e-12);
    // Var = p1q1/(n p0²) + p1² p0q0/(n p0⁴), written out for these counts.
    const se = Math.sqrt((0.026 * 0.974) / 20000 / 0.02 ** 2 + (0.026 ** 2 * 0.02 * 0.98) / 20000 / 0.02 ** 4);
    expect(short.relativeInterval!.low).to.be.closeTo(0.3 - 1.959963984540054 * se, 1e-12);
    expect(short.relativeInterval!.high).to.be.closeTo(0.3 + 1.959963984540054 * se, 1e-12);
    const empty = analyzeSet(describeSet(DelayTracks), rows(['control', 100, 0], ['short', 100, 3], ['long', 0, 0]));
    expect(empty.comparisons.map((c) => c.relativeLift)).to.deep.equal([null, null]);
  });

  it('says better or worse in points with the interval it follows', () => {
    const report = analyzeSet(describeSet(DelayTracks), rows(['control', 20000, 400], ['short', 20000, 520], ['long', 20000, 390]));
    const short = report.comparisons.find((c) => c.variant === 'short')!;
    expect(short.verdict.words).to.equal(
      `short converts better than control: +0.6 points (97.5 % CI +${(short.sequential.verdictInterval!.low * 100).toFixed(2)} to +${(short.sequential.verdictInterval!.high * 100).toFixed(1)}, always valid)`,
    );
    expect(report.summary).to.equal(`delay: ${short.verdict.words}.`);
  });

  it('says how many more users are needed to detect the effect that matters', () => {
    const report = analyzeSet(describeSet(DelayTracks), rows(['control', 2000, 40], ['short', 2000, 45], ['long', 2000, 41]), {
      minimumEffect: 0.01,
    });
    const c = report.comparisons[0]!;
    const more = c.planning.sequentialRequiredUsers!.variant - 2000;
    expect(more).to.be.above(1000);
    expect(c.verdict.kind).to.equal('not-enough-data');
    expect(c.verdict.words).to.equal(
      `not enough data yet: about ${more.toLocaleString('en-US')} more users per arm to detect a difference of 1.0 point`,
    );
  });

  it('shows a fixed-horizon verdict, following Newcombe, only once the planned users are in', () => {
    const counts = rows(['control', 5000, 100], ['short', 5000, 135], ['long', 5000, 100]);
    expect(analyzeSet(describeSet(DelayTracks), counts, { plannedUsers: 20000 }).comparisons[0]!.fixedVerdict).to.equal(null);
    const report = analyzeSet(describeSet(DelayTracks), counts, { plannedUsers: 15000 });
    for (const c of report.comparisons) {
      const excludes = c.fixed.verdictInterval!.low > 0 || c.fixed.verdictInterval!.high < 0;
      expect(c.fixedVerdict!.kind === 'better' || c.fixedVerdict!.kind === 'worse').to.equal(excludes);
      expect(c.fixedVerdict!.words).to.match(/^at the planned 15,000 users, /);
    }
  });

  it('handles an arm without users, an empty set and a set with one arm', () => {
    // Too few users for the sample-ratio check to judge an empty arm (4.7 expected in each).
    const noLong = analyzeSet(describeSet(DelayTracks), rows(['control', 7, 1], ['short', 7, 2]));
    expect(noLong.sampleRatio.checked).to.equal(false);
    const long = noLong.comparisons.find((c) => c.variant === 'long')!;
    expect(long.verdict).to.deep.equal({ kind: 'no-users', words: 'no users in long yet' });
    expect([long.difference, long.fixed.pValue, long.fixed.adjustedPValue, long.sequential.interval]).to.deep.equal([null, null, null, null]);
    // Holm counts only the comparison that exists.
    expect(noLong.comparisons.find((c) => c.variant === 'short')!.fixed.level).to.equal(0.05);
    expect(analyzeSet(describeSet(DelayTracks), []).summary).to.equal('delay: no users yet.');
    class Solo extends SimpleTrackSet {
      static override setName = 'solo';
      static override addControlTrack = false;
      static onlyTrack(): void {}
    }
    const solo = analyzeSet(describeSet(Solo), rows(['only', 10, 1]));
    expect(solo.comparisons).to.deep.equal([]);
    expect(solo.summary).to.equal('solo: nothing to compare: only only (10.0 % of 10 convert).');
  });

  it('takes a baseline for a set without control, and JSON survives unchanged', () => {
    const report = analyzeSet(
      describeSet(PricingTracks),
      rows(['price_adjusted_by_0', 900, 30], ['price_adjusted_by_-1', 950, 33], ['price_adjusted_by_1', 920, 20]),
      {
        control: 'price_adjusted_by_0',
      },
    );
    expect(report.control).to.equal('price_adjusted_by_0');
    expect(report.comparisons.map((c) => c.variant)).to.deep.equal(['price_adjusted_by_-1', 'price_adjusted_by_1']);
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
    expect(() => analyzeSet(describeSet(PricingTracks), [], { control: 'nope' })).to.throw(RangeError, /option control is invalid/);
  });
});

describe('analyzeMulti', () => {
  // Users per member as the multi set's weights (100 : 1000) split them, each member's variants equal.
  const fair = (pricingLoss: number) => [
    ...rows(['control', 3030, 60], ['long', 3030, 55], ['short', 3031, 70]).map((r) => ({ ...r, set: 'delay' })),
    ...rows(['price_adjusted_by_-1', 30303, 900], ['price_adjusted_by_0', 30303, 880], ['price_adjusted_by_1', 30303, 850]).map((r) => ({
      ...r,
      set: 'pricing',
      users: Math.round(r.users * (1 - pricingLoss)),
    })),
  ];

  it('does not flag a fair member split', () => {
    const report = analyzeMulti(describeSet(Experiments), fair(0), { control: undefined });
    expect(report.memberSplit.flagged).to.equal(false);
    expect(report.splitMembers).to.deep.equal(['delay', 'pricing']);
    expect(report.members.map((m) => m.status)).to.deep.equal(['running', 'running']);
  });

  it('flags a 30 % loss of one member and holds every member', () => {
    const report = analyzeMulti(describeSet(Experiments), fair(0.3));
    expect(report.memberSplit.flagged).to.equal(true);
    expect(report.memberSplit.pValue).to.be.below(1e-100);
    // Within the member the arms still look fine: only the member split sees it.
    expect(report.members[1]!.sampleRatio.flagged).to.equal(false);
    for (const m of report.members) {
      expect(m.status).to.equal('on-hold');
      expect(m.summary).to.match(/on hold: the split of users between the members of the multi set does not match their weights/);
    }
  });
});

describe('the building blocks', () => {
  it("adjusts by Holm's step-down and gives levels that agree with it", () => {
    expect(holmAdjust([0.01, 0.04, null, 0.03])).to.deep.equal([0.03, 0.06, null, 0.06]);
    expect(holmLevels([0.01, 0.04, null, 0.03], 0.05)).to.deep.equal([0.05 / 3, 0.025, null, 0.025]);
    expect(holmLevels([0.001, 0.2], 0.05)).to.deep.equal([0.025, 0.05]);
  });

  it('returns null intervals for arms without users and rejects impossible counts', () => {
    expect(wilsonInterval({ converted: 0, users: 0 })).to.equal(null);
    expect(newcombeInterval({ converted: 0, users: 0 }, { converted: 1, users: 2 })).to.equal(null);
    expect(sequentialInterval({ converted: 1, users: 2 }, { converted: 0, users: 0 })).to.equal(null);
    expect(() => wilsonInterval({ converted: 3, users: 2 })).to.throw(RangeError, /0 ≤ converted ≤ users/);
  });
});
