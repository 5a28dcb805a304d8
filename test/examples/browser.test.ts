// The coconut store in a real browser (Debian's headless Chromium via playwright-core): cookies, a purchase, /results, a QA link.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readResultsPage } from '../../examples/coconut-store/page-data.js';
import { openTempStore, pricesWithDelta, type TempStore } from '../support/coconut-store.js';
import { SEEDED, seedShoppers } from '../support/coconut-seed.js';

// Debian's Chromium; CHROMIUM_PATH points elsewhere (another distribution, a local Chrome).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'results.png');
// Headless Chromium says "HeadlessChrome" in its User-Agent, which the bot filter (rightly) treats
// as a crawler: no variant, no cookie. This test plays a person, so it presents a desktop Chrome.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

interface Shown {
  setName: string;
  variant: string;
  reason: string;
  prices: Record<string, number>;
}

/** What the catalog in the browser shows: the small print's data and each coconut row's price. */
async function shown(page: Page): Promise<Shown> {
  const small = page.locator('#assignment');
  const prices: Record<string, number> = {};
  for (const row of await page.locator('tr[data-coconut]').all()) {
    const text = (await row.locator('.price').textContent()) ?? '';
    prices[(await row.getAttribute('data-coconut'))!] = Number(text.replace('$', ''));
  }
  return {
    setName: (await small.getAttribute('data-set')) ?? '',
    variant: (await small.getAttribute('data-variant')) ?? '',
    reason: (await small.getAttribute('data-reason')) ?? '',
    prices,
  };
}

describe('coconut store in a real browser', function () {
  this.timeout(60_000);
  let shop: TempStore;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  let first: Shown;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      const message = `Chromium is not installed at ${CHROMIUM}: apt-get update && apt-get install -y chromium`;
      if (onCi) throw new Error(`${message} (required when CI=true)`);
      console.warn(`      skipping the browser test: ${message}`);
      this.skip();
    }
    shop = await openTempStore({ delayScale: 0.002, allowOverride: true });
    await seedShoppers(shop.db);
    server = shop.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await shop?.dispose();
  });

  it('shows the same variant and prices on five reloads (the browser keeps the cookie)', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).to.equal('/catalog');
    first = await shown(page);
    expect(first.reason).to.equal('hash');
    expect(Object.keys(first.prices)).to.have.length(5);
    for (let i = 0; i < 5; i++) {
      await page.reload();
      const again = await shown(page);
      expect(again).to.deep.equal({ ...first, reason: 'sticky' });
    }
    const cookies = (await page.context().cookies()).map((c) => c.name).sort();
    expect(cookies).to.deep.equal(['tracks', 'tracks_id']);
  });

  it('buys a coconut and sees the purchase counted on /results', async () => {
    await page.locator('tr[data-coconut="king"] button').click();
    await page.waitForURL(/\/catalog\?bought=king$/);
    expect(await page.locator('#thanks').textContent()).to.equal(`Thank you! You bought a King coconut for $${first.prices.king!.toFixed(2)}.`);

    await page.goto(`${base}/results`);
    const results = readResultsPage(await page.content());
    const row = results.tables[first.setName]!.find((r) => r.variant === first.variant);
    const [users, bought] = SEEDED[first.setName]![first.variant] ?? [0, 0];
    expect(row, 'the earlier shoppers, and this one').to.deep.equal({ variant: first.variant, users: users + 1, bought: bought + 1 });
    expect(Object.values(results.srmWarnings)).to.deep.equal([false, false]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).to.be.greaterThan(10_000);
  });

  it('follows a QA link and sees the forced variant and its prices', async () => {
    await page.goto(`${base}/catalog`);
    const target = first.variant === 'price_adjusted_by_-3' ? 'price_adjusted_by_2' : 'price_adjusted_by_-3';
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalog.png'), fullPage: true });
    await page.locator(`#qa a[data-qa="pricing:${target}"]`).click();
    await page.waitForURL(/tracks=/);
    const delta = Number(target.replace('price_adjusted_by_', ''));
    const forced = await shown(page);
    expect(forced).to.deep.equal({ setName: 'pricing', variant: target, reason: 'forced', prices: pricesWithDelta(delta) });
    await page.goto(`${base}/catalog`);
    expect((await shown(page)).variant, 'remembered without the query').to.equal(target);
    await page.locator('#qa a[data-qa="clear"]').click();
    await page.waitForURL(/tracks=clear$/);
    const cleared = await shown(page);
    expect([cleared.setName, cleared.variant, cleared.prices]).to.deep.equal([first.setName, first.variant, first.prices]);
  });
});
