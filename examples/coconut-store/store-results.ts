// The coconut store's results: the report queries of tracks-ab/postgres, analysed by tracks-ab/analysis, now and over time.
import { describeSet } from 'tracks-ab';
import {
  analyzeMetric,
  analyzeSet,
  memberSplitCheck,
  type ComparisonReport,
  type MetricReport,
  type MultiReport,
  type ReportOptions,
} from 'tracks-ab/analysis';
import { metricInput, reportCounts, reportTimeline, type Queryable, type ReportCountsRow } from 'tracks-ab/postgres';
import { PURCHASES_AS_CONVERSIONS } from './db.js';
import { METRICS } from './metrics.js';
import { Experiments, PRICING_CONTROL, PricingTracks } from './tracks.js';

const described = describeSet(Experiments);

/**
 * The store's tests as the analysis reads them: the multi set and its two members, from the classes
 * themselves. The pricing set adds no control variant, so its baseline is named here: `price_adjusted_by_0`.
 */
export const EXPERIMENTS = {
  ...described,
  members: described.members.map((m) => (m.set.name === PricingTracks.setName ? { ...m, set: { ...m.set, control: PRICING_CONTROL } } : m)),
};

/**
 * Users a comparison is expected to have when its test is read (control and variant together): the
 * sequential interval is tightest there. Fixed before the tests start, from their planned sizes: the
 * delay test's comparisons get about 12,000 users in a run of 20,000 visitors, the pricing test's
 * about 330 (eleven arms of 165).
 */
export const TUNING_USERS: Readonly<Record<string, number>> = { delay: 10_000, pricing: 400 };

/** One look at a member's comparisons: as they stood after `users` of its users had arrived. */
export interface Look {
  readonly at: Date;
  readonly users: number;
  readonly comparisons: readonly ComparisonReport[];
}

/** Everything the results page shows. */
export interface StoreResults {
  /** The member split and each member's report. */
  readonly report: MultiReport;
  /** The counts behind it, one row per member and variant. */
  readonly counts: readonly ReportCountsRow[];
  /** Per member set name: its looks, oldest first (about 20). */
  readonly timelines: Readonly<Record<string, readonly Look[]>>;
  /** Per member set name: the results of each metric declared for it (metrics.ts), primary first. */
  readonly metrics?: Readonly<Record<string, readonly MetricReport[]>>;
}

const ROLE_ORDER = { primary: 0, secondary: 1, guardrail: 2 } as const;

/** Each member's metrics: one SQL statement each (metricInput), analysed with the member's tuning size and weights. */
async function analyzeMetrics(client: Queryable): Promise<Record<string, MetricReport[]>> {
  const out: Record<string, MetricReport[]> = {};
  for (const member of EXPERIMENTS.members) {
    const set = member.set;
    const mine = METRICS.filter((m) => m.sets[set.name] !== undefined).sort(
      (a, b) => ROLE_ORDER[a.sets[set.name]!.role] - ROLE_ORDER[b.sets[set.name]!.role],
    );
    const expectedShares = Object.fromEntries(set.variants.map((v) => [v.name, v.expectedShare]));
    out[set.name] = [];
    for (const metric of mine) {
      const input = await metricInput(client, set, metric);
      out[set.name]!.push(analyzeMetric(input, { tuningUsers: TUNING_USERS[set.name], expectedShares }));
    }
  }
  return out;
}

/**
 * Counts the store's users and purchases (each person once, first exposure's variant, purchases at
 * or after it) and analyses them: the report now, and each member's comparisons at about 20 looks.
 * @example renderResults(await analyzeStore(store.client))
 */
export async function analyzeStore(client: Queryable, options: ReportOptions = {}): Promise<StoreResults> {
  const query = { conversions: PURCHASES_AS_CONVERSIONS };
  const [counts, timeline] = await Promise.all([
    reportCounts(client, EXPERIMENTS, query),
    reportTimeline(client, EXPERIMENTS, { ...query, points: 20 }),
  ]);
  // analyzeMulti's steps, with each member's own tuning size.
  const { split, members } = memberSplitCheck(EXPERIMENTS, counts, options.srmThreshold);
  const optionsOf = (name: string): ReportOptions => ({ tuningUsers: TUNING_USERS[name], ...options });
  const report: MultiReport = {
    set: EXPERIMENTS.name,
    memberSplit: split,
    splitMembers: members,
    members: EXPERIMENTS.members.map((m) =>
      analyzeSet(
        m.set,
        counts.filter((row) => row.set === m.set.name),
        optionsOf(m.set.name),
        split,
      ),
    ),
  };
  const timelines: Record<string, Look[]> = {};
  for (const member of EXPERIMENTS.members) {
    const looks = new Map<number, ReportCountsRow[]>();
    for (const row of timeline) {
      if (row.set !== member.set.name) continue;
      const rows = looks.get(row.at.getTime()) ?? [];
      rows.push(row);
      looks.set(row.at.getTime(), rows);
    }
    timelines[member.set.name] = [...looks].map(([at, rows]) => {
      const look = analyzeSet(member.set, rows, optionsOf(member.set.name));
      return { at: new Date(at), users: look.totalUsers, comparisons: look.comparisons };
    });
  }
  return { report, counts, timelines, metrics: await analyzeMetrics(client) };
}
