// `npm run simulate`: 20,000 seeded shoppers through the store, then what /results concludes, checked against the truth.
import { formatPercent } from './results-words.js';
import { DEFAULT_RATES, runSimulation, type SimulationReport, type TrueRates } from './simulation.js';
import type { SetAnalysis } from './stats.js';

/** The variant the true rates make best in a set, if it beats the set's control. */
export function trueWinner(set: SetAnalysis, rates: TrueRates): string | null {
  const table = set.setName === 'delay' ? rates.delay : rates.pricing;
  let best: string | null = null;
  for (const v of set.variants) {
    if ((table[v.variant] ?? 0) > (table[set.control] ?? 0) && (best === null || table[v.variant]! > table[best]!)) best = v.variant;
  }
  return best;
}

function numberArg(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = given === undefined ? fallback : Number(given.slice(name.length + 3));
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`--${name} is invalid: ${given}`);
  return value;
}

function setReport(set: SetAnalysis, report: SimulationReport, rates: TrueRates): { lines: string[]; ok: boolean } {
  const table = set.setName === 'delay' ? rates.delay : rates.pricing;
  const lines = [`Test "${set.setName}" (${set.totalUsers} users)`, '  variant                 users  bought  observed  true rate  verdict'];
  for (const v of set.variants) {
    lines.push(
      `  ${v.variant.padEnd(22)} ${String(v.exposedUsers).padStart(6)} ${String(v.convertedUsers).padStart(7)} ${(v.rate === null ? '—' : formatPercent(v.rate)).padStart(9)} ${formatPercent(table[v.variant] ?? 0).padStart(10)}  ${v.verdict}`,
    );
  }
  const expected = trueWinner(set, rates);
  const found = set.winner?.variant ?? null;
  const srm = report.results.srmWarnings[set.setName] === true;
  lines.push(
    `  winner: true ${expected ?? 'none (control is best)'}, found ${found ?? 'none'} ${found === expected ? '✓' : '✗'}`,
    `  sample-ratio mismatch on /results: ${srm ? 'REPORTED ✗' : 'none ✓'} (p = ${set.srm.pValue.toFixed(3)})`,
  );
  return { lines, ok: found === expected && !srm };
}

async function main(): Promise<void> {
  const visitors = numberArg('visitors', 20_000);
  const seed = numberArg('seed', 1);
  console.log(`Simulating ${visitors} visitors (seed ${seed}) through the coconut store…`);
  const report = await runSimulation({ visitors, seed, rates: DEFAULT_RATES });
  const sets = report.analyses.map((set) => setReport(set, report, DEFAULT_RATES));
  const split = `delay ${report.testUsers.delay ?? 0}, pricing ${report.testUsers.pricing ?? 0}`;
  const checks = [
    `stickiness: ${report.stickinessBreaks === 0 ? 'every returning visitor kept their variant and prices ✓' : `${report.stickinessBreaks} returning visitors changed variant ✗`}`,
    `prices: ${report.priceMismatches === 0 ? 'every purchase charged the price its page showed ✓' : `${report.priceMismatches} purchases charged another price ✗`}`,
    `split between the tests (weights 1000:100): ${split}, p = ${report.testSplit.pValue.toFixed(3)} ${report.testSplit.flagged ? '✗' : '✓'}`,
  ];
  console.log(
    [
      `${report.visitors} visitors, ${report.requests} requests, ${report.purchases} purchases in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      '',
      'What /results says:',
      ...report.results.summaries.map((line) => `  • ${line}`),
      '',
      ...sets.flatMap((s) => [...s.lines, '']),
      ...checks,
    ].join('\n'),
  );
  const ok = sets.every((s) => s.ok) && report.stickinessBreaks === 0 && report.priceMismatches === 0 && !report.testSplit.flagged;
  console.log(ok ? '\nAll checks passed.' : '\nSome checks failed.');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
