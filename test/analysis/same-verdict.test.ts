// The metrics' `same` verdict by seeded simulation: at a true change as large as minimumEffect it is rarely given, at no change it is reached.
import { expect } from 'chai';
import { analyzeMetric, type ArmSums } from '../../src/analysis/index.js';
import { binomialUpperCritical, Random, wilson } from './verdict-simulation.js';

const EXPERIMENTS = 400;
const PER_ARM = 40_000;
const LOOKS = 20;
const MARGIN = 0.1;
// Revenue per visitor: 30 % buy, spend lognormal (μ 3, σ 0.8): a mean of about 8.3 and a coefficient of variation of about 2.3.
const BUY = 0.3;
const MU = 3;
const SIGMA = 0.8;

/** Adds `persons` visitors to an arm, each buying with BUY and spending lognormal × scale. */
function add(arm: { n: number; sumY: number; sumY2: number; nonZero: number }, persons: number, scale: number, random: Random): void {
  arm.n += persons;
  for (let i = 0; i < persons; i++) {
    if (random.uniform() >= BUY) continue;
    const spend = scale * Math.exp(MU + SIGMA * random.normal());
    arm.sumY += spend;
    arm.sumY2 += spend * spend;
    arm.nonZero += 1;
  }
}

/** Of `EXPERIMENTS` seeded experiments with the variant's spend × scale: how many were called `same` at any of 20 looks, and at the last. */
function simulate(scale: number, seed: number): { any: number; last: number } {
  const random = new Random(seed);
  let any = 0;
  let last = 0;
  for (let e = 0; e < EXPERIMENTS; e++) {
    const control = { variant: 'control', n: 0, sumY: 0, sumY2: 0, nonZero: 0 };
    const variant = { variant: 'b', n: 0, sumY: 0, sumY2: 0, nonZero: 0 };
    let seen = false;
    for (let look = 1; look <= LOOKS; look++) {
      add(control, PER_ARM / LOOKS, 1, random);
      add(variant, PER_ARM / LOOKS, scale, random);
      const arms: ArmSums[] = [{ ...control }, { ...variant }];
      const report = analyzeMetric(
        { name: 'revenue per visitor', kind: 'mean', role: 'primary', control: 'control', arms, minimumEffect: MARGIN },
        { tuningUsers: 2 * PER_ARM },
      );
      const same = report.comparisons[0]!.verdict.kind === 'same';
      seen ||= same;
      if (look === LOOKS && same) last += 1;
    }
    if (seen) any += 1;
  }
  return { any, last };
}

describe('the metrics’ same verdict (seeded simulation, 20 looks, minimumEffect 10 %)', function () {
  this.timeout(120_000);
  const critical = binomialUpperCritical(EXPERIMENTS, 0.055, 0.001);
  const rows: string[] = [];
  after(() =>
    console.log(`    experiments called alike, of ${EXPERIMENTS} (fail at ${critical} or more when the change is the margin):\n${rows.join('\n')}`),
  );

  for (const [scale, seed] of [
    [1 + MARGIN, 11],
    [1 - MARGIN, 12],
  ] as const) {
    it(`calls a true change of ${scale > 1 ? '+' : '−'}10 % alike in at most 5.5 % of experiments, at any look`, () => {
      const { any } = simulate(scale, seed);
      rows.push(`  true change ${scale > 1 ? '+' : '−'}10 %: ${any} (${(wilson(any, EXPERIMENTS).high * 100).toFixed(1)} % at most)`);
      expect(any).to.be.below(critical);
    });
  }

  it('reaches it when there is no change: most experiments are called alike by the last look', () => {
    const { last } = simulate(1, 13);
    rows.push(`  no change: ${last} at the last look`);
    expect(last / EXPERIMENTS).to.be.above(0.5);
  });
});
