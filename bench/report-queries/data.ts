// Synthetic report data made inside the database with generate_series: persons, first exposures, aliases, orders.
type Queryable = import('../../src/postgres/index.js').Queryable;

/** The set the data exposes persons to, its three variants, and the app's orders table. */
export const BENCH_SET = 'bench_pricing';
export const ORDERS_SQL = 'select user_id, paid_at, amount from bench_orders';
export const CONVERSIONS_SQL = 'select user_id, paid_at from bench_orders';

/**
 * `persons` persons, each with one first exposure to `bench_pricing` (control, a or b by i % 3),
 * one in five of them exposed under an anonymous id aliased to their user key; 2 orders per person
 * on average (user drawn uniformly, time spread over the test and the week before it, amount
 * lognormal), under the user key. Seeded: the same data every run. Three statements, no row
 * leaves the database.
 */
export async function makeReportData(client: Queryable, persons: number): Promise<void> {
  await client.query('drop table if exists bench_orders');
  await client.query('truncate tracks_exposures, tracks_aliases');
  await client.query('select setseed(0.42)');
  await client.query(
    `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
     select case when i % 5 = 0 then 'anon-' || i else 'user-' || i end, $2, (array['control', 'a', 'b'])[1 + i % 3],
       'run-' || i, 'hash', true, timestamptz '2026-01-08' + (i::float8 / $1) * interval '14 days'
     from generate_series(1, $1::int) i`,
    [persons, BENCH_SET],
  );
  await client.query(
    `insert into tracks_aliases (anonymous_id, user_key, aliased_at)
     select 'anon-' || i, 'user-' || i, timestamptz '2026-01-22' from generate_series(5, $1::int, 5) i`,
    [persons],
  );
  await client.query('create table bench_orders (user_id text not null, paid_at timestamptz not null, amount numeric not null)');
  await client.query(
    `insert into bench_orders (user_id, paid_at, amount)
     select 'user-' || (1 + floor(random() * $1))::int, timestamptz '2026-01-01' + random() * interval '28 days',
       round((exp(2.5 + random() + random() - 1))::numeric, 2)
     from generate_series(1, 2 * $1::int)`,
    [persons],
  );
  await client.query('analyze');
}
