// The persons of a set, in SQL: keys resolved through the aliases, each at their first exposure, mixed ones marked; shared by every report query.

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
 * Two CTEs, `exposed` and `firsts(person, set_name, variant, first_at, mixed)`, to follow a `with`
 * and the app's own CTE. `$<param>` is the text[] of set names. The rule (docs/analysis.md, "The
 * report from SQL"):
 * - a person is the user key an anonymous id was aliased to in `tracks_aliases`, else the key itself;
 * - a person counts once per set (for a MultiTrackSet: once over all its members), for the variant
 *   (and member) of their earliest exposure: ties broken by set name, then variant name;
 * - `mixed`: they were exposed to more than one (set, variant) pair. Two distinct pairs exist exactly
 *   when the smallest and largest set names differ or the smallest and largest variants differ,
 *   which one `group by` computes (a `count(distinct …)` would need a second pass).
 * Keyless exposures (`random`) have no person and are left out.
 *
 * One linear pass: `exposed` is an index scan of `tracks_exposures` by set name (index
 * `tracks_exposures_report`, covering the columns read) hash-joined to `tracks_aliases`;
 * `firsts` one sort by person and time, read once by a window over each person's rows (ordered as `distinct on`
 * wants, so the one sort serves both) and `distinct on` (no subquery per person).
 */
export function personsCtes(schema: string, param: number): string {
  return `exposed as (
      select coalesce(a.user_key, e.user_key) as person, e.set_name, e.variant, e.exposed_at
      from ${schema}.tracks_exposures e
      left join ${schema}.tracks_aliases a on a.anonymous_id = e.user_key
      where e.set_name = any($${param}::text[]) and e.user_key is not null
    ),
    firsts as (
      select distinct on (person) person, set_name, variant, exposed_at as first_at,
        (min(set_name) over everyone <> max(set_name) over everyone or min(variant) over everyone <> max(variant) over everyone) as mixed
      from exposed
      window everyone as (partition by person order by exposed_at, set_name, variant rows between unbounded preceding and unbounded following)
      order by person, exposed_at, set_name, variant
    )`;
}

/** The CTE `resolved(person, …)`: the app's rows (CTE `source`) with their keys resolved through the aliases, one hash join. */
export function resolvedCte(schema: string, columns: string): string {
  return `resolved as (
      select coalesce(a.user_key, s.user_key) as person, ${columns}
      from source s
      left join ${schema}.tracks_aliases a on a.anonymous_id = s.user_key
    )`;
}
