// What the console shows, read from the database and analysed: per set its status, traffic, health, conversions and metrics.
import {
  analyzeSet,
  memberSplitCheck,
  type AnalysisSet,
  type MetricReport,
  type ReportOptions,
  type SampleRatio,
  type SetReport,
} from '../analysis/index.js';
import { describeSet, type MultiDescription, type SetDescription } from '../engine/describe-set.js';
import { listControls, type ControlListing } from '../postgres/controls-write.js';
import { readControlChanges, type ControlChangeRecord } from '../postgres/control-changes.js';
import {
  reportCounts,
  reportCountsAndTimeline,
  type ConversionQuery,
  type ReportCountsRow,
  type ReportCountsAndTimeline,
} from '../postgres/report-queries.js';
import { readTraffic, type Traffic, type TrafficDayRow } from '../postgres/traffic-queries.js';
import { readTogether } from '../postgres/transaction.js';
import type { Look } from './charts/timeline.js';
import type { ConsoleConfig } from './options.js';
import { ResultsCache } from './results-cache.js';
import { scheduleOf, type Schedule } from './schedule.js';
import { statusOf, type SetStatus } from './status.js';

/** One set (or member of a multi set) as the console shows it. */
export interface ConsoleSet {
  readonly name: string;
  readonly variants: readonly string[];
  /** False for a set known only from the catalogue: its weights are unknown, so its split is not checked. */
  readonly weightsKnown: boolean;
  /** Whether the catalogue has it (its buttons work). */
  readonly published: boolean;
  readonly status: SetStatus;
  /** The report: users per arm, sample ratio, and (with conversions) the comparisons and verdicts. */
  readonly report: SetReport;
  /** Persons exposed to more than one variant: excluded from the metrics, counted here. */
  readonly mixed: number;
  readonly traffic: readonly TrafficDayRow[];
  readonly looks: readonly Look[];
  readonly metrics: readonly MetricReport[];
  /** A problem reading the metrics, in words (the rest of the set still shows). */
  readonly metricsProblem: string | null;
  readonly schedule: Schedule;
}

/** A group on the page: a plain set, or a MultiTrackSet and its members. */
export interface ConsoleGroup {
  readonly name: string;
  readonly kind: 'set' | 'multi';
  /** For a multi set: the split between its members. */
  readonly memberSplit: SampleRatio | null;
  readonly splitMembers: readonly string[];
  readonly members: readonly ConsoleSet[];
  readonly traffic: Traffic;
  /** When its results (counts, looks, traffic, metrics) were read, and how long that took. */
  readonly readAt: Date;
  readonly readMs: number;
  /** Whether newer results are being read (the page shows the last ones meanwhile). */
  readonly refreshing: boolean;
}

/** Everything one console page shows. */
export interface ConsoleData {
  readonly generatedAt: Date;
  readonly hasConversions: boolean;
  readonly groups: readonly ConsoleGroup[];
  readonly changes: readonly ControlChangeRecord[];
}

// A conversion query that returns nothing: the report's users, split and health without conversions.
const NO_CONVERSIONS: ConversionQuery = { sql: 'select null::text, null::timestamptz where false' };

function fromCatalogue(listing: ControlListing): SetDescription | null {
  const set = listing.set;
  if (set === null) return null;
  return {
    kind: 'simple',
    name: set.name,
    masked: '',
    algorithm: set.algorithm,
    weight: 100,
    addControlTrack: set.variants[0] === 'control',
    control: set.variants.includes('control') ? 'control' : null,
    // Placeholder shares, replaced by the observed split (the catalogue holds no weights).
    variants: set.variants.map((name, index) => ({
      name,
      masked: '',
      index,
      weight: 1,
      share: 1 / set.variants.length,
      buckets: null,
      expectedShare: 1 / set.variants.length,
      isControl: name === 'control',
    })),
    coverage: set.statics.coverage,
    disabled: set.statics.disabled,
    pinned: set.statics.pinned,
    bucketCount: null,
  };
}

/** The analysis's view of a set: the controls in force, and (weights unknown) the observed split as the expected one. */
function analysisSet(set: SetDescription, status: SetStatus, rows: readonly ReportCountsRow[], weightsKnown: boolean): AnalysisSet {
  const total = rows.reduce((sum, r) => sum + r.users, 0);
  const variants = set.variants.map((v) => ({
    name: v.name,
    expectedShare: weightsKnown || total === 0 ? v.expectedShare : (rows.find((r) => r.variant === v.name)?.users ?? 0) / total,
  }));
  return { name: set.name, control: set.control, variants, disabled: status.disabled, pinned: status.pinned };
}

interface Ctx {
  readonly config: ConsoleConfig;
  readonly listings: ReadonlyMap<string, ControlListing>;
  readonly conversions: ConversionQuery;
  readonly cache: ResultsCache<GroupReads>;
  readonly fresh: boolean;
}

async function metricsOf(config: ConsoleConfig, name: string): Promise<{ metrics: readonly MetricReport[]; problem: string | null }> {
  if (config.metrics === null) return { metrics: [], problem: null };
  try {
    return { metrics: await config.metrics(name), problem: null };
  } catch (error) {
    config.onError(error);
    return { metrics: [], problem: `the metrics could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function memberOf(ctx: Ctx, set: SetDescription, weightsKnown: boolean, reads: GroupReads, split: SampleRatio | undefined): ConsoleSet {
  const { counts, timeline, traffic } = reads;
  const listing = ctx.listings.get(set.name) ?? null;
  const status = statusOf(listing, set);
  const rows = counts.filter((r) => r.set === set.name);
  const options: ReportOptions = ctx.config.reportOptions[set.name] ?? {};
  const analysed = analysisSet(set, status, rows, weightsKnown);
  const report = analyzeSet(analysed, rows, options, split);
  const looks = new Map<number, ReportCountsRow[]>();
  for (const row of timeline) {
    if (row.set !== set.name) continue;
    looks.set(row.at.getTime(), [...(looks.get(row.at.getTime()) ?? []), row]);
  }
  const { metrics, problem } = reads.metrics.get(set.name) ?? { metrics: [], problem: null };
  const share =
    counts.length === 0
      ? 0
      : rows.reduce((s, r) => s + r.users, 0) /
        Math.max(
          1,
          counts.reduce((s, r) => s + r.users, 0),
        );
  return {
    name: set.name,
    variants: set.variants.map((v) => v.name),
    weightsKnown,
    published: listing?.set != null,
    status,
    report,
    mixed: rows.reduce((sum, r) => sum + r.mixed, 0),
    traffic: traffic.days.filter((d) => d.set === set.name),
    looks: [...looks].map(([at, lookRows]) => {
      const look = analyzeSet(analysisSet(set, status, lookRows, weightsKnown), lookRows, options);
      return { at: new Date(at), users: look.totalUsers, comparisons: look.comparisons };
    }),
    metrics,
    metricsProblem: problem,
    // A member of a multi set gets its share of the multi set's pace.
    schedule: scheduleOf(report, Math.round(traffic.lastDayUsers * share)),
  };
}

/** What a group's page section reads from the database and the app: the expensive part, kept by the results cache. */
export interface GroupReads {
  readonly counts: readonly ReportCountsRow[];
  readonly timeline: readonly (ReportCountsRow & { at: Date })[];
  readonly traffic: Traffic;
  /** Per (member) set name: its metric reports, or the problem reading them. */
  readonly metrics: ReadonlyMap<string, { metrics: readonly MetricReport[]; problem: string | null }>;
}

async function readGroup(ctx: Ctx, described: SetDescription | MultiDescription): Promise<GroupReads> {
  const { db, schema, trafficDays } = ctx.config;
  const query = { conversions: ctx.conversions, schema };
  const names = described.kind === 'multi' ? described.members.map((m) => m.set.name) : [described.name];
  const readMetrics = async (): Promise<GroupReads['metrics']> => {
    const metrics = new Map<string, { metrics: readonly MetricReport[]; problem: string | null }>();
    for (const name of names) metrics.set(name, await metricsOf(ctx.config, name));
    return metrics;
  };
  // On a pool the three are read at once, each statement on a connection of its own: at 1,000,000
  // persons the counts and the metrics take seconds each, and one after the other the page waited
  // for the sum. On one connection they run in turn (a transaction would take in the others' statements).
  // With conversions, the counts and the looks come from one statement (the persons read once).
  const [{ counts, timeline }, traffic, metrics] = await readTogether<[ReportCountsAndTimeline, Traffic, GroupReads['metrics']]>(db, [
    () =>
      ctx.config.conversions === null
        ? reportCounts(db, described, query).then((rows) => ({ counts: rows, timeline: [] }))
        : reportCountsAndTimeline(db, described, { ...query, points: 20 }),
    () => readTraffic(db, described, { schema, days: trafficDays }),
    readMetrics,
  ]);
  return { counts, timeline, traffic, metrics };
}

async function groupOf(ctx: Ctx, described: SetDescription | MultiDescription, weightsKnown: boolean): Promise<ConsoleGroup> {
  // Results a problem spoiled (a metric that could not be read) are shown once and read again on the next view.
  const read = await ctx.cache.get(
    described.name,
    () => readGroup(ctx, described),
    (reads) => [...reads.metrics.values()].every((m) => m.problem === null),
    ctx.fresh,
  );
  const reads = read.value;
  const age = { readAt: read.readAt, readMs: read.readMs, refreshing: read.refreshing };
  if (described.kind !== 'multi') {
    const member = memberOf(ctx, described, weightsKnown, reads, undefined);
    return { name: described.name, kind: 'set', memberSplit: null, splitMembers: [], members: [member], traffic: reads.traffic, ...age };
  }
  const { split, members } = memberSplitCheck(described, reads.counts, ctx.config.reportOptions[described.name]?.srmThreshold);
  const sets = described.members.map((m) => memberOf(ctx, m.set, true, reads, split));
  return { name: described.name, kind: 'multi', memberSplit: split, splitMembers: members, members: sets, traffic: reads.traffic, ...age };
}

/** How `readConsole` reads: through a results cache (the console's handler keeps one), and whether to read afresh. */
export interface ReadConsoleOptions {
  /** Results kept between calls (see `ResultsCache`); without one, everything is read on each call. */
  readonly cache?: ResultsCache<GroupReads>;
  /** Read every set's results now, even when the cache holds young ones. */
  readonly fresh?: boolean;
}

/**
 * Reads and analyses everything the console page shows: the app's sets (`sets`, multi sets with
 * their members) and every other set of the catalogue, each with its status, report
 * (`reportCounts` → `analyzeSet`), looks over time, traffic, metrics and schedule, and the latest
 * control changes. Every figure comes from tracks-ab/analysis.
 */
export async function readConsole(config: ConsoleConfig, now = new Date(), options: ReadConsoleOptions = {}): Promise<ConsoleData> {
  const listings = new Map((await listControls(config.db, { schema: config.schema })).map((l) => [l.setName, l]));
  const cache = options.cache ?? new ResultsCache<GroupReads>(0, config.onError);
  const ctx: Ctx = { config, listings, conversions: config.conversions ?? NO_CONVERSIONS, cache, fresh: options.fresh ?? false };
  const described = config.sets.map((cls) => describeSet(cls));
  // A multi set the app serves is shown once, as its group (the catalogue lists it, and its members, too).
  const covered = new Set(described.flatMap((d) => (d.kind === 'multi' ? [d.name, ...d.members.map((m) => m.set.name)] : [d.name])));
  const others = [...listings.values()].filter((l) => !covered.has(l.setName)).flatMap((l) => fromCatalogue(l) ?? []);
  const groups: ConsoleGroup[] = [];
  // One set at a time: a pool-less client (PGlite, one pg Client) serialises queries anyway.
  for (const d of described) groups.push(await groupOf(ctx, d, true));
  for (const d of others) groups.push(await groupOf(ctx, d, false));
  cache.retain(new Set(groups.map((g) => g.name)));
  const changes = await readControlChanges(config.db, { schema: config.schema, limit: 20 });
  return { generatedAt: now, hasConversions: config.conversions !== null, groups, changes };
}
