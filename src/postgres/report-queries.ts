// The counts a results report needs, from SQL: persons (through aliases) per variant, and who converted after their first exposure.
import { TracksError } from '../engine/errors.js';
import { schemaName } from './migrations.js';
import { personsCtes, resolvedCte, setNames, type CountedSet } from './persons.js';
import type { Queryable } from './queryable.js';
import { runReport } from './report-run.js';

export type { CountedSet } from './persons.js';

/**
 * The app's conversions, as a query of its own: it returns two columns, in this order, a user key
 * (text: the key the middleware used, a user id or an anonymous id) and the time of the conversion
 * (timestamptz). Column names do not matter: the query is wrapped as
 * `with conversions(user_key, converted_at) as (<sql>)`. Its placeholders are `$1…$n` for `params`;
 * the report's own parameters are numbered after them. The text is the app's code, never user
 * input: values go in `params`.
 * @example { sql: 'select user_id, created_at from purchases where price > $1', params: [0] }
 */
export interface ConversionQuery {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** What a report query reads. */
export interface ReportQueryOptions {
  /** The app's conversions. */
  readonly conversions: ConversionQuery;
  /** Schema of the tracks-ab tables (default `public`), as given to `migrate`. */
  readonly schema?: string;
}

/** One variant's counts as the report queries return them; fits `analyzeSet` (and, with `set`, `analyzeMulti`). */
export interface ReportCountsRow {
  /** The (member) set the variant belongs to. */
  readonly set: string;
  readonly variant: string;
  /** Persons whose first exposure was to this variant. */
  readonly users: number;
  /** Of those, persons with a conversion at or after that first exposure. */
  readonly converted: number;
  /** Of those, persons also exposed to another variant (under another id, or before a reset): counted once, here. */
  readonly mixed: number;
}

/** One variant's counts as of a point in time, for the effect over time. */
export interface ReportTimelineRow extends ReportCountsRow {
  /** The counts are those of persons first exposed at or before this time, converted by then. */
  readonly at: Date;
}

function checkConversions(conversions: ConversionQuery | undefined): { sql: string; params: unknown[] } {
  const sql = conversions?.sql;
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      'option conversions.sql is invalid: expected the text of a query returning (user key, converted at)',
    );
  }
  if (/;\s*$/.test(sql)) {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      'option conversions.sql is invalid: it ends with ";" (it is wrapped as a CTE: one select, no terminator)',
    );
  }
  const params = conversions?.params ?? [];
  if (!Array.isArray(params)) throw new TracksError('ERR_TRACKS_INVALID_OPTION', 'option conversions.params is invalid: expected an array');
  return { sql, params: [...(params as unknown[])] };
}

/**
 * The CTEs every report query starts with, ending in `per_person(person, set_name, variant, first_at,
 * converted_at, mixed)`: the persons of `personsCtes` and, for each, the earliest conversion of theirs
 * (its key resolved through the aliases too) at or after their first exposure.
 *
 * Linear: the conversions are hash-joined to the persons on the person and the condition
 * `converted_at >= first_at`, then grouped by person, where the query of 0.1 ran a correlated
 * subquery per person (quadratic). EXPLAIN on PostgreSQL 15 has the shape of `metricSums`' plan
 * (read at 1,000,000 persons, noted there): Sort of the exposures by person and time → WindowAgg →
 * Unique (the persons), Hash Right Join of the resolved conversions to them, Sort by person →
 * GroupAggregate; no SubPlan. The timeline adds a WindowAgg over all persons (row_number) and
 * width_bucket per row, then a small HashAggregate per (variant, look).
 */
function perPerson(schema: string, set: CountedSet, conversions: string, first: number): { text: string; params: unknown[] } {
  return {
    params: [setNames(set)],
    text: `with source(user_key, converted_at) as (${conversions}),
    ${personsCtes(schema, first)},
    ${resolvedCte(schema, 's.converted_at')},
    per_person as (
      select f.person, f.set_name, f.variant, f.first_at, f.mixed, min(v.converted_at) as converted_at
      from firsts f
      left join resolved v on v.person = f.person and v.converted_at >= f.first_at
      group by f.person, f.set_name, f.variant, f.first_at, f.mixed
    )`,
  };
}

interface CountsSqlRow {
  set: string;
  variant: string;
  users: number;
  converted: number;
  mixed: number;
}

/**
 * Per-variant counts of one set from `tracks_exposures`, `tracks_aliases` and the app's conversions,
 * counting each person once (see docs/analysis.md, "The report from SQL"). For a MultiTrackSet
 * (`set.members` given), one row per member and variant, each person in one member only: the rows
 * `analyzeMulti` takes. Variants nobody saw have no row (the analysis fills them with zeros).
 * @example
 * const rows = await reportCounts(pool, describeSet(CheckoutTracks), {
 *   conversions: { sql: 'select user_id, paid_at from orders' },
 * });
 * analyzeSet(describeSet(CheckoutTracks), rows);
 */
export async function reportCounts(client: Queryable, set: CountedSet, options: ReportQueryOptions): Promise<ReportCountsRow[]> {
  const schema = schemaName(options.schema);
  const conversions = checkConversions(options.conversions);
  const base = perPerson(schema, set, conversions.sql, conversions.params.length + 1);
  const { rows } = await runReport<CountsSqlRow>(
    client,
    `${base.text}
    select set_name as set, variant, count(*)::int as users, count(converted_at)::int as converted, count(*) filter (where mixed)::int as mixed
    from per_person group by set_name, variant order by set_name, variant`,
    [...conversions.params, ...base.params],
  );
  return rows.map((r) => ({ set: r.set, variant: r.variant, users: Number(r.users), converted: Number(r.converted), mixed: Number(r.mixed) }));
}

/** Options of {@link reportTimeline}. */
export interface ReportTimelineOptions extends ReportQueryOptions {
  /** About how many points in time (default 20): one after each `persons / points` first exposures, and the last. */
  readonly points?: number;
}

/**
 * The counts of {@link reportCounts} as they stood at successive points in time: the looks of a
 * sequential test. The points are the first-exposure times of evenly spaced persons (every
 * `ceil(persons / points)`-th, and the last), so each look adds about as many users, whatever the
 * traffic's rhythm. Rows are ordered by time, then set and variant.
 */
export async function reportTimeline(client: Queryable, set: CountedSet, options: ReportTimelineOptions): Promise<ReportTimelineRow[]> {
  return (await timeline(client, set, options, false)).timeline;
}

/** What {@link reportCountsAndTimeline} returns: the rows of `reportCounts` and of `reportTimeline`. */
export interface ReportCountsAndTimeline {
  readonly counts: ReportCountsRow[];
  readonly timeline: ReportTimelineRow[];
}

/**
 * {@link reportCounts} and {@link reportTimeline} from one statement: the persons, their first
 * exposures and conversions are read once, where the two functions read them twice (at 1,000,000
 * persons each read is seconds). The counts are the timeline's steps summed, conversions after the
 * last look included. What the console shows.
 * @example
 * const { counts, timeline } = await reportCountsAndTimeline(pool, describeSet(CheckoutTracks), { conversions, points: 20 });
 */
export function reportCountsAndTimeline(client: Queryable, set: CountedSet, options: ReportTimelineOptions): Promise<ReportCountsAndTimeline> {
  return timeline(client, set, options, true);
}

async function timeline(client: Queryable, set: CountedSet, options: ReportTimelineOptions, withCounts: boolean): Promise<ReportCountsAndTimeline> {
  const schema = schemaName(options.schema);
  const points = options.points ?? 20;
  if (!Number.isInteger(points) || points < 1 || points > 1000) {
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option points is invalid: ${String(points)} (expected a whole number from 1 to 1000)`);
  }
  const conversions = checkConversions(options.conversions);
  const base = perPerson(schema, set, conversions.sql, conversions.params.length + 1);
  const step = conversions.params.length + 2;
  const { rows } = await runReport<CountsSqlRow & { at: Date | string | null }>(
    client,
    `${base.text},
    -- The k-th first exposure's time is the same whatever order ties take: sorted by time alone.
    ranked as (select first_at, row_number() over (order by first_at) as rn, count(*) over () as total from per_person),
    looks as (
      select at, row_number() over (order by at) as i
      from (select distinct first_at as at from ranked where rn = total or rn % greatest(1, ceil(total::numeric / $${step}::int))::bigint = 0) d
    ),
    bounds as (select array_agg(at order by at) as ats from looks),
    -- Each first exposure and each conversion falls in the first look at or after it: the number of
    -- looks strictly before it, plus one (width_bucket counts the bounds <= its argument; times are
    -- whole microseconds). A binary search per row instead of a looks × persons product.
    events as (
      select p.set_name, p.variant, width_bucket(p.first_at - interval '1 microsecond', b.ats) + 1 as i,
        1 as users, p.mixed::int as mixed, 0 as converted
      from per_person p cross join bounds b
      union all
      select p.set_name, p.variant, width_bucket(p.converted_at - interval '1 microsecond', b.ats) + 1, 0, 0, 1
      from per_person p cross join bounds b where p.converted_at is not null
    ),
    steps as (select set_name, variant, i, sum(users) as users, sum(mixed) as mixed, sum(converted) as converted from events group by set_name, variant, i),
    arms as (select distinct set_name, variant from per_person)
    select l.at, a.set_name as set, a.variant,
      coalesce(sum(s.users) over w, 0)::int as users,
      coalesce(sum(s.converted) over w, 0)::int as converted,
      coalesce(sum(s.mixed) over w, 0)::int as mixed
    from looks l cross join arms a
    left join steps s on s.set_name = a.set_name and s.variant = a.variant and s.i = l.i
    window w as (partition by a.set_name, a.variant order by l.i)${
      withCounts
        ? `
    union all
    select null, set_name, variant, sum(users)::int, sum(converted)::int, sum(mixed)::int from steps group by set_name, variant`
        : ''
    }
    order by 1 nulls last, 2, 3`,
    [...conversions.params, ...base.params, points],
  );
  const counts = (r: CountsSqlRow): ReportCountsRow => ({
    set: r.set,
    variant: r.variant,
    users: Number(r.users),
    converted: Number(r.converted),
    mixed: Number(r.mixed),
  });
  return {
    counts: rows.filter((r) => r.at === null).map(counts),
    timeline: rows.filter((r) => r.at !== null).map((r) => ({ at: r.at instanceof Date ? r.at : new Date(r.at!), ...counts(r) })),
  };
}
