// The counts a results report needs, from SQL: persons (through aliases) per variant, and who converted after their first exposure.
import { TracksError } from '../engine/errors.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';

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

/** A set to count: a name (a SimpleTrackSet or ParamTrackSet), or the member names of a MultiTrackSet. */
export interface CountedSet {
  readonly name: string;
  /** A MultiTrackSet's members (`describeSet(Multi).members[i].set.name`): counted together, one member per person. */
  readonly members?: readonly { readonly set: { readonly name: string } }[];
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
 * converted_at, mixed)`. The rule (docs/analysis.md, "The report from SQL"):
 * - a person is the user key an anonymous id was aliased to in `tracks_aliases`, else the key itself;
 * - a person counts once per set (for a MultiTrackSet: once over all its members), for the variant
 *   (and member) of their earliest exposure: ties broken by set name, then variant name;
 * - they converted when a conversion of theirs (its key resolved through the aliases too) is at or
 *   after that first exposure; `converted_at` is the earliest such conversion.
 * Keyless exposures (`random`) have no person and are left out.
 */
function perPerson(schema: string, set: CountedSet, conversions: string, first: number): { text: string; params: unknown[] } {
  const names = set.members?.map((m) => m.set.name) ?? [set.name];
  return {
    params: [names],
    text: `with conversions(user_key, converted_at) as (${conversions}),
    exposed as (
      select coalesce(a.user_key, e.user_key) as person, e.set_name, e.variant, e.exposed_at
      from ${schema}.tracks_exposures e
      left join ${schema}.tracks_aliases a on a.anonymous_id = e.user_key
      where e.set_name = any($${first}::text[]) and e.user_key is not null
    ),
    firsts as (
      select distinct on (person) person, set_name, variant, exposed_at as first_at
      from exposed
      order by person, exposed_at, set_name, variant
    ),
    spread as (
      select person, count(distinct (set_name, variant)) > 1 as mixed from exposed group by person
    ),
    converted as (
      select coalesce(a.user_key, c.user_key) as person, c.converted_at
      from conversions c
      left join ${schema}.tracks_aliases a on a.anonymous_id = c.user_key
    ),
    per_person as (
      select f.person, f.set_name, f.variant, f.first_at, s.mixed,
        (select min(v.converted_at) from converted v where v.person = f.person and v.converted_at >= f.first_at) as converted_at
      from firsts f join spread s using (person)
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
  const { rows } = await client.query<CountsSqlRow>(
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
  const schema = schemaName(options.schema);
  const points = options.points ?? 20;
  if (!Number.isInteger(points) || points < 1 || points > 1000) {
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option points is invalid: ${String(points)} (expected a whole number from 1 to 1000)`);
  }
  const conversions = checkConversions(options.conversions);
  const base = perPerson(schema, set, conversions.sql, conversions.params.length + 1);
  const step = conversions.params.length + 2;
  const { rows } = await client.query<CountsSqlRow & { at: Date | string }>(
    `${base.text},
    ranked as (select first_at, row_number() over (order by first_at, person) as rn, count(*) over () as total from per_person),
    looks as (select distinct first_at as at from ranked where rn = total or rn % greatest(1, ceil(total::numeric / $${step}::int))::bigint = 0)
    select l.at, p.set_name as set, p.variant,
      count(*) filter (where p.first_at <= l.at)::int as users,
      count(*) filter (where p.converted_at <= l.at)::int as converted,
      count(*) filter (where p.first_at <= l.at and p.mixed)::int as mixed
    from looks l cross join per_person p
    group by l.at, p.set_name, p.variant
    order by l.at, p.set_name, p.variant`,
    [...conversions.params, ...base.params, points],
  );
  return rows.map((r) => ({
    at: r.at instanceof Date ? r.at : new Date(r.at),
    set: r.set,
    variant: r.variant,
    users: Number(r.users),
    converted: Number(r.converted),
    mixed: Number(r.mixed),
  }));
}
