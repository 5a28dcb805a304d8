// The coconut store on a fresh in-process PGlite, and what the store's pure assignment says a shopper should see.
import { PGlite } from '@electric-sql/pglite';
import { assign } from 'tracks-ab';
import { createApp, type CoconutStore, type StoreOptions } from '../../examples/coconut-store/app.js';
import { COCONUTS, priceCatalog } from '../../examples/coconut-store/catalog.js';
import { Experiments, LONG_DELAY_MS, SHORT_DELAY_MS } from '../../examples/coconut-store/tracks.js';
import { visitorNamed } from '../../examples/coconut-store/visitor.js';
import { pgliteTemplate } from './databases.js';

/**
 * A desktop browser's User-Agent: tests that play an anonymous shopper send it, since an anonymous
 * request without a User-Agent (supertest sends none) is treated as a bot.
 */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** A store on its own database; `dispose` closes it (writing queued exposures) and drops the database. */
export interface TempStore extends CoconutStore {
  /** The store's PGlite instance, for queries of the test's own. */
  db: PGlite;
  dispose(): Promise<void>;
}

/** Opens the store on a fresh in-memory PGlite (loaded from the test run's template data dir: fast). */
export async function openTempStore(options: Omit<StoreOptions, 'database'> = {}): Promise<TempStore> {
  const db = await PGlite.create({ loadDataDir: await pgliteTemplate() });
  const shop = await createApp({ secret: 'test-secret', ...options, database: { client: db } });
  return {
    ...shop,
    db,
    async dispose() {
      await shop.close();
      await db.close();
    },
  };
}

/** Where the engine puts a logged-in shopper on their first visit, computed without any request. */
export interface ExpectedPlacement {
  setName: 'delay' | 'pricing' | null;
  variant: string;
  /** Dollars the prices move by (0 unless in a pricing variant). */
  priceDelta: number;
}

/** The placement `assign` gives a user name: the same hash the middleware uses on a first visit. */
export function expectedPlacement(userId: string): ExpectedPlacement {
  const multi = assign(Experiments, { key: userId, context: { user: visitorNamed(userId) } });
  const setName = (multi.trackSetName as ExpectedPlacement['setName']) ?? null;
  const variant = multi.name;
  const delta = setName === 'pricing' ? Number(/^price_adjusted_by_(-?\d+)$/.exec(variant)![1]) : 0;
  return { setName, variant, priceDelta: delta };
}

/** The prices a page should show for a price delta, by coconut id. */
export function pricesWithDelta(delta: number): Record<string, number> {
  return Object.fromEntries(priceCatalog(COCONUTS, delta).map((c) => [c.id, c.price]));
}

/** The delay a variant of the delay test should apply, in milliseconds, at `scale`. */
export function delayFor(placement: { setName: string | null; variant: string }, scale: number): number {
  if (placement.setName !== 'delay') return 0;
  return placement.variant === 'short' ? SHORT_DELAY_MS * scale : placement.variant === 'long' ? LONG_DELAY_MS * scale : 0;
}

/** The first user names `shopper-1`, `shopper-2`… whose placement satisfies `wanted`. */
export function findShoppers(count: number, wanted: (p: ExpectedPlacement) => boolean, prefix = 'shopper'): string[] {
  const found: string[] = [];
  for (let i = 1; found.length < count; i++) {
    if (i > 100_000) throw new Error('no such shoppers in the first 100,000 names');
    const name = `${prefix}-${i}`;
    if (wanted(expectedPlacement(name))) found.push(name);
  }
  return found;
}
