// The console in a real browser (Debian's headless Chromium via playwright-core) on the coconut store: status, charts, health, a button that works.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findShoppers, openTempStore, type TempStore } from '../support/coconut-store.js';
import { seedShoppers } from '../support/coconut-seed.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
// A desktop Chrome's User-Agent: headless Chromium's own is (rightly) a bot to the middleware.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const PHONE_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

async function assignment(page: Page): Promise<{ set: string; variant: string; reason: string }> {
  const small = page.locator('#assignment');
  return {
    set: (await small.getAttribute('data-set')) ?? '',
    variant: (await small.getAttribute('data-variant')) ?? '',
    reason: (await small.getAttribute('data-reason')) ?? '',
  };
}

describe('the console in a real browser, on the coconut store', function () {
  this.timeout(120_000);
  let shop: TempStore;
  let server: Server;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  let base: string;
  // A shopper the hash puts in the delay test, in a variant that is not control.
  const [shopper] = findShoppers(1, (p) => p.setName === 'delay' && p.variant !== 'control', 'console-shopper');

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      const message = `Chromium is not installed at ${CHROMIUM}: apt-get update && apt-get install -y chromium`;
      if (onCi) throw new Error(`${message} (required when CI=true)`);
      console.warn(`      skipping the browser test: ${message}`);
      this.skip();
    }
    shop = await openTempStore({ delayScale: 0.002 });
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
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    desktop = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1200, height: 900 } });
    page = await desktop.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await shop?.dispose();
  });

  it('shows a shopper in the delay test, then the console with status, charts and health', async () => {
    await page.goto(`${base}/login?user=${shopper}`);
    const before = await assignment(page);
    expect(before.set).to.equal('delay');
    expect(before.variant).not.to.equal('control');

    await page.goto(`${base}/results`);
    expect(await page.title()).to.equal('Experiments · tracks-ab');
    const delay = page.locator('section[data-set="delay"]');
    expect(await delay.locator('[data-status]').first().getAttribute('data-status')).to.equal('running');
    expect(await page.locator('section[data-set="pricing"] [data-status]').first().getAttribute('data-status')).to.equal('running');
    // One forest plot for the conversion report, and one under each metric the test declares (conversion, the revenue guardrail).
    expect(await delay.locator('svg.forest:not(div.metric svg)').count()).to.equal(1);
    expect(await delay.locator('div.metric svg.forest').count()).to.equal(2);
    expect(await delay.locator('svg.timeline').count()).to.equal(2);
    expect(await delay.locator('svg.traffic rect').count()).to.be.greaterThan(20);
    // The set's own split check; each metric section carries one more, all of them unflagged here.
    expect(await delay.locator('[data-check="split"]:not(div.metric *)').getAttribute('data-flagged')).to.equal('false');
    expect(await delay.locator('div.metric [data-check="split"][data-flagged="true"]').count()).to.equal(0);
    expect(await delay.locator('[data-check="mixed"]').getAttribute('data-flagged')).to.equal('false');
    expect(await page.locator('[data-multi="delay/pricing"]').count()).to.equal(1);
    expect(await delay.locator('p.summary').first().textContent()).to.match(/^delay: /);
    expect(await delay.locator('[data-schedule]').textContent()).to.match(/Schedule: [\d,]+ of [\d,]+ users to detect the minimum effect/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-desktop.png'), fullPage: true });
    expect(fs.statSync(path.join(ARTIFACTS, 'console-desktop.png')).size).to.be.greaterThan(50_000);
  });

  it('disables the delay test from its button, and the app serves control on the next request', async () => {
    await page.goto(`${base}/results`);
    const form = page.locator('form.controls[data-set="delay"]');
    await form.locator('input[name="note"]').fill('too slow <for> "real"');
    await form.locator('button[value="disable"]').click();
    await page.waitForURL(/\/results\/\?changed=delay/);
    expect(await page.locator('#flash').textContent()).to.match(new RegExp(`delay: disabled true, by ${shopper} at \\d{4}-`));
    expect(await page.locator('section[data-set="delay"] [data-status]').first().getAttribute('data-status')).to.equal('disabled');
    expect(await page.locator('table.changes tbody tr').first().textContent()).to.include('too slow <for> "real"');

    await page.goto(`${base}/catalog`);
    expect(await assignment(page)).to.deep.include({ set: 'delay', variant: 'control', reason: 'disabled' });

    await page.goto(`${base}/results`);
    await page.locator('form.controls[data-set="delay"] button[value="enable"]').click();
    await page.waitForURL(/\/results\/\?changed=delay/);
    await page.goto(`${base}/catalog`);
    expect((await assignment(page)).reason).to.equal('sticky');
  });

  it('fits a phone: no sideways scroll of the page, charts scaled to the width', async () => {
    const phone = await browser.newContext({
      userAgent: PHONE_AGENT,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const small = await phone.newPage();
      await small.goto(`${base}/results`);
      // A browser-side expression (the test's TypeScript has no DOM types).
      const widths = await small.evaluate<{ page: number; view: number; svg: number }>(
        "({ page: document.documentElement.scrollWidth, view: window.innerWidth, svg: document.querySelector('svg.forest').getBoundingClientRect().width })",
      );
      expect(widths.page).to.be.at.most(widths.view);
      expect(widths.svg).to.be.at.most(widths.view);
      await small.screenshot({ path: path.join(ARTIFACTS, 'console-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
