// Statistics of the coconut store's results page: intervals, differences, sample-ratio mismatch, verdicts.
import { expect } from 'chai';
import {
  analyzeSet,
  differenceOfProportions,
  equalSplit,
  findWinner,
  sampleRatioCheck,
  twoSidedPValue,
  wilsonInterval,
  zFor,
  type VariantCounts,
} from '../../examples/coconut-store/stats.js';

const counts = (setName: string, rows: [string, number, number][]): VariantCounts[] =>
  rows.map(([variant, exposedUsers, convertedUsers]) => ({ setName, variant, exposedUsers, convertedUsers }));

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", method 3.
  const textbook: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ];
  for (const [x, n, low, high] of textbook) {
    it(`matches the published 95% interval for ${x}/${n}`, () => {
      const interval = wilsonInterval(x, n)!;
      expect(interval.low).to.be.closeTo(low, 0.00005);
      expect(interval.high).to.be.closeTo(high, 0.00005);
    });
  }

  it('has no interval without trials', () => {
    expect(wilsonInterval(0, 0)).to.equal(null);
  });

  it('narrows with a lower confidence', () => {
    const wide = wilsonInterval(81, 263, 0.99)!;
    const narrow = wilsonInterval(81, 263, 0.9)!;
    expect(narrow.high - narrow.low).to.be.lessThan(wide.high - wide.low);
  });

  it('uses the normal quantile 1.96 for 95%', () => {
    expect(zFor(0.95)).to.be.closeTo(1.959964, 1e-6);
    expect(() => zFor(1)).to.throw(RangeError, 'confidence is invalid: 1');
  });
});

describe('differenceOfProportions', () => {
  it('matches the published Wald interval for 56/70 against 48/80', () => {
    // Newcombe (1998), "Interval estimation for the difference between independent proportions", method 1.
    const d = differenceOfProportions({ successes: 56, trials: 70 }, { successes: 48, trials: 80 })!;
    expect(d.absolute).to.be.closeTo(0.2, 1e-12);
    expect(d.interval.low).to.be.closeTo(0.0575, 0.00005);
    expect(d.interval.high).to.be.closeTo(0.3425, 0.00005);
    expect(d.pValue).to.be.closeTo(0.00594, 0.00001);
  });

  it('gives a p-value at 0.05 exactly when the interval touches zero', () => {
    expect(twoSidedPValue(zFor(0.95))).to.be.closeTo(0.05, 1e-9);
    expect(twoSidedPValue(0)).to.equal(1);
  });

  it('is negative when the variant converts less', () => {
    const d = differenceOfProportions({ successes: 20, trials: 1000 }, { successes: 50, trials: 1000 })!;
    expect(d.absolute).to.be.closeTo(-0.03, 1e-12);
    expect(d.interval.high).to.be.lessThan(0);
  });

  it('has no difference when a side has no users, and no evidence without variance', () => {
    expect(differenceOfProportions({ successes: 0, trials: 0 }, { successes: 1, trials: 10 })).to.equal(null);
    expect(differenceOfProportions({ successes: 0, trials: 10 }, { successes: 0, trials: 10 })!.pValue).to.equal(1);
  });
});

describe('sampleRatioCheck', () => {
  it('flags a 55/45 split of 10,000 users against 50/50', () => {
    const srm = sampleRatioCheck([
      { count: 5500, weight: 1 },
      { count: 4500, weight: 1 },
    ]);
    expect(srm.statistic).to.be.closeTo(100, 1e-9);
    expect(srm.degreesOfFreedom).to.equal(1);
    expect(srm.pValue).to.be.below(0.001);
    expect(srm.flagged).to.equal(true);
  });

  it('does not flag a fair split', () => {
    const srm = sampleRatioCheck([
      { count: 5030, weight: 1 },
      { count: 4970, weight: 1 },
    ]);
    expect(srm.checked).to.equal(true);
    expect(srm.pValue).to.be.closeTo(0.5485, 0.0001);
    expect(srm.flagged).to.equal(false);
  });

  it('tests against unequal weights', () => {
    const fair = sampleRatioCheck([
      { count: 5020, weight: 2 },
      { count: 2490, weight: 1 },
      { count: 2490, weight: 1 },
    ]);
    expect(fair.degreesOfFreedom).to.equal(2);
    expect(fair.flagged).to.equal(false);
    expect(
      sampleRatioCheck([
        { count: 3400, weight: 2 },
        { count: 3300, weight: 1 },
        { count: 3300, weight: 1 },
      ]).flagged,
    ).to.equal(true);
  });

  it('does not judge while some variant expects fewer than 5 users', () => {
    const srm = sampleRatioCheck([
      { count: 8, weight: 1 },
      { count: 0, weight: 1 },
    ]);
    expect(srm.checked).to.equal(false);
    expect(srm.flagged).to.equal(false);
  });

  it('flags users in a variant configured with weight 0', () => {
    expect(
      sampleRatioCheck([
        { count: 500, weight: 1 },
        { count: 1, weight: 0 },
      ]).flagged,
    ).to.equal(true);
  });
});

describe('analyzeSet', () => {
  const delay = equalSplit('delay', 'control', ['control', 'short', 'long']);

  it('gives the plain-language verdicts', () => {
    const set = analyzeSet(
      equalSplit('delay', 'control', ['control', 'better', 'worse', 'same']),
      counts('delay', [
        ['control', 1000, 50],
        ['better', 1000, 80],
        ['worse', 1000, 25],
        ['same', 1000, 55],
      ]),
    );
    expect(set.variants.map((v) => [v.variant, v.verdict])).to.deep.equal([
      ['control', 'control'],
      ['better', 'better than control'],
      ['worse', 'worse than control'],
      ['same', 'no clear difference yet'],
    ]);
    expect(set.winner?.variant).to.equal('better');
    expect(set.totalUsers).to.equal(4000);
  });

  it('says too little data below the minimum sample, in the variant or in control', () => {
    const set = analyzeSet(
      delay,
      counts('delay', [
        ['control', 99, 1],
        ['short', 500, 100],
        ['long', 0, 0],
      ]),
    );
    expect(set.variants.map((v) => v.verdict)).to.deep.equal(['control', 'too little data', 'too little data']);
    expect(set.variants[2]!.rate).to.equal(null);
    expect(
      analyzeSet(
        delay,
        counts('delay', [
          ['control', 20, 1],
          ['short', 20, 10],
        ]),
        { minUsers: 10 },
      ).variants[1]!.verdict,
    ).to.equal('better than control');
  });

  it('compares with the configured control when the set has no automatic one', () => {
    const names = [-1, 0, 1].map((d) => `price_adjusted_by_${d}`);
    const set = analyzeSet(
      equalSplit('pricing', 'price_adjusted_by_0', names),
      counts('pricing', [
        ['price_adjusted_by_-1', 2000, 200],
        ['price_adjusted_by_0', 2000, 100],
        ['price_adjusted_by_1', 2000, 60],
      ]),
    );
    expect(set.variants.find((v) => v.isControl)?.variant).to.equal('price_adjusted_by_0');
    expect(set.variants.map((v) => v.verdict)).to.deep.equal(['better than control', 'control', 'worse than control']);
  });

  it('widens the difference for the number of comparisons (Bonferroni)', () => {
    const names = ['control', ...Array.from({ length: 10 }, (_, i) => `v${i}`)];
    const rows = counts(
      'many',
      names.map((n): [string, number, number] => [n, 1000, n === 'v0' ? 75 : 50]),
    );
    const adjusted = analyzeSet(equalSplit('many', 'control', names), rows).variants[1]!;
    const alone = analyzeSet(equalSplit('many', 'control', names), rows, { adjustForComparisons: false }).variants[1]!;
    expect(alone.difference!.pValue).to.be.below(0.05);
    expect(alone.verdict).to.equal('better than control');
    expect(adjusted.difference!.pValue).to.be.closeTo(Math.min(1, alone.difference!.pValue * 10), 1e-12);
    expect(adjusted.difference!.unadjustedPValue).to.equal(alone.difference!.pValue);
    expect(adjusted.verdict).to.equal('no clear difference yet');
    expect(adjusted.difference!.interval.low).to.be.below(0);
  });

  it('flags a sample-ratio mismatch against an equal split, and shows unconfigured variants', () => {
    expect(
      analyzeSet(
        delay,
        counts('delay', [
          ['control', 3700, 1],
          ['short', 3300, 1],
          ['long', 3300, 1],
        ]),
      ).srm.flagged,
    ).to.equal(true);
    expect(
      analyzeSet(
        delay,
        counts('delay', [
          ['control', 3350, 1],
          ['short', 3320, 1],
          ['long', 3330, 1],
        ]),
      ).srm.flagged,
    ).to.equal(false);
    const renamed = analyzeSet(
      delay,
      counts('delay', [
        ['control', 300, 1],
        ['short', 300, 1],
        ['long', 300, 1],
        ['old', 50, 1],
      ]),
    );
    expect(renamed.variants.map((v) => v.variant)).to.deep.equal(['control', 'short', 'long', 'old']);
    expect(renamed.srm.flagged).to.equal(true);
  });

  it('ignores rows of other sets', () => {
    const set = analyzeSet(delay, [...counts('delay', [['control', 10, 1]]), ...counts('pricing', [['control', 99, 9]])]);
    expect(set.totalUsers).to.equal(10);
  });

  it('names the set and the problem in configuration errors', () => {
    expect(() => analyzeSet(equalSplit('delay', 'ctrl', ['control']), [])).to.throw(RangeError, 'set delay: control ctrl is not one of its variants');
    expect(() => analyzeSet({ setName: 'delay', control: 'a', variants: [{ name: 'a', weight: -1 }] }, [])).to.throw(
      'weight of variant a is invalid: -1',
    );
  });
});

describe('findWinner', () => {
  it('picks the best rate among variants significantly better than control', () => {
    const set = analyzeSet(
      equalSplit('s', 'control', ['control', 'good', 'best', 'lucky']),
      counts('s', [
        ['control', 5000, 250],
        ['good', 5000, 330],
        ['best', 5000, 400],
        ['lucky', 50, 10],
      ]),
    );
    expect(findWinner(set.variants)?.variant).to.equal('best');
  });

  it('finds none when nothing beats control', () => {
    const set = analyzeSet(
      equalSplit('s', 'control', ['control', 'a']),
      counts('s', [
        ['control', 5000, 250],
        ['a', 5000, 240],
      ]),
    );
    expect(findWinner(set.variants)).to.equal(null);
    expect(set.winner).to.equal(null);
  });
});
