// The coconut store's experiments console (tracks-ab/console at /results): its sets, purchases as conversions, and each test's plan.
import type { IncomingMessage } from 'node:http';
import { describeSet } from 'tracks-ab';
import { analyzeMetric, type MetricReport, type MultiReport } from 'tracks-ab/analysis';
import { parseConsoleOptions, readConsole, type ConsoleOptions } from 'tracks-ab/console';
import { metricInput, type Queryable, type ReportCountsRow } from 'tracks-ab/postgres';
import { PURCHASES_AS_CONVERSIONS } from './db.js';
import { METRICS } from './metrics.js';
import { Experiments, PRICING_CONTROL, PricingTracks, DelayTracks } from './tracks.js';

const ROLE_ORDER = { primary: 0, secondary: 1, guardrail: 2 } as const;
const MEMBERS = { delay: DelayTracks, pricing: PricingTracks } as const;

/**
 * A member's metrics (metrics.ts), primary first: one SQL statement each (`metricInput`) analysed by
 * `analyzeMetric` with the test's tuning size, control and weights: what the console shows under each test.
 */
export async function storeMetrics(client: Queryable, setName: string): Promise<MetricReport[]> {
  const cls = MEMBERS[setName as keyof typeof MEMBERS] as typeof DelayTracks | typeof PricingTracks | undefined;
  if (cls === undefined) return [];
  const set = describeSet(cls);
  const options = STORE_REPORT_OPTIONS[setName as keyof typeof STORE_REPORT_OPTIONS];
  const control = 'control' in options ? options.control : undefined;
  const expectedShares = Object.fromEntries(set.variants.map((v) => [v.name, v.expectedShare]));
  const mine = METRICS.filter((m) => m.sets[setName] !== undefined).sort(
    (a, b) => ROLE_ORDER[a.sets[setName]!.role] - ROLE_ORDER[b.sets[setName]!.role],
  );
  const out: MetricReport[] = [];
  for (const metric of mine) {
    // Persons counted over the multi set, once each, as its conversion report counts them.
    const input = await metricInput(client, set, metric, { control, within: describeSet(Experiments) });
    out.push(analyzeMetric(input, { tuningUsers: options.tuningUsers, expectedShares }));
  }
  return out;
}

/** Where the store mounts the console: the demo's old results page, so its links keep working. */
export const CONSOLE_PATH = '/results';

/**
 * Each test's report options. The pricing set adds no control variant, so its baseline is named
 * here: `price_adjusted_by_0`. The tuning sizes are the users a comparison is expected to have when
 * the test is read (the delay test's about 12,000 in a run of 20,000 visitors, the pricing test's
 * about 330), fixed before the tests start; the minimum effects give the planned samples.
 */
export const STORE_REPORT_OPTIONS = {
  delay: { tuningUsers: 10_000, minimumEffect: 0.02 },
  pricing: { tuningUsers: 400, control: PRICING_CONTROL, minimumEffect: 0.1 },
} as const;

/** The console's options for the store's database: everything but who may read and write. */
export function storeConsoleOptions(client: Queryable, access: Partial<ConsoleOptions> = {}): ConsoleOptions {
  return {
    db: client,
    sets: [Experiments],
    conversions: PURCHASES_AS_CONVERSIONS,
    reportOptions: STORE_REPORT_OPTIONS,
    basePath: CONSOLE_PATH,
    links: [{ href: '/catalog', label: 'Coconut store' }],
    metrics: (setName) => storeMetrics(client, setName),
    // The demo's data is small (a read takes milliseconds) and a shopper who just bought expects to
    // see it counted: read on every view. A shop at scale keeps the default (60 s, docs/console.md).
    resultsMaxAgeSeconds: 0,
    ...access,
  };
}

/** The store's results as the console reads them: the multi set's report, and the counts behind it. */
export interface StoreResults {
  readonly report: MultiReport;
  /** Per member and variant with users: users and converted persons. */
  readonly counts: readonly Omit<ReportCountsRow, 'mixed'>[];
}

/**
 * Counts and analyses the store's tests as its console does (each person once, purchases at or
 * after the first exposure): for scripts and tests that want the numbers without the page.
 * @example const { report } = await analyzeStore(store.client)
 */
export async function analyzeStore(client: Queryable): Promise<StoreResults> {
  const data = await readConsole(parseConsoleOptions(storeConsoleOptions(client, { allow: (_req: IncomingMessage) => true })));
  const group = data.groups.find((g) => g.kind === 'multi')!;
  return {
    report: {
      set: group.name,
      memberSplit: group.memberSplit!,
      splitMembers: group.splitMembers,
      members: group.members.map((m) => m.report),
    },
    counts: group.members.flatMap((m) =>
      m.report.arms.filter((a) => a.users > 0).map((a) => ({ set: m.name, variant: a.variant, users: a.users, converted: a.converted })),
    ),
  };
}
