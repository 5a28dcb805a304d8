// The false verdict rate of the always-valid verdicts under no effect, by seeded simulation, with Wilson intervals.
// Run: npx tsx scripts/simulate-verdicts.ts [experiments per cell, default 20000] [--cuped]
import { cupedEstimate, cupedFit, PEEKING_DEFAULTS } from '../src/analysis/index.js';
import { Random, simulateCell, wilson, type SimulatedData } from '../test/analysis/verdict-simulation.js';

const experiments = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20000);
const USERS = 100_000;
const LOOKS = [1, 5, 20, 60, 240];
const MINIMUMS = [...new Set([0, 10, PEEKING_DEFAULTS.minimumPerArm, 25, 50, 100])].sort((a, b) => a - b);
const TUNINGS = [USERS, USERS / 20];
const SPLITS = [0.5, 0.2, 0.1];
const DATA: { name: string; data: SimulatedData }[] = [
  { name: 'conversion 0.5 %', data: { kind: 'conversion', rate: 0.005 } },
  { name: 'conversion 2 %', data: { kind: 'conversion', rate: 0.02 } },
  { name: 'revenue (3 % buy, lognormal σ 1.2)', data: { kind: 'revenue', buyRate: 0.03, mu: 3, sigma: 1.2 } },
  { name: 'revenue per order (ratio)', data: { kind: 'ratio', buyRate: 0.03, mu: 3, sigma: 1.2, extraOrders: 0.5 } },
];

const pct = (x: number) => `${(x * 100).toFixed(2)}`;
const cellText = (k: number, n: number) => {
  const w = wilson(k, n);
  return `${pct(k / n)} [${pct(w.low)}, ${pct(w.high)}]`;
};

function falseVerdicts(): void {
  console.log(`False verdicts under no effect, ${experiments} experiments per cell, ${USERS} persons per test, α = 0.05.`);
  console.log(`Per cell: % of experiments with a false better/worse verdict at any look [95 % Wilson interval].`);
  console.log(`Minimum per arm (conversions, or persons with a non-zero value) before a verdict: ${MINIMUMS.join(', ')}.\n`);
  let seed = 1;
  let worst = 0;
  const started = Date.now();
  for (const { name, data } of DATA) {
    for (const share of SPLITS) {
      const split = `${Math.round((1 - share) * 100)}/${Math.round(share * 100)}`;
      const result = simulateCell(
        { data, users: USERS, variantShare: share, tunings: TUNINGS, minimums: MINIMUMS, looks: LOOKS },
        experiments,
        seed++,
      );
      for (let t = 0; t < TUNINGS.length; t++) {
        console.log(`${name}, ${split}, tuning ${TUNINGS[t]}:`);
        for (let l = 0; l < LOOKS.length; l++) {
          const cells = MINIMUMS.map((min, m) => {
            const k = result.rejected[t]![m]![l]!;
            if (min === PEEKING_DEFAULTS.minimumPerArm) worst = Math.max(worst, k / experiments);
            return `min ${String(min).padStart(3)}: ${cellText(k, experiments)}`;
          });
          console.log(`  ${String(LOOKS[l]).padStart(3)} looks  ${cells.join('  ')}`);
        }
      }
    }
  }
  console.log(
    `\nWorst cell at the default minimum ${PEEKING_DEFAULTS.minimumPerArm}: ${pct(worst)} %. ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
}

/**
 * CUPED's variance reduction on data with a correlated pre-period: each shopper has a lognormal taste
 * that scales their spend both before and during the test (buy chance 15 % × taste in each period, independently),
 * so x and y are positively correlated; measured as 1 − Var(adjusted difference)/Var(difference) over
 * seeded experiments, against the pooled within-arm R² the report states.
 */
function cupedReduction(): void {
  const random = new Random(99);
  const n = 20_000;
  const runs = 400;
  const diffs: number[] = [];
  const adjusted: number[] = [];
  let stated = 0;
  for (let r = 0; r < runs; r++) {
    const arms = [0, 1].map((a) => ({ variant: a === 0 ? 'control' : 'variant', n: n / 2, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 }));
    for (const arm of arms) {
      for (let i = 0; i < arm.n; i++) {
        // A shopper's taste sets both their chance to buy and their spend, before and during the test.
        const taste = Math.exp(0.8 * random.normal());
        const buy = Math.min(1, 0.15 * taste);
        const x = random.uniform() < buy ? 20 * taste * Math.exp(0.5 * random.normal()) : 0;
        const y = random.uniform() < buy ? 20 * taste * Math.exp(0.5 * random.normal()) : 0;
        arm.sumY += y;
        arm.sumY2 += y * y;
        arm.sumX += x;
        arm.sumX2 += x * x;
        arm.sumXY += x * y;
      }
    }
    const fit = cupedFit(arms)!;
    stated += fit.varianceReduction / runs;
    diffs.push(arms[1]!.sumY / arms[1]!.n - arms[0]!.sumY / arms[0]!.n);
    adjusted.push(cupedEstimate(arms[1]!, fit)!.estimate - cupedEstimate(arms[0]!, fit)!.estimate);
  }
  const variance = (v: number[]) => {
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    return v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1);
  };
  const measured = 1 - variance(adjusted) / variance(diffs);
  console.log(`\nCUPED on a correlated pre-period (${runs} experiments of ${n} persons, buy chance 15 % × taste in each period, spend ∝ taste):`);
  console.log(`  variance reduction measured over experiments ${pct(measured)} %; stated by the report (mean pooled R²) ${pct(stated)} %`);
}

if (!process.argv.includes('--cuped-only')) falseVerdicts();
cupedReduction();
