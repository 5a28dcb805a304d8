// A deterministic crowd of scripted shoppers sent through the real store over HTTP, with known true conversion rates.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { murmur3 } from 'tracks-ab';
import { createApp } from './app.js';
import type { DatabaseOptions } from './db.js';
import { sampleRatioCheck, type SampleRatio } from 'tracks-ab/analysis';
import { readCatalogPage, readResultsPage, type ResultsPageData } from './page-data.js';
import { analyzeStore, storeMetrics, type StoreResults } from './store-console.js';
import type { MetricReport } from 'tracks-ab/analysis';
import { DelayTracks, PRICE_DELTAS, pricingVariant, PricingTracks } from './tracks.js';
import { LOGIN_COOKIE } from './visitor.js';

/** The chance that a visitor buys, by test and variant; `none` for visitors in no test. */
export interface TrueRates {
  readonly delay: Readonly<Record<string, number>>;
  readonly pricing: Readonly<Record<string, number>>;
  readonly none: number;
}

/**
 * The default world: waiting hurts (long converts 5% against control's 8%, short about the
 * same as control), each dollar off helps a little (5% per dollar), and −5 is a strong outlier
 * (30%), strong enough to be found with the ~165 users per pricing variant that 20,000 visitors
 * give (pricing gets 100/1100 of them, split eleven ways).
 */
export const DEFAULT_RATES: TrueRates = Object.freeze({
  delay: { control: 0.08, short: 0.078, long: 0.05 },
  pricing: Object.fromEntries(PRICE_DELTAS.map((d) => [pricingVariant(d), d === -5 ? 0.3 : 0.08 * 1.05 ** -d])),
  none: 0.08,
});

/**
 * A world where conversion and revenue disagree: each dollar off converts 5 % more shoppers (so
 * `price_adjusted_by_-5` converts most), but not enough to pay for the dollar, so every dearer
 * variant earns more per visitor and `price_adjusted_by_5` earns most (8 % × 1.05^−d × ($13.20 + d)).
 */
export const DISAGREEING_RATES: TrueRates = Object.freeze({
  delay: DEFAULT_RATES.delay,
  pricing: Object.fromEntries(PRICE_DELTAS.map((d) => [pricingVariant(d), 0.08 * 1.05 ** -d])),
  none: 0.08,
});

/** Days before the test whose purchases the simulation plants as each shopper's history (CUPED's pre-period). */
export const HISTORY_DAYS = 21;

/** How many coconuts a shopper buys when they buy: 1 to 3, their appetite, the same before and during the test. */
export function appetite(seed: number, visitor: string): number {
  return 1 + Math.floor(draw(seed, visitor, 'appetite') * 3);
}

/** Options of {@link runSimulation}. */
export interface SimulationOptions {
  /** How many distinct visitors (`visitor-00001`…), each logged in under a fixed id. */
  visitors: number;
  /** Seeds every random draw (whether a visitor returns, buys, and what). Default 1. */
  seed?: number;
  rates?: TrueRates;
  /** Share of visitors who load the catalog a second time (checks they keep their variant). Default 0.25. */
  returnShare?: number;
  /** Visitors in flight at once. Default 32. */
  concurrency?: number;
  /**
   * Share of shoppers with purchases in the {@link HISTORY_DAYS} before the test (their appetite of
   * coconuts at the base price, written straight to `purchases`): the spend CUPED reads, correlated
   * with their spend in the test through the appetite. Default 0.6; 0 for none.
   */
  historyShare?: number;
  /**
   * The database to fill: the demo's own (`databaseFromEnv()`), so `npm start` then shows the
   * results. Default: PGlite in a temporary folder (or the server at DATABASE_URL), thrown away.
   */
  database?: DatabaseOptions;
}

/** What the simulation saw, and what the results page made of it. */
export interface SimulationReport {
  visitors: number;
  requests: number;
  purchases: number;
  elapsedMs: number;
  /** Visitors per `set:variant` as their first catalog page said (`none:control` for no test). */
  placements: Record<string, number>;
  /** Returning visitors whose variant or prices changed (should be 0). */
  stickinessBreaks: number;
  /** Purchases charged another price than the visitor's page showed (should be 0). */
  priceMismatches: number;
  /** Visitors per test (`delay`, `pricing`, `none`). */
  testUsers: Record<string, number>;
  /** The split between the two tests against their weights (1000:100). */
  testSplit: SampleRatio;
  /** The /results page, read back. */
  results: ResultsPageData;
  /** Each test's metrics as the console shows them (metrics.ts). */
  metrics?: { set: string; report: MetricReport }[];
  /** The same numbers as analysed for the page (tracks-ab/analysis on the report queries). */
  analyses: StoreResults;
}

// A desktop browser's User-Agent: without one, Node's fetch says "node", which the bot filter rightly drops.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 coconut-simulation';

/** A uniform draw in [0, 1) that depends only on the seed, the visitor and the draw's purpose. */
function draw(seed: number, visitor: string, purpose: string): number {
  return murmur3(`${visitor}:${purpose}`, seed) / 2 ** 32;
}

class Browser {
  readonly #cookies = new Map<string, string>();
  requests = 0;

  constructor(
    private readonly base: string,
    userId: string,
  ) {
    this.#cookies.set(LOGIN_COOKIE, userId);
  }

  async fetch(pathname: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    this.requests++;
    const response = await fetch(this.base + pathname, {
      method: init.method ?? 'GET',
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return response;
  }

  async page(pathname: string): Promise<string> {
    const response = await this.fetch(pathname);
    if (response.status !== 200) throw new Error(`GET ${pathname}: status ${response.status}`);
    return response.text();
  }
}

/**
 * Starts the store on 127.0.0.1 with a fresh temporary database and no delays, sends `visitors`
 * scripted visitors through it (catalog, maybe a second look, maybe a purchase at the page's
 * price, each by a seeded draw), then reads /results. Everything but the timings is the same on
 * every run: ids are fixed, the variants come from the hash, and every draw from the seed.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const seed = options.seed ?? 1;
  const rates = options.rates ?? DEFAULT_RATES;
  const returnShare = options.returnShare ?? 0.25;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coconut-simulation-'));
  // PGlite in a temporary dir, or the server at DATABASE_URL (its tables then keep earlier runs: use a fresh database).
  const database = options.database ?? { url: process.env.DATABASE_URL || undefined, dataDir: path.join(dir, 'pglite') };
  const shop = await createApp({ database, delayScale: 0, allowOverride: false, secret: 'simulation' });
  const { app, store } = shop;
  const server = app.listen(0, '127.0.0.1');
  const started = Date.now();
  try {
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const historyShare = options.historyShare ?? 0.6;
    // The shoppers' history: before the test, so it counts for no variant, only as CUPED's pre-period.
    const history = Array.from({ length: options.visitors }, (_, i) => `visitor-${String(i + 1).padStart(5, '0')}`).filter(
      (id) => draw(seed, id, 'history') < historyShare,
    );
    await store.client.query(
      `insert into purchases (user_id, coconut_id, price, created_at)
       select u, 'green', 13.2, now() - (1 + mod(hashtext(u)::bigint + 2147483648, $2::int - 1)) * interval '1 day'
       from unnest($1::text[], $3::int[]) as h(u, n) cross join lateral generate_series(1, n) q`,
      [history, HISTORY_DAYS, history.map((id) => appetite(seed, id))],
    );
    const testStart = new Date();
    const placements: Record<string, number> = {};
    const expectedPrices = new Map<string, number>();
    let requests = 0;
    let stickinessBreaks = 0;

    const visit = async (index: number): Promise<void> => {
      const userId = `visitor-${String(index + 1).padStart(5, '0')}`;
      const browser = new Browser(base, userId);
      const first = readCatalogPage(await browser.page('/catalog'));
      const key = `${first.setName ?? 'none'}:${first.variant}`;
      placements[key] = (placements[key] ?? 0) + 1;
      if (draw(seed, userId, 'returns') < returnShare) {
        const again = readCatalogPage(await browser.page('/catalog'));
        if (again.variant !== first.variant || JSON.stringify(again.prices) !== JSON.stringify(first.prices)) stickinessBreaks++;
      }
      const rate = first.setName === 'delay' ? rates.delay[first.variant] : first.setName === 'pricing' ? rates.pricing[first.variant] : rates.none;
      if (rate === undefined) throw new Error(`no true rate for ${key}`);
      if (draw(seed, userId, 'buys') < rate) {
        const ids = Object.keys(first.prices);
        const coconut = ids[Math.floor(draw(seed, userId, 'picks') * ids.length)]!;
        for (let n = appetite(seed, userId); n > 0; n--) {
          const response = await browser.fetch('/buy', { method: 'POST', form: { coconut } });
          if (response.status !== 303) throw new Error(`POST /buy for ${userId}: status ${response.status}`);
        }
        expectedPrices.set(userId, first.prices[coconut]!);
      }
      requests += browser.requests;
    };

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.visitors) await visit(next++);
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));

    const results = readResultsPage(await new Browser(base, 'analyst').page('/results'));
    requests += 1;
    const { rows: charged } = await store.client.query<{ userId: string; price: number }>(
      'select user_id as "userId", price::float8 as price from purchases where created_at >= $1',
      [testStart],
    );
    const priceMismatches = charged.filter((p) => expectedPrices.get(p.userId) !== p.price).length;
    const testUsers: Record<string, number> = {};
    for (const [key, count] of Object.entries(placements)) {
      const setName = key.slice(0, key.indexOf(':'));
      testUsers[setName] = (testUsers[setName] ?? 0) + count;
    }
    const weights = DelayTracks.weight + PricingTracks.weight;
    const testSplit = sampleRatioCheck(
      [testUsers.delay ?? 0, testUsers.pricing ?? 0],
      [DelayTracks.weight / weights, PricingTracks.weight / weights],
    );
    return {
      visitors: options.visitors,
      requests,
      purchases: charged.length,
      elapsedMs: Date.now() - started,
      placements,
      stickinessBreaks,
      priceMismatches,
      testUsers,
      testSplit,
      results,
      analyses: await analyzeStore(store.client),
      metrics: (
        await Promise.all(['delay', 'pricing'].map(async (set) => (await storeMetrics(store.client, set)).map((report) => ({ set, report }))))
      ).flat(),
    };
  } finally {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // fetch keeps connections alive; close() alone would wait for them
    await closed;
    await shop.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
