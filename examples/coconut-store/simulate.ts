// `npm run simulate [-- --into-demo]`: 20,000 seeded shoppers through the store (a throwaway database, or the demo's own), then what /results concludes, checked against the truth.
import { formatPercent, formatPoints, type SetReport } from 'tracks-ab/analysis';
import { databaseFromEnv } from './db.js';
import { leadingVariant } from 'tracks-ab/analysis';
import { DEFAULT_RATES, DISAGREEING_RATES, runSimulation, type SimulationReport, type TrueRates } from './simulation.js';

/** The planted effects the analysis must find: the best variant of each set (null: control is best) and a clear loser. */
export const PLANTED = { winner: { delay: null, pricing: 'price_adjusted_by_-5' }, loser: { delay: 'long', pricing: null } } as const;

/** The variants the report calls better (best rate first) and worse. */
export function foundEffects(set: SetReport): { winner: string | null; losers: string[] } {
  const rate = (variant: string) => set.arms.find((a) => a.variant === variant)?.rate ?? 0;
  const better = set.comparisons.filter((c) => c.verdict.kind === 'better').sort((a, b) => rate(b.variant) - rate(a.variant));
  return { winner: better[0]?.variant ?? null, losers: set.comparisons.filter((c) => c.verdict.kind === 'worse').map((c) => c.variant) };
}

function numberArg(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = given === undefined ? fallback : Number(given.slice(name.length + 3));
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`--${name} is invalid: ${given}`);
  return value;
}

function setReport(set: SetReport, rates: TrueRates): { lines: string[]; ok: boolean } {
  const table = set.set === 'delay' ? rates.delay : rates.pricing;
  const planted = { winner: PLANTED.winner[set.set as 'delay'] ?? null, loser: PLANTED.loser[set.set as 'delay'] ?? null };
  const lines = [
    `Test "${set.set}" (${set.totalUsers} users)`,
    '  variant                 users  bought  observed  true rate  difference, sequential 95 %     verdict',
  ];
  for (const arm of set.arms) {
    const c = set.comparisons.find((x) => x.variant === arm.variant);
    const i = c?.sequential.interval;
    const diff = c?.difference != null && i ? `${formatPoints(c.difference)} (${formatPoints(i.low)} to ${formatPoints(i.high)})` : '';
    lines.push(
      `  ${arm.variant.padEnd(22)} ${String(arm.users).padStart(6)} ${String(arm.converted).padStart(7)} ${(arm.rate === null ? '—' : formatPercent(arm.rate)).padStart(9)} ${formatPercent(table[arm.variant] ?? 0).padStart(10)}  ${diff.padEnd(30)}  ${c ? c.verdict.kind : 'control'}`,
    );
  }
  const found = foundEffects(set);
  const loserOk = planted.loser === null || found.losers.includes(planted.loser);
  lines.push(
    `  winner: planted ${planted.winner ?? 'none (control is best)'}, found ${found.winner ?? 'none'} ${found.winner === planted.winner ? '✓' : '✗'}`,
    `  loser: planted ${planted.loser ?? 'none'}, found ${found.losers.join(', ') || 'none'} ${loserOk ? '✓' : '✗'}`,
    `  sample-ratio mismatch: ${set.sampleRatio.flagged ? 'FLAGGED ✗' : 'none ✓'} (p = ${set.sampleRatio.pValue.toFixed(3)})`,
  );
  return { lines, ok: found.winner === planted.winner && loserOk && !set.sampleRatio.flagged };
}

async function main(): Promise<void> {
  const visitors = numberArg('visitors', 20_000);
  const seed = numberArg('seed', 1);
  // --into-demo: fill the demo's own database (stop `npm start` first: PGlite is one process's), so /results shows the run.
  const database = process.argv.includes('--into-demo') ? databaseFromEnv() : undefined;
  const where = database ? ` into ${database.url ? 'DATABASE_URL' : database.dataDir}` : '';
  console.log(`Simulating ${visitors} visitors (seed ${seed}) through the coconut store${where}…`);
  // --world=disagree: conversion and revenue disagree (the cheapest converts most, the dearest earns most).
  const disagree = process.argv.includes('--world=disagree');
  const rates = disagree ? DISAGREEING_RATES : DEFAULT_RATES;
  const report: SimulationReport = await runSimulation({ visitors, seed, rates, database });
  const { report: multi } = report.analyses;
  const sets = disagree ? [] : multi.members.map((set) => setReport(set, rates));
  const metricLines = (report.metrics ?? []).map(
    (m) => `  ${m.set} ${m.report.metric} (${m.report.role}): leads ${leadingVariant(m.report)?.variant ?? 'nobody yet'}. ${m.report.summary}`,
  );
  const split = `delay ${report.testUsers.delay ?? 0}, pricing ${report.testUsers.pricing ?? 0}`;
  const checks = [
    `stickiness: ${report.stickinessBreaks === 0 ? 'every returning visitor kept their variant and prices ✓' : `${report.stickinessBreaks} returning visitors changed variant ✗`}`,
    `prices: ${report.priceMismatches === 0 ? 'every purchase charged the price its page showed ✓' : `${report.priceMismatches} purchases charged another price ✗`}`,
    `split between the tests (weights 1000:100): ${split}, p = ${report.testSplit.pValue.toFixed(3)} ${report.testSplit.flagged ? '✗' : '✓'}`,
    `member split on /results: p = ${multi.memberSplit.pValue.toFixed(3)} ${multi.memberSplit.flagged ? 'FLAGGED ✗' : '✓'}`,
  ];
  console.log(
    [
      `${report.visitors} visitors, ${report.requests} requests, ${report.purchases} purchases in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      '',
      'What /results says:',
      ...report.results.summaries.map((line) => `  • ${line}`),
      '',
      ...sets.flatMap((s) => [...s.lines, '']),
      'Metrics on /results (CUPED on for revenue):',
      ...metricLines,
      '',
      ...checks,
    ].join('\n'),
  );
  const ok =
    sets.every((s) => s.ok) &&
    report.stickinessBreaks === 0 &&
    report.priceMismatches === 0 &&
    !report.testSplit.flagged &&
    !multi.memberSplit.flagged &&
    Object.values(report.results.srmWarnings).every((w) => !w);
  console.log(ok ? '\nAll checks passed.' : '\nSome checks failed.');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
