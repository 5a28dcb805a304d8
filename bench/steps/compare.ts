// Two builds (or two variants) of one framework's returning-visitor request against each other, in-process: which costs less, to about a tenth of a microsecond.
// Usage: npx tsx bench/steps/compare.ts <express|koa|fastify> <A> <B> [--sets 25] [--rounds 400]
//   A, B: a variant of apps.mjs (tracks-3, hand-3, bare…), from this checkout, or `<root>:<variant>` from another
//   one (its dist/ built with `npm run build`; its node_modules may be a link to this one's). To compare a change
//   against main: `git worktree add /tmp/main main && (cd /tmp/main && ln -s "$PWD/node_modules" . && npm run build)`,
//   then `npx tsx bench/steps/compare.ts koa /tmp/main:tracks-3 tracks-3`. Takes about a minute a framework.
// Prints each one's µs CPU per request, and B − A: the median of per-round differences, its interquartile range,
// and the median of the sets' own medians with their range (the sets of processes are the independent draws).
import * as path from 'node:path';
import { median, quantile } from '../stats.js';
import { measureRounds, PER_ROUND, type Entrant } from './rounds.js';

function parse(argv: readonly string[]): { framework: string; entrants: Entrant[]; sets: number; rounds: number } {
  const positional: string[] = [];
  let sets = 25;
  let rounds = 400;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--sets' || a === '--rounds') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a whole number, at least 1`);
      if (a === '--sets') sets = n;
      else rounds = n;
    } else positional.push(a);
  }
  const [framework = '', a = '', b = ''] = positional;
  if (!(framework in PER_ROUND) || !a || !b || positional.length > 3) {
    throw new Error('usage: compare.ts <express|koa|fastify> <A> <B> [--sets 25] [--rounds 400]; A, B: <variant> or <root>:<variant>');
  }
  const here = path.resolve(__dirname, '../..');
  const entrant = (spec: string, key: string): Entrant => {
    const at = spec.lastIndexOf(':');
    return at < 0 ? { key, variant: spec, root: here } : { key, variant: spec.slice(at + 1), root: path.resolve(spec.slice(0, at)) };
  };
  return { framework, entrants: [entrant(a, `A ${a}`), entrant(b, `B ${b}`)], sets: Math.min(sets, rounds), rounds };
}

async function main(): Promise<void> {
  const { framework, entrants, sets, rounds } = parse(process.argv.slice(2));
  const perRound = PER_ROUND[framework]!;
  const samples = await measureRounds(framework, entrants, { rounds, generations: sets, perRound }, (line) => console.error(line));
  const [a, b] = entrants.map(({ key }) => samples.get(key)!) as [number[], number[]];
  for (const { key } of entrants) console.log(`${key}: ${median(samples.get(key)!).toFixed(2)} µs CPU/request (median of ${rounds} rounds)`);
  const diffs = b.map((x, i) => x - a[i]!);
  // The rounds of one set share its processes' bias: the sets' own medians are the independent readings.
  const bySet: number[] = [];
  for (let g = 0; g < sets; g++) {
    const from = Math.round((g * rounds) / sets);
    bySet.push(median(diffs.slice(from, Math.round(((g + 1) * rounds) / sets))));
  }
  const f = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2);
  console.log(
    `B − A: ${f(median(diffs))} µs (interquartile range ${f(quantile(diffs, 0.25))} to ${f(quantile(diffs, 0.75))}; ` +
      `median of the ${sets} sets' medians ${f(median(bySet))}, their range ${f(Math.min(...bySet))} to ${f(Math.max(...bySet))})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
