// A metric's sufficient statistics per arm from SQL, in one linear pass: n, Σy, Σy² (+ ratio and CUPED sums), capped, mixed persons excluded.
import { TracksError } from '../engine/errors.js';
import type { Metric } from '../metrics/metric.js';
import { schemaName } from './migrations.js';
import { personsCtes, resolvedCte, setNames, type CountedSet } from './persons.js';
import type { Queryable } from './queryable.js';
import { runReport } from './report-run.js';

/** One arm's sums for one metric (the shape of `ArmSums` in `tracks-ab/analysis`), with the (member) set it belongs to. */
export interface MetricSumsRow {
  readonly set: string;
  readonly variant: string;
  readonly n: number;
  readonly sumY: number;
  readonly sumY2: number;
  readonly sumD?: number;
  readonly sumD2?: number;
  readonly sumYD?: number;
  readonly sumX?: number;
  readonly sumX2?: number;
  readonly sumXY?: number;
}

/** What `metricSums` returns for one metric of one set. */
export interface MetricSums {
  /** One row per (member set and) variant that has persons, ordered by set then variant. */
  readonly arms: readonly MetricSumsRow[];
  /** Persons left out because they were exposed to more than one variant. */
  readonly mixed: number;
  /** The cap applied to each person's value (absolute, or the pooled percentile), null for none or no persons. */
  readonly cap: number | null;
  /** The cap applied to each person's CUPED covariate (the same rule over the pre-period values). */
  readonly capX: number | null;
}

/** Options of `metricSums`. */
export interface MetricQueryOptions {
  /** Schema of the tracks-ab tables (default `public`), as given to `migrate`. */
  readonly schema?: string;
  /**
   * The MultiTrackSet the set is a member of (`describeSet(Multi)`): its persons are then counted over
   * all the members, once, in the member of their first exposure, and a person also exposed in another
   * member is mixed (left out), as the conversion report counts them. Without it a member's persons are
   * read from its own exposures alone.
   */
  readonly within?: CountedSet;
}

interface SumsSqlRow {
  set: string | null;
  variant: string | null;
  n: number | string;
  sum_y: number | null;
  sum_y2: number | null;
  sum_d: number | null;
  sum_d2: number | null;
  sum_yd: number | null;
  sum_x: number | null;
  sum_x2: number | null;
  sum_xy: number | null;
  cap: number | null;
  cap_x: number | null;
}

/** The text and parameters of the one statement, exported for the EXPLAIN test and the bench. */
export function metricSumsQuery(set: CountedSet, metric: Metric, options: MetricQueryOptions = {}): { text: string; params: unknown[] } {
  const schema = schemaName(options.schema);
  const params: unknown[] = [...metric.source.params];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const within = options.within;
  if (within !== undefined && !setNames(within).includes(set.name)) {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      `option within is invalid: ${within.name} has no member ${set.name} (its members: ${setNames(within).join(', ')})`,
    );
  }
  const sets = param(setNames(within ?? set));
  // Within a multi set: the persons whose first exposure was to this member.
  const member = within === undefined ? '' : `\n      where p.set_name = ${param(set.name)}`;
  const columns = metric.kind === 'ratio' ? 'user_key, at, value, denominator' : metric.kind === 'mean' ? 'user_key, at, value' : 'user_key, at';
  const resolvedColumns = [
    's.at',
    metric.kind === 'proportion' ? null : 's.value::float8 as value',
    metric.kind === 'ratio' ? 's.denominator::float8 as denominator' : null,
  ];
  // Rows after the first exposure (within the window), and before it (within CUPED's pre-period).
  const window = metric.windowDays === null ? '' : ` and r.at < p.first_at + ${param(metric.windowDays)}::float8 * interval '1 day'`;
  const post = `r.at >= p.first_at${window}`;
  const preStart = metric.cuped === null ? null : `p.first_at - ${param(metric.cuped.days)}::float8 * interval '1 day'`;
  const pre = preStart === null ? null : `r.at < p.first_at and r.at >= ${preStart}`;
  const sum = (column: string, where: string): string =>
    metric.kind === 'proportion'
      ? `(count(r.person) filter (where ${where}) > 0)::int::float8`
      : `coalesce(sum(r.${column}) filter (where ${where}), 0)`;
  const perPerson = [
    `${sum('value', post)} as y`,
    metric.kind === 'ratio' ? `${sum('denominator', post)} as d` : null,
    pre === null ? null : `${sum('value', pre)} as x`,
  ].filter((c) => c !== null);
  const cap = metric.cap;
  const capOf = (column: string): string =>
    cap === null
      ? 'null::float8'
      : 'absolute' in cap
        ? `${param(cap.absolute)}::float8`
        : `percentile_cont(${param(cap.percentile)}::float8) within group (order by ${column})`;
  const y = 'least(y, c.cap)';
  const x = 'least(x, c.cap_x)';
  const sums = [
    `sum(${y}) as sum_y`,
    `sum(${y} * ${y}) as sum_y2`,
    metric.kind === 'ratio'
      ? `sum(d) as sum_d, sum(d * d) as sum_d2, sum(${y} * d) as sum_yd`
      : 'null::float8 as sum_d, null::float8 as sum_d2, null::float8 as sum_yd',
    pre === null
      ? 'null::float8 as sum_x, null::float8 as sum_x2, null::float8 as sum_xy'
      : `sum(${x}) as sum_x, sum(${x} * ${x}) as sum_x2, sum(${x} * ${y}) as sum_xy`,
  ];
  const text = `with source(${columns}) as (${metric.source.sql}),
    ${personsCtes(schema, Number(sets.slice(1)))},
    ${resolvedCte(schema, resolvedColumns.filter((c) => c !== null).join(', '))},
    per_person as (
      select p.set_name, p.variant, p.mixed, ${perPerson.join(', ')}
      from firsts p
      left join resolved r on r.person = p.person and r.at >= ${preStart ?? 'p.first_at'}${window}${member}
      group by p.person, p.set_name, p.variant, p.first_at, p.mixed
    ),
    caps as (select ${capOf('y')} as cap, ${pre === null ? 'null::float8' : capOf('x')} as cap_x${cap !== null && 'percentile' in cap ? ' from per_person where not mixed' : ''})
    select set_name as set, variant, count(*) as n, ${sums.join(', ')}, max(c.cap) as cap, max(c.cap_x) as cap_x
    from per_person cross join caps c
    where not mixed
    group by set_name, variant
    union all
    select null, null, count(*), null, null, null, null, null, null, null, null, null, null from per_person where mixed
    order by 1, 2`;
  return { text, params };
}

const num = (v: number | string | null): number => (v === null ? 0 : Number(v));

/**
 * Per-arm sufficient statistics of `metric` for `set` (see docs/analysis.md, "Metrics from SQL"), in
 * one statement with no subquery per person. EXPLAIN ANALYZE on PostgreSQL 15 at 1,000,000 persons
 * and 2,000,000 orders (work_mem 64MB, machine at load 20): Sort of the exposures by person and time
 * (external merge, 51 MB) → WindowAgg → Unique: the persons; Hash Left Join of the orders to the
 * aliases; Hash Right Join of those to the persons (one batch, 82 MB); Sort of the 1.7 M joined rows
 * by person (external, 113 MB) → GroupAggregate: per person; Aggregate for `percentile_cont`; a
 * HashAggregate by variant. Sorts make it n log n, and the spills to disk past work_mem make a
 * million persons cost more than ten times a hundred thousand (bench/report-queries). Each person's value is the sum of their rows at or after
 * their first exposure (within `windowDays`), 0 when none (a proportion: 1 when any); a ratio's
 * denominator likewise; CUPED's covariate the same over the `cuped.days` before the first exposure.
 * The cap (absolute, or the percentile of every person's value pooled over the arms) is applied to
 * each person's value, and separately computed over the covariates, before the sums.
 * @example
 * const sums = await metricSums(pool, describeSet(PricingTracks), revenuePerVisitor);
 */
export async function metricSums(client: Queryable, set: CountedSet, metric: Metric, options: MetricQueryOptions = {}): Promise<MetricSums> {
  const query = metricSumsQuery(set, metric, options);
  const { rows } = await runReport<SumsSqlRow>(client, query.text, query.params);
  const mixed = rows.find((r) => r.set === null);
  const arms = rows.filter((r) => r.set !== null);
  const first = arms[0];
  return {
    mixed: num(mixed?.n ?? 0),
    cap: first?.cap ?? null,
    capX: first?.cap_x ?? null,
    arms: arms.map((r) => ({
      set: r.set!,
      variant: r.variant!,
      n: num(r.n),
      sumY: num(r.sum_y),
      sumY2: num(r.sum_y2),
      ...(metric.kind === 'ratio' ? { sumD: num(r.sum_d), sumD2: num(r.sum_d2), sumYD: num(r.sum_yd) } : {}),
      ...(metric.cuped === null ? {} : { sumX: num(r.sum_x), sumX2: num(r.sum_x2), sumXY: num(r.sum_xy) }),
    })),
  };
}
