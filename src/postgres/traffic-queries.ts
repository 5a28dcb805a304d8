// Traffic of a set from SQL: persons first exposed per day and variant, and in the last 24 hours, each person once.
import { TracksError } from '../engine/errors.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';
import type { CountedSet } from './report-queries.js';

/** Options of {@link readTraffic}. */
export interface TrafficOptions {
  /** Schema of the tracks-ab tables (default `public`). */
  readonly schema?: string;
  /** How many days back (UTC calendar days, today included; default 14, at most 366). */
  readonly days?: number;
}

/** Persons whose first exposure to the set fell on one UTC day, per (member) set and variant. */
export interface TrafficDayRow {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly set: string;
  readonly variant: string;
  readonly users: number;
}

/** A set's traffic: per day and arm, and the pace now. */
export interface Traffic {
  readonly days: readonly TrafficDayRow[];
  /** Persons first exposed in the 24 hours before the query: today's traffic. */
  readonly lastDayUsers: number;
  /** When the first person was first exposed (null: nobody yet). */
  readonly firstExposedAt: Date | null;
}

// The person rule of the report queries (docs/analysis.md): aliases resolved, the earliest exposure
// over the set (or every member of a multi set) counts. One pass over the set's exposures, grouped.
function firsts(schema: string): string {
  return `with exposed as (
      select coalesce(a.user_key, e.user_key) as person, e.set_name, e.variant, e.exposed_at
      from ${schema}.tracks_exposures e
      left join ${schema}.tracks_aliases a on a.anonymous_id = e.user_key
      where e.set_name = any($1::text[]) and e.user_key is not null
    ),
    firsts as (
      select distinct on (person) person, set_name, variant, exposed_at as first_at
      from exposed order by person, exposed_at, set_name, variant
    )`;
}

/**
 * Persons first exposed per UTC day and variant over the last `days` days, the persons of the
 * last 24 hours, and the first exposure's time: the console's traffic chart and the pace its
 * "days left" uses. Counts each person once, as `reportCounts` does.
 * @example const { lastDayUsers } = await readTraffic(pool, describeSet(DelayTracks))
 */
export async function readTraffic(client: Queryable, set: CountedSet, options: TrafficOptions = {}): Promise<Traffic> {
  const schema = schemaName(options.schema);
  const days = options.days ?? 14;
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option days is invalid: ${String(days)} (expected a whole number from 1 to 366)`);
  }
  const names = set.members?.map((m) => m.set.name) ?? [set.name];
  const { rows } = await client.query<{
    day: string | null;
    set: string | null;
    variant: string | null;
    users: number;
    first_at: Date | string | null;
  }>(
    `${firsts(schema)}
    select to_char((first_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, set_name as set, variant, count(*)::int as users, null::timestamptz as first_at
    from firsts where first_at >= (now() at time zone 'UTC')::date - ($2::int - 1) group by 1, 2, 3
    union all
    select null, null, null, (count(*) filter (where first_at > now() - interval '1 day'))::int, min(first_at) from firsts
    order by 1, 2, 3`,
    [names, days],
  );
  const summary = rows.find((r) => r.day === null);
  const first = summary?.first_at ?? null;
  return {
    days: rows.filter((r) => r.day !== null).map((r) => ({ day: r.day!, set: r.set!, variant: r.variant!, users: Number(r.users) })),
    lastDayUsers: Number(summary?.users ?? 0),
    firstExposedAt: first === null ? null : first instanceof Date ? first : new Date(first),
  };
}
