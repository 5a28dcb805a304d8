// Steps suite: what each step of tracks-ab costs a returning visitor's request, in-process, per framework.
import { groupedMedianInterval, median, quantile } from '../stats.js';
import { packageVersions } from '../versions.js';
import type { Row, RunSuite, SuiteOptions, SuiteResult } from '../suite.js';
import { measureRounds, PER_ROUND } from './rounds.js';

const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
/**
 * In the order of apps.mjs's VARIANTS: each a step further than the one before; then `hand-3`, not
 * tracks-ab: a middleware written by hand to do its work for this one visitor (by-hand.mjs).
 */
const VARIANTS = ['bare', 'noop', 'tracks-0', 'tracks-1', 'tracks-3', 'tracks-3-no-cache', 'tracks-3-no-bots', 'hand-3'] as const;
type Variant = (typeof VARIANTS)[number];

/** Each step is the difference of two variants, taken within a round. */
const STEPS: ReadonlyArray<{ id: string; label: string; from: Variant; to: Variant }> = [
  { id: 'middleware', label: 'the framework running one more middleware (a pass-through)', from: 'bare', to: 'noop' },
  { id: 'attach', label: 'tracks-ab attached (exchange + req.tracks), no set read', from: 'noop', to: 'tracks-0' },
  { id: 'first-get', label: 'first get(): cookie, key, bot check, hook, Cache-Control', from: 'tracks-0', to: 'tracks-1' },
  { id: 'more-gets', label: 'second and third get()', from: 'tracks-1', to: 'tracks-3' },
  { id: 'cache', label: 'of the above: writing Cache-Control: private', from: 'tracks-3-no-cache', to: 'tracks-3' },
  { id: 'bots', label: 'of the above: the bot check (memoised User-Agent)', from: 'tracks-3-no-bots', to: 'tracks-3' },
  { id: 'total', label: 'total added by tracks-ab (3 sets)', from: 'bare', to: 'tracks-3' },
  { id: 'by-hand', label: 'the same work written by hand for this visitor alone (bench/steps/by-hand.mjs)', from: 'bare', to: 'hand-3' },
  { id: 'over-hand', label: 'tracks-ab over that hand-written middleware', from: 'hand-3', to: 'tracks-3' },
];

const UNIT = 'µs CPU/request';

/** The in-process target (issue 20): at most this many µs added by tracks-ab (3 sets) on these frameworks. */
const TARGET_MICROS = 1;
const TARGETED: readonly string[] = ['koa', 'fastify'];
/** The steps whose median is given with its 95 % interval: what the target is read from, and what it is read against. */
const INTERVALS: readonly string[] = ['total', 'by-hand', 'over-hand'];

/** The rounds of `values` cut into the sets of processes that ran them (as `measureRounds` shares them out). */
function bySet(values: readonly number[], generations: number): number[][] {
  const rounds = values.length;
  return Array.from({ length: generations }, (_, g) =>
    values.slice(Math.round((g * rounds) / generations), Math.round(((g + 1) * rounds) / generations)),
  );
}

/** Whether an interval of the added µs meets the target: only when it lies wholly at or below it; missed only when wholly above. */
function verdict([low, high]: readonly [number, number]): string {
  if (high <= TARGET_MICROS) return 'met';
  if (low > TARGET_MICROS) return 'NOT met';
  return 'not resolved by this run (the interval holds the target)';
}

export const run: RunSuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const versions = packageVersions(options.repoRoot, FRAMEWORKS);
  const rounds = options.quick ? 20 : 100;
  // Five rounds a set of processes: each process's bias is a draw of its own (bench/README.md), and
  // the median of differences averages 20 such draws a variant, not 5 as it did before 2026-12-07.
  const generations = options.quick ? 2 : 20;
  // `--cases koa,fastify`: only these frameworks (ids of other suites' cases leave all of them in).
  const named = FRAMEWORKS.filter((id) => options.cases?.includes(id) === true);
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  for (const framework of named.length > 0 ? named : FRAMEWORKS) {
    const perRound = PER_ROUND[framework]!;
    try {
      const entrants = VARIANTS.map((variant) => ({ key: variant, variant, root: options.repoRoot }));
      const samples = await measureRounds(framework, entrants, { rounds, generations, perRound }, (line) => options.log(`steps: ${line}`));
      const of = (v: Variant): number[] => samples.get(v)!;
      for (const v of ['bare', 'tracks-3'] as const) {
        const values = of(v);
        rows.push({
          id: `${framework}-${v}`,
          label: `${framework} in-process, ${v === 'bare' ? 'no middleware' : 'tracks-ab, 3 sets'}`,
          kind: v === 'bare' ? 'floor' : 'subject',
          median: median(values),
          min: Math.min(...values),
          max: Math.max(...values),
          unit: UNIT,
          rounds,
        });
      }
      const line = STEPS.map((step) => {
        const diffs = of(step.to).map((t, r) => t - of(step.from)[r]!);
        rows.push({
          id: `${framework}-${step.id}`,
          label: `${framework}: ${step.label}`,
          kind: 'step',
          median: median(diffs),
          min: Math.min(...diffs),
          max: Math.max(...diffs),
          unit: UNIT,
          rounds,
        });
        return `${step.id} ${median(diffs).toFixed(2)} [${quantile(diffs, 0.25).toFixed(2)}, ${quantile(diffs, 0.75).toFixed(2)}]`;
      });
      notes.push(
        `${framework} (${perRound.toLocaleString('en-US')} requests a round): ${line.join(', ')} µs (medians of per-round differences [interquartile range])`,
      );
      // The median's own uncertainty, which the interquartile range (the rounds' spread) is not.
      const intervals = new Map(
        STEPS.filter((step) => INTERVALS.includes(step.id)).map((step) => {
          const diffs = of(step.to).map((t, r) => t - of(step.from)[r]!);
          return [step.id, { median: median(diffs), interval: groupedMedianInterval(bySet(diffs, generations)) }] as const;
        }),
      );
      const shown = [...intervals].map(
        ([
          id,
          {
            median: m,
            interval: [low, high],
          },
        ]) => `${id} ${m.toFixed(2)} (${low.toFixed(2)} to ${high.toFixed(2)})`,
      );
      const total = intervals.get('total')!;
      const target = TARGETED.includes(framework) ? `; target ≤ ${TARGET_MICROS} µs added: ${verdict(total.interval)}` : '';
      notes.push(
        `${framework}: ${shown.join(', ')} µs: medians with their 95 % intervals (bootstrap over the ${generations} sets of processes)${target}`,
      );
    } catch (error) {
      failures.push(`${framework}: ${(error as Error).message}`);
    }
  }
  return {
    suite: 'steps',
    title:
      `server CPU µs per returning visitor's request (3 sets read, signed cookie) in-process: each framework's own handler called with ` +
      `Node's IncomingMessage and ServerResponse (no socket), each variant in its own process, ${rounds} interleaved rounds in ${generations} sets of fresh processes; ` +
      `each step is the median over rounds of the difference between two variants`,
    baseline: null,
    rows,
    notes,
    failures,
    versions,
  };
};
