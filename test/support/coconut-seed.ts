// Earlier shoppers of the coconut store, written straight to its tables: first exposures over 14 days and purchases a minute later.
import type { PGlite } from '@electric-sql/pglite';
import { PRICE_DELTAS, pricingVariant } from '../../examples/coconut-store/tracks.js';

/**
 * Users and buyers per variant, split between the tests as their weights say (1000:100) so the
 * member split is fair; an equal split over the eleven pricing variants, −5 selling best.
 */
export const SEEDED: Record<string, Record<string, readonly [number, number]>> = {
  delay: { control: [1467, 117], short: [1467, 114], long: [1467, 73] },
  pricing: Object.fromEntries(PRICE_DELTAS.map((d) => [pricingVariant(d), [40, d === -5 ? 14 : 4 - Math.round(d / 3)]])),
};

const DAY = 86_400_000;

/** Writes the {@link SEEDED} shoppers: first exposures spread over the last 14 days, buyers spread over the run too. */
export async function seedShoppers(db: PGlite): Promise<void> {
  const start = Date.now() - 14 * DAY;
  for (const [setName, variants] of Object.entries(SEEDED)) {
    for (const [variant, [users, buyers]] of Object.entries(variants)) {
      const keys = Array.from({ length: users }, (_, i) => `seeded-${setName}-${variant}-${i}`);
      const every = users / Math.max(1, buyers);
      const times = keys.map((_, i) => new Date(start + (i / users) * 14 * DAY));
      const bought = keys.filter((_, i) => i % every < 1 && Math.floor(i / every) < buyers);
      await db.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at)
         select k, $2, $3, 'run-' || k, 'hash', true, 'delay/pricing', t from unnest($1::text[], $4::timestamptz[]) as u(k, t)`,
        [keys, setName, variant, times],
      );
      await db.query(
        `insert into purchases (user_id, coconut_id, price, created_at)
         select e.user_key, 'green', 9, e.exposed_at + interval '1 minute' from tracks_exposures e where e.user_key = any($1::text[])`,
        [bought],
      );
    }
  }
}
