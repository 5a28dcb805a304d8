// The store's metrics in a world where conversion and revenue disagree: revenue puts the dearest variant ahead (CUPED on), /results (the console) shows them, Chromium too.
import { expect } from 'chai';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { leadingVariant } from '../../src/analysis/index.js';
import { storeMetrics } from '../../examples/coconut-store/store-console.js';
import { PRICE_DELTAS } from '../../examples/coconut-store/tracks.js';
import { openTempStore, type TempStore } from '../support/coconut-store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Shoppers per pricing variant; the delay test gets ten times as many per test (weights 1000:100), split three ways. */
const PER_PRICING_ARM = 200;
const PER_DELAY_ARM = Math.round((PER_PRICING_ARM * PRICE_DELTAS.length * 10) / 3);
/** A coconut's base price; a pricing variant moves it by its delta. */
const BASE = 12;
/** The world: each dollar more loses 4 % of the buyers, but the dearer buyers pay more than that loses. */
const conversion = (delta: number): number => 0.2 * 1.04 ** -delta;

/**
 * Exposures over the last 14 days (1 in 10 first seen anonymously, then aliased), purchases in the
 * test (1–3 coconuts a buyer, by the shopper's appetite) and in the 28 days before it (3 shoppers in
 * 5 bought their usual appetite at the base price): the pre-period CUPED reads, correlated with the
 * spend in the test. Made inside the database with generate_series.
 */
async function seed(shop: TempStore): Promise<void> {
  const arms = [
    ...PRICE_DELTAS.map((d) => ({ set: 'pricing', variant: `price_adjusted_by_${d}`, n: PER_PRICING_ARM, rate: conversion(d), price: BASE + d })),
    ...['control', 'short', 'long'].map((v) => ({ set: 'delay', variant: v, n: PER_DELAY_ARM, rate: v === 'long' ? 0.15 : 0.2, price: BASE })),
  ];
  for (const arm of arms) {
    const prefix = `${arm.set}-${arm.variant}-`;
    const params = [prefix, arm.set, arm.variant, arm.n];
    await shop.db.query(
      `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at)
       select case when i % 10 = 0 then 'anon-' || $1 || i else $1 || i end, $2, $3, 'run-' || $1 || i, 'hash', true, 'delay/pricing',
         now() - interval '14 days' + (i::float8 / $4) * interval '13 days'
       from generate_series(1, $4::int) i`,
      params,
    );
    await shop.db.query(
      `insert into tracks_aliases (anonymous_id, user_key, aliased_at) select 'anon-' || $1 || i, $1 || i, now() from generate_series(10, $2::int, 10) i`,
      [prefix, arm.n],
    );
    // Buyers: every shopper whose rank, scattered by a fixed permutation, falls under the rate.
    await shop.db.query(
      `insert into purchases (user_id, coconut_id, price, created_at)
       select $1 || i, 'green', $3, now() - interval '14 days' + (i::float8 / $2) * interval '13 days' + interval '1 hour'
       from generate_series(1, $2::int) i cross join lateral generate_series(1, 1 + i % 3) q
       where ((i * 7919) % $2) < round($2 * $4::float8)`,
      [prefix, arm.n, arm.price, arm.rate],
    );
    await shop.db.query(
      `insert into purchases (user_id, coconut_id, price, created_at)
       select $1 || i, 'green', $3, now() - interval '24 days' + (i::float8 / $2) * interval '13 days'
       from generate_series(1, $2::int) i cross join lateral generate_series(1, 1 + i % 3) q
       where i % 5 < 3`,
      [prefix, arm.n, BASE],
    );
  }
}

describe('coconut store /results with metrics', function () {
  this.timeout(120_000);
  let shop: TempStore;
  let html: string;

  before(async function () {
    this.timeout(180_000);
    shop = await openTempStore({ delayScale: 0 });
    await seed(shop);
    const response = await request(shop.app).get('/results').expect(200);
    html = response.text;
  });

  after(async () => {
    await shop?.dispose();
  });

  it('puts ahead the variant that earns more per visitor, another than the one that converts most (CUPED on)', async () => {
    // The truth of the seeded world: revenue per visitor = rate × price × 2 coconuts on average.
    const byRevenue = [...PRICE_DELTAS].sort((a, b) => conversion(b) * (BASE + b) - conversion(a) * (BASE + a));
    const byConversion = [...PRICE_DELTAS].sort((a, b) => conversion(b) - conversion(a));
    expect([byRevenue[0], byConversion[0]]).to.deep.equal([5, -5]);
    // The reports the console renders under the pricing test (store-console.ts, metrics.ts).
    const [revenue, converted] = await storeMetrics(shop.db, 'pricing');
    expect([revenue!.metric, revenue!.role, converted!.metric, converted!.role]).to.deep.equal([
      'revenue_per_visitor',
      'primary',
      'conversion',
      'secondary',
    ]);
    expect(revenue!.cuped?.balanced).to.equal(true);
    expect(revenue!.cuped!.varianceReduction).to.be.greaterThan(0);
    expect(leadingVariant(revenue!)?.variant).to.equal('price_adjusted_by_5');
    expect(leadingVariant(converted!)?.variant).to.equal('price_adjusted_by_-5');
    // /results (the console) names the revenue leader in words, under the pricing test's primary metric.
    expect(html).to.match(
      /<div class="metric" data-metric="revenue_per_visitor" data-role="primary">[\s\S]*?<p class="leader" data-leader="price_adjusted_by_5">Highest revenue_per_visitor: <strong>price_adjusted_by_5<\/strong> \([^)]*against price_adjusted_by_0, CUPED-adjusted\)/,
    );
    expect(html).to.match(/<div class="metric" data-metric="conversion" data-role="secondary">[\s\S]*?data-leader="price_adjusted_by_-5"/);
    expect(html).to.match(/<div class="metric" data-metric="revenue_per_visitor" data-role="primary">[\s\S]*?data-variant="price_adjusted_by_5"/);
    expect(html).to.include('data-metric="conversion" data-role="secondary"');
  });

  it('shows the delay test with conversion primary and revenue per visitor as its guardrail', () => {
    expect(html).to.include('data-metric="conversion" data-role="primary"');
    expect(html).to.include('data-metric="revenue_per_visitor" data-role="guardrail"');
  });

  it('renders in Chromium, screenshot saved in the test artifacts', async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (onCi) throw new Error(`Chromium is not installed at ${CHROMIUM}`);
      this.skip();
    }
    const server: Server = shop.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/results`);
      const leader = page.locator('div.metric[data-metric="revenue_per_visitor"][data-role="primary"] tr[data-variant="price_adjusted_by_5"]');
      expect(await leader.count()).to.equal(1);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, 'results-metrics.png');
      await leader.scrollIntoViewIfNeeded();
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).to.be.greaterThan(10_000);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
