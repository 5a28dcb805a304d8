// Interleaved rounds of app variants, each in its own process, in sets of fresh processes: the steps suite's measurement, and compare.ts's.
import { VariantProcess } from './child.js';

/**
 * Requests per round: 10 to 50 ms of work, so a round of every variant takes well under a second
 * and drift on a shared machine reaches all alike. Express's 1,000 (it was 200): at 200 one
 * garbage collection or one preemption decided a round, and its steps read ±300 µs.
 */
export const PER_ROUND: Record<string, number> = { express: 1_000, koa: 2_000, fastify: 2_000 };

/** What one process runs: a variant of apps.mjs, from the build at `root` (a checkout with dist/ built). */
export interface Entrant {
  /** The name its samples are kept under. */
  readonly key: string;
  readonly variant: string;
  readonly root: string;
}

/**
 * Runs `rounds` interleaved rounds of every entrant of `framework`, in `generations` sets of fresh
 * processes (each entrant's process started, two at a time, and warmed up, then its share of the
 * rounds): a process keeps a bias from its start that is larger than a step here (bench/README.md,
 * "Why CPU time cannot resolve a microsecond here"), so the rounds of one process each would
 * measure that process's luck. Returns µs CPU per request by entrant key, round by round.
 */
export async function measureRounds(
  framework: string,
  entrants: readonly Entrant[],
  plan: { readonly rounds: number; readonly generations: number; readonly perRound: number },
  log: (line: string) => void,
): Promise<Map<string, number[]>> {
  const { rounds, generations, perRound } = plan;
  const samples = new Map<string, number[]>(entrants.map((e) => [e.key, []]));
  let done = 0;
  for (let g = 0; g < generations; g++) {
    const procs = new Map<string, VariantProcess>();
    try {
      const queue = [...entrants];
      const start = async (): Promise<void> => {
        for (let e = queue.shift(); e; e = queue.shift()) {
          const proc = new VariantProcess(framework, e.variant, e.root, perRound);
          procs.set(e.key, proc);
          await proc.ready();
        }
      };
      await Promise.all([start(), start()]);
      const share = Math.round(((g + 1) * rounds) / generations) - Math.round((g * rounds) / generations);
      for (let i = 0; i < share; i++, done++) {
        // One entrant at a time, the others idle; the starting entrant rotates each round.
        for (let j = 0; j < entrants.length; j++) {
          const { key } = entrants[(j + done) % entrants.length]!;
          samples.get(key)!.push(await procs.get(key)!.round());
        }
        if ((done + 1) % 10 === 0)
          log(`${framework} round ${done + 1}/${rounds}: ${entrants.map(({ key }) => `${key} ${samples.get(key)![done]!.toFixed(2)}`).join(', ')}`);
      }
    } finally {
      await Promise.all([...procs.values()].map((p) => p.stop()));
    }
  }
  return samples;
}
