// A smaller run of `npm run simulate`: the results page finds a strong winner and reports no sample-ratio mismatch.
import { expect } from 'chai';
import { runSimulation, type TrueRates } from '../../examples/coconut-store/simulation.js';
import { PRICE_DELTAS, pricingVariant } from '../../examples/coconut-store/tracks.js';

// A strong effect, so that 3,000 visitors (about 900 per delay variant) are enough to find it.
const STRONG: TrueRates = {
  delay: { control: 0.05, short: 0.15, long: 0.03 },
  pricing: Object.fromEntries(PRICE_DELTAS.map((d) => [pricingVariant(d), 0.08])),
  none: 0.05,
};

describe('coconut store simulation', function () {
  this.timeout(120_000);

  it('finds the winner of 3,000 seeded visitors on /results, with no sample-ratio mismatch', async () => {
    const report = await runSimulation({ visitors: 3000, seed: 7, rates: STRONG });
    const delay = report.analyses.find((set) => set.setName === 'delay')!;
    expect(delay.winner?.variant).to.equal('short');
    expect(delay.variants.find((v) => v.variant === 'long')?.verdict).to.equal('worse than control');
    expect(report.results.summaries[0]).to.match(/^short delay: [\d.]+% convert, [\d.]+ points better than control — likely a real difference\.$/);
    expect(report.results.srmWarnings).to.deep.equal({ delay: false, pricing: false });
    expect(report.analyses.every((set) => !set.srm.flagged)).to.equal(true);
    expect(report.testSplit.flagged).to.equal(false);
    expect(report.stickinessBreaks).to.equal(0);
    expect(report.priceMismatches).to.equal(0);
    expect(report.purchases).to.be.greaterThan(0);
    // The page's table agrees with the analysis behind it.
    expect(report.results.tables.delay!.map((row) => row.users)).to.deep.equal(delay.variants.map((v) => v.exposedUsers));
  });
});
