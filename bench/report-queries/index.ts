// Report-queries suite: the report's SQL (conversion counts, timeline, a capped CUPED revenue metric) at 10,000, 100,000 and 1,000,000 persons, on PGlite and PostgreSQL.
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Row, RunSuite, SuiteOptions } from '../suite.js';
import { PostgresServer } from '../../test/support/postgres-server.js';
import { BENCH_SET, CONVERSIONS_SQL, makeReportData, ORDERS_SQL } from './data.js';

type StoreLib = typeof import('../../src/postgres/index.js');
type MetricsLib = typeof import('../../src/metrics/index.js');
type Queryable = import('../../src/postgres/index.js').Queryable;

const QUERIES = ['counts', 'timeline', 'both', 'metric', 'at-once'] as const;
type Query = (typeof QUERIES)[number];
const LABELS: Record<Query, string> = {
  counts: 'reportCounts (persons, conversions)',
  timeline: 'reportTimeline (20 looks)',
  both: 'reportCountsAndTimeline (both, one statement)',
  metric: 'metricSums (revenue, p99 cap, CUPED 7 d)',
  'at-once':
    'counts and looks, and the metric, at once (as the console reads them on a pool, and `tracks-ab report` on PostgreSQL: a connection each; PGlite runs them in turn)',
};
/** The whole report, as the console reads it: the counts and looks in one statement, then the metric. */
const REPORT: readonly Query[] = ['both', 'metric'];

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Makes the data for `persons`, then times each query `rounds` times (after one untimed run); seconds. */
async function timeSize(client: Queryable, lib: StoreLib, metrics: MetricsLib, persons: number, rounds: number, log: (line: string) => void) {
  const started = performance.now();
  await makeReportData(client, persons);
  log(`report-queries: ${persons.toLocaleString('en-US')} persons made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const revenue = metrics.defineMetric({
    name: 'revenue',
    kind: 'mean',
    source: { sql: ORDERS_SQL },
    cap: { percentile: 0.99 },
    cuped: { days: 7 },
    sets: { [BENCH_SET]: 'primary' },
  });
  const set = { name: BENCH_SET };
  const conversions = { sql: CONVERSIONS_SQL };
  const run: Record<Query, () => Promise<unknown>> = {
    counts: () => lib.reportCounts(client, set, { conversions }),
    timeline: () => lib.reportTimeline(client, set, { conversions }),
    both: () => lib.reportCountsAndTimeline(client, set, { conversions }),
    metric: () => lib.metricSums(client, set, revenue),
    'at-once': () => Promise.all([run.both(), run.metric()]).then(([both]) => both),
  };
  const out = new Map<Query, number[]>();
  for (const query of QUERIES) {
    const first = (await run[query]()) as { length?: number; arms?: unknown[]; counts?: unknown[] };
    if ((first.length ?? first.arms?.length ?? first.counts?.length ?? 0) === 0) throw new Error(`${query} found no rows at ${persons} persons`);
    const seconds: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await run[query]();
      seconds.push((performance.now() - t) / 1000);
    }
    out.set(query, seconds);
    log(`report-queries: ${query} at ${persons.toLocaleString('en-US')} persons: ${seconds.map((x) => x.toFixed(2)).join(', ')} s`);
  }
  return out;
}

async function onDatabase(
  name: 'PGlite' | 'PostgreSQL',
  client: Queryable,
  sizes: readonly number[],
  options: SuiteOptions,
): Promise<{ rows: Row[]; notes: string[] }> {
  const require = createRequire(path.join(options.repoRoot, 'package.json'));
  const lib = require(path.join(options.repoRoot, 'dist/src/postgres/index.js')) as StoreLib;
  const metrics = require(path.join(options.repoRoot, 'dist/src/metrics/index.js')) as MetricsLib;
  await lib.migrate(client);
  const rows: Row[] = [];
  const medians = new Map<string, number>();
  for (const persons of sizes) {
    options.log(`report-queries: ${name}, ${persons.toLocaleString('en-US')} persons`);
    const rounds = persons >= 1_000_000 ? 1 : 3;
    const times = await timeSize(client, lib, metrics, persons, rounds, options.log);
    for (const query of QUERIES) {
      const s = sorted(times.get(query)!);
      const median = s[s.length >> 1]!;
      medians.set(`${query}:${persons}`, median);
      const id = `${name.toLowerCase()}-${query}-${persons}`;
      rows.push({
        id,
        label: `${name}: ${LABELS[query]}, ${persons.toLocaleString('en-US')} persons`,
        kind: 'subject',
        median,
        min: s[0]!,
        max: s[s.length - 1]!,
        unit: 's',
        rounds,
      });
    }
    const total = REPORT.reduce((sum, q) => sum + medians.get(`${q}:${persons}`)!, 0);
    rows.push({
      id: `${name.toLowerCase()}-report-${persons}`,
      label: `${name}: the whole report (counts and looks, metric), ${persons.toLocaleString('en-US')} persons`,
      kind: 'total',
      median: total,
      min: total,
      max: total,
      unit: 's',
      rounds,
    });
    medians.set(`report:${persons}`, total);
  }
  const notes: string[] = [];
  for (const query of [...QUERIES, 'report']) {
    const steps = sizes.slice(1).map((n, i) => {
      const before = medians.get(`${query}:${sizes[i]}`)!;
      return `×${(medians.get(`${query}:${n}`)! / before).toFixed(1)} from ${sizes[i]!.toLocaleString('en-US')} to ${n.toLocaleString('en-US')}`;
    });
    if (steps.length > 0) notes.push(`${name} ${query}: time grows ${steps.join(', ')} (rows ×10 each step; linear is ×10)`);
  }
  return { rows, notes };
}

/**
 * Times the report's queries on data made inside the database (bench/report-queries/data.ts): one
 * first exposure per person, 20 % of them through an alias, 2 orders per person on average.
 * PostgreSQL is TRACKS_BENCH_DATABASE_URL, else a throw-away server started as the tests start one.
 */
export const run: RunSuite = async (options) => {
  const sizes = options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = (await import('pg')).default;

  const given = process.env.TRACKS_BENCH_DATABASE_URL;
  const server = given ? null : await PostgresServer.start();
  const pool = new pg.Pool({ connectionString: given ?? server!.url(), max: 2 });
  // Pool#end resolves before its clients' sockets close: a server stopped before then ends them with
  // an error event no listener is left for, which took the whole run down once (2026-12-08).
  const closed: Array<Promise<void>> = [];
  pool.on('connect', (client) => void closed.push(new Promise((resolve) => client.once('end', () => resolve()))));
  try {
    const result = await onDatabase('PostgreSQL', pool, sizes, options);
    rows.push(...result.rows);
    notes.push(...result.notes);
    const million = result.rows.find((r) => r.id === 'postgresql-report-1000000');
    if (million)
      notes.push(
        `target: the whole report at 1,000,000 persons under 10 s on PostgreSQL: ${million.median.toFixed(1)} s one statement after the other, ${million.median < 10 ? 'met' : 'NOT met'}`,
      );
    const atOnce = result.rows.find((r) => r.id === 'postgresql-at-once-1000000');
    if (atOnce)
      notes.push(
        `  as the console reads it on a pool, and \`tracks-ab report\` (without the looks) on PostgreSQL (the two statements at once, on the machine's ${os.cpus().length} cores): ${atOnce.median.toFixed(1)} s, ${atOnce.median < 10 ? 'under' : 'over'} 10 s`,
      );
  } catch (error) {
    failures.push(`PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await pool.end();
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await server?.stop();
  }

  const lite = await PGlite.create();
  try {
    const result = await onDatabase('PGlite', lite, sizes, options);
    rows.push(...result.rows);
    notes.push(...result.notes);
  } catch (error) {
    failures.push(`PGlite: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await lite.close();
  }
  return {
    suite: 'report-queries',
    title: `the report's SQL at ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} persons (1 exposure each, 20 % through an alias, 2 orders each on average)`,
    baseline: null,
    rows,
    notes,
    failures,
    versions: {},
  };
};
