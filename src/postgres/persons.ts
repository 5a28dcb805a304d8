// The persons of a set, in SQL: exposures and the app's rows in one stream, keys resolved through the aliases, one sort by person; shared by every report query.

/** A set to count: a name (a SimpleTrackSet or ParamTrackSet), or the member names of a MultiTrackSet. */
export interface CountedSet {
  readonly name: string;
  /** A MultiTrackSet's members (`describeSet(Multi).members[i].set.name`): counted together, one member per person. */
  readonly members?: readonly { readonly set: { readonly name: string } }[];
}

/** The set names a counted set reads in `tracks_exposures`. */
export function setNames(set: CountedSet): string[] {
  return set.members?.map((m) => m.set.name) ?? [set.name];
}

/**
 * Two CTEs, `stream` and `person_rows`, to follow a `with` and the app's own CTE `source(user_key,
 * at, …columns)` (the `columns` numeric, read as float8). `$<param>` is the text[] of set names. Each row of `person_rows` is an exposure
 * (`kind` 0, with `set_name` and `variant`) or one of the app's rows (`kind` 1, with `columns`) of a
 * person, carrying that person's first exposure: `first_kind` (0 when they have one: keep only those
 * rows), `first_at`, `first_set`, `first_variant`. The rule (docs/analysis.md, "The report from SQL"):
 * - a person is the user key an anonymous id was aliased to in `tracks_aliases`, else the key itself,
 *   for exposures and the app's rows alike;
 * - a person counts once per set (for a MultiTrackSet: once over all its members), for the variant
 *   (and member) of their earliest exposure: ties broken by set name, then variant name;
 * - keyless exposures (`random`) have no person and are left out.
 *
 * One linear pass and one sort: both tables are read once (hash-joined to the aliases), appended, and
 * sorted by person, kind, time, set and variant; a window over each person's rows in that order reads
 * the first exposure as the first row (`first_value`, a running frame: nothing buffered). The queries
 * then group by person on the same order (`GroupAggregate`, no second sort): see
 * {@link personColumns}. The first linear version sorted the exposures, joined the app's rows to them through
 * a hash table of every person and hashed the result by person again: at a million persons those
 * tables of every person cost more than this one sort (cache misses), which PostgreSQL also runs in
 * parallel workers.
 */
export function personStream(schema: string, param: number, columns: readonly string[]): string {
  const own = columns.map((c) => `s.${c}::float8`);
  const none = columns.map((c) => `null::float8 as ${c}`);
  return `stream as (
      select coalesce(a.user_key, e.user_key) as person, 0 as kind, e.exposed_at as at, e.set_name, e.variant${none.map((c) => `, ${c}`).join('')}
      from ${schema}.tracks_exposures e
      left join ${schema}.tracks_aliases a on a.anonymous_id = e.user_key
      where e.set_name = any($${param}::text[]) and e.user_key is not null
      union all
      select coalesce(a.user_key, s.user_key), 1, s.at, null, null${own.map((c) => `, ${c}`).join('')}
      from source s
      left join ${schema}.tracks_aliases a on a.anonymous_id = s.user_key
      where s.user_key is not null
    ),
    person_rows as (
      select person, kind, at, set_name, variant${columns.map((c) => `, ${c}`).join('')},
        first_value(kind) over p as first_kind, first_value(at) over p as first_at,
        first_value(set_name) over p as first_set, first_value(variant) over p as first_variant
      from stream
      window p as (partition by person order by kind, at, set_name, variant)
    )`;
}

/**
 * The columns every per-person `select … from person_rows where first_kind = 0 group by person`
 * starts with: `set_name`, `variant`, `first_at` (of the first exposure) and `mixed`: the person was
 * exposed to more than one (set, variant) pair. Two distinct pairs exist exactly when the smallest and
 * largest set names differ or the smallest and largest variants differ (the app's rows have neither,
 * and `min`/`max` skip them), which one pass computes (a `count(distinct …)` would need a second).
 */
export function personColumns(): string {
  return `min(first_set) as set_name, min(first_variant) as variant, min(first_at) as first_at,
        (min(set_name) <> max(set_name) or min(variant) <> max(variant)) as mixed`;
}
