// A smaller run of `npm run simulate`: tracks-ab/analysis finds the planted winner and loser, with no sample-ratio mismatch.
import { expect } from 'chai';
import { foundEffects } from '../../examples/coconut-store/simulate.js';
import { runSimulation, type TrueRates } from '../../examples/coconut-store/simulation.js';
import { PRICE_DELTAS, pricingVariant } from '../../examples/coconut-store/tracks.js';

// A strong effect, so that 3,000 visitors (about 900 per delay variant) are enough to find it.
const STRONG: TrueRates = {
  delay: { control: 0.05, short: 0.15, long: 0.01 },
  pricing: Object.fromEntries(PRICE_DELTAS.map((d) => [pricingVariant(d), 0.08])),
  none: 0.05,
};

describe('coconut store simulation', function () {
  this.timeout(180_000);

  it('finds the winner of 3,000 seeded visitors on /results and waits for the minimum of conversions before calling the loser, with no sample-ratio mismatch', async () => {
    const report = await runSimulation({ visitors: 3000, seed: 7, rates: STRONG });
    const { report: multi } = report.analyses;
    const delay = multi.members.find((set) => set.set === 'delay')!;
    // long converts at 1 % of about 900: fewer than the 25 conversions an arm needs before a verdict.
    expect(foundEffects(delay)).to.deep.equal({ winner: 'short', losers: [] });
    expect(delay.comparisons.find((c) => c.variant === 'long')!.verdict.words).to.match(
      /^not enough data yet: each arm needs 25 conversions before a verdict \(long has \d, control \d+\)$/,
    );
    expect(report.results.summaries[0]).to.match(/^delay: short converts better than control: \+[\d.]+ points \(/);
    expect(report.results.srmWarnings).to.deep.equal({ delay: false, pricing: false });
    expect(multi.members.every((set) => !set.sampleRatio.flagged)).to.equal(true);
    expect(multi.memberSplit.flagged).to.equal(false);
    expect(report.testSplit.flagged).to.equal(false);
    expect(report.stickinessBreaks).to.equal(0);
    expect(report.priceMismatches).to.equal(0);
    expect(report.purchases).to.be.greaterThan(0);
    // The page's table agrees with the analysis behind it.
    expect(report.results.tables.delay!.map((row) => row.users)).to.deep.equal(delay.arms.map((a) => a.users));
  });
});
