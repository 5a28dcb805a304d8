// Store suite: what the server-side store costs a returning user's request, a cache miss on PGlite, PostgreSQL and Redis, and the heap over 100,000 users.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { median, quantile } from '../stats.js';
import { packageVersions } from '../versions.js';
import type { Row, RunSuite, SuiteOptions, SuiteResult } from '../suite.js';
import { VariantProcess } from '../steps/child.js';
import { measureMisses } from './misses.js';

const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
/** Pairs measured in the same rounds: the same request without and with a store (bench/steps/apps.mjs). */
const PAIRS = [
  { id: 'cookie', without: 'tracks-3', with: 'tracks-3-store', label: 'returning user, their cookie remembers every set (no lookup)' },
  {
    id: 'cache',
    without: 'tracks-3x',
    with: 'tracks-3x-store',
    label: 'returning user served from the store cache (a 4th set registered, never read)',
  },
] as const;
/** Requests per round: Express's 1,000 (about 50 ms) make a round long enough that one garbage collection does not decide it. */
const PER_ROUND: Record<string, number> = { express: 1_000, koa: 2_000, fastify: 2_000 };

/**
 * Each pair's variants in their own processes, in interleaved rounds; per round, with-store CPU over
 * without. The rounds run in `generations` sets of fresh processes: a process keeps a start-up bias
 * larger than the 5 % measured here (bench/README.md, "Why CPU time cannot resolve a microsecond
 * here"), which the rounds of one process cannot average out.
 */
async function ratios(
  framework: string,
  options: SuiteOptions,
  rounds: number,
  generations: number,
): Promise<Map<string, { ratios: number[]; without: number[] }>> {
  const variants = PAIRS.flatMap((p) => [p.without, p.with]);
  const out = new Map(PAIRS.map((p) => [p.id, { ratios: [] as number[], without: [] as number[] }]));
  let r = 0;
  for (let g = 0; g < generations; g++) {
    const procs = new Map<string, VariantProcess>();
    try {
      for (const v of variants) {
        const proc = new VariantProcess(framework, v, options.repoRoot, PER_ROUND[framework]!);
        procs.set(v, proc);
        await proc.ready();
      }
      for (const end = Math.round(((g + 1) * rounds) / generations); r < end; r++) {
        for (const pair of PAIRS) {
          // Alternate which of the two goes first, so drift within a round cancels out.
          const order = r % 2 ? [pair.with, pair.without] : [pair.without, pair.with];
          const micros: Record<string, number> = {};
          for (const v of order) micros[v] = await procs.get(v)!.round();
          out.get(pair.id)!.ratios.push(micros[pair.with]! / micros[pair.without]!);
          out.get(pair.id)!.without.push(micros[pair.without]!);
        }
      }
    } finally {
      await Promise.all([...procs.values()].map((p) => p.stop()));
    }
  }
  return out;
}

/** The heap of a Koa app with a store at each tenth of `users` distinct users (memory.mjs, its own process). */
function heap(options: SuiteOptions, users: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    delete env.NODE_OPTIONS;
    const child = fork(path.join(__dirname, 'memory.mjs'), [options.repoRoot, String(users)], {
      execArgv: ['--expose-gc'],
      env,
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    child.once('message', (m: { heap?: number[]; error?: string }) => (m.heap ? resolve(m.heap) : reject(new Error(m.error))));
    child.once('exit', (code) => code !== 0 && reject(new Error(`memory.mjs exited with ${code}`)));
  });
}

export const run: RunSuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const require = createRequire(path.join(options.repoRoot, 'package.json'));
  const versions = packageVersions(options.repoRoot, [...FRAMEWORKS, 'pg', 'ioredis']);
  // PGlite exports no package.json: read it beside its entry point.
  const pglite = path.resolve(require.resolve('@electric-sql/pglite'), '../../package.json');
  versions['@electric-sql/pglite'] = (JSON.parse(fs.readFileSync(pglite, 'utf8')) as { version: string }).version;
  const rounds = options.quick ? 20 : 60;
  const generations = options.quick ? 2 : 5;
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  for (const framework of FRAMEWORKS) {
    try {
      const measured = await ratios(framework, options, rounds, generations);
      for (const pair of PAIRS) {
        const { ratios: values, without } = measured.get(pair.id)!;
        rows.push({
          id: `${framework}-store-${pair.id}`,
          label: `${framework}: ${pair.label}, with store / without`,
          kind: 'subject',
          median: median(values),
          min: Math.min(...values),
          max: Math.max(...values),
          unit: '× CPU/request',
          rounds,
        });
        notes.push(
          `${framework} ${pair.id}: ${median(without).toFixed(2)} µs CPU/request without a store; ratio with/without ${median(values).toFixed(3)} ` +
            `(median of ${rounds} rounds; interquartile range ${quantile(values, 0.25).toFixed(3)} to ${quantile(values, 0.75).toFixed(3)}, ` +
            `${PER_ROUND[framework]!.toLocaleString('en-US')} requests a round)`,
        );
      }
      options.log(`store: ${framework} done`);
    } catch (error) {
      failures.push(`${framework}: ${(error as Error).message}`);
    }
  }
  try {
    for (const miss of await measureMisses(options, options.quick ? 300 : 3_000)) {
      rows.push({
        id: `miss-${miss.database}`,
        label: `a cache miss: one load (${miss.database === 'Redis' ? 'one HGETALL' : 'one query'}) on ${miss.database}`,
        kind: 'subject',
        ...miss.row,
      });
    }
  } catch (error) {
    failures.push(`cache misses: ${(error as Error).message}`);
  }
  try {
    const users = options.quick ? 20_000 : 100_000;
    const heaps = await heap(options, users);
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
    const late = heaps.slice(heaps.length / 2);
    rows.push({
      id: 'heap-users',
      label: `heap after a full GC over the second half of ${users.toLocaleString('en')} distinct users (a Koa app with a store, its cache of 10,000)`,
      kind: 'subject',
      median: [...late].sort((x, y) => x - y)[late.length >> 1]! / 2 ** 20,
      min: Math.min(...late) / 2 ** 20,
      max: Math.max(...late) / 2 ** 20,
      unit: 'MiB',
      rounds: late.length,
    });
    notes.push(`heap at each tenth of ${users.toLocaleString('en')} distinct users (MiB, after a full GC): ${heaps.map(mib).join(', ')}`);
  } catch (error) {
    failures.push(`heap: ${(error as Error).message}`);
  }
  notes.push('Target: a returning user served from the cache costs at most 5 % more server CPU than without a store.');
  return {
    suite: 'store',
    title:
      'the server-side store: server CPU per returning user with a store over the same request without one (in-process, each variant in its own process, ' +
      `${rounds} interleaved rounds in ${generations} sets of fresh processes, median of per-round ratios), and µs per cache miss`,
    baseline: null,
    rows,
    notes,
    failures,
    versions,
  };
};
