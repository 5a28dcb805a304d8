// The coconut store end to end over HTTP (supertest) on a fresh PGlite: variants, prices, purchases, results, QA.
import { expect } from 'chai';
import request from 'supertest';
import { COCONUTS } from '../../examples/coconut-store/catalog.js';
import { readCatalogPage, readResultsPage, type CatalogPageData } from '../../examples/coconut-store/page-data.js';
import {
  BROWSER_USER_AGENT,
  delayFor,
  expectedPlacement,
  findShoppers,
  openTempStore,
  pricesWithDelta,
  type TempStore,
} from '../support/coconut-store.js';

const SCALE = 0.002;
const BASE_PRICES = pricesWithDelta(0);

describe('coconut store (Express, PGlite)', function () {
  // A fresh PGlite, the migrations and the controls' first read per test: seconds on a loaded machine.
  this.timeout(60_000);
  let shop: TempStore;

  beforeEach(async () => {
    shop = await openTempStore({ delayScale: SCALE, allowOverride: true });
  });

  afterEach(() => shop.dispose());

  const catalog = async (agent: ReturnType<typeof request.agent>, query = ''): Promise<CatalogPageData> => {
    const res = await agent.get(`/catalog${query}`).expect(200).expect('content-type', /html/);
    return readCatalogPage(res.text);
  };
  const loggedIn = async (user: string): Promise<ReturnType<typeof request.agent>> => {
    const agent = request.agent(shop.app);
    await agent.get(`/login?user=${user}`).expect(302).expect('location', '/catalog');
    return agent;
  };
  // First exposures reach tracks_exposures through the store's exposure log: flush it before reading the table.
  const exposures = async (userId: string): Promise<Array<{ set_name: string; variant: string; reason: string; first_exposure: boolean }>> => {
    await shop.exposures.flush();
    const { rows } = await shop.db.query<{ set_name: string; variant: string; reason: string; first_exposure: boolean }>(
      'select set_name, variant, reason, first_exposure from tracks_exposures where user_key = $1 order by exposed_at, variant',
      [userId],
    );
    return rows;
  };

  it('redirects / to the catalog', async () => {
    await request(shop.app).get('/').expect(302).expect('location', '/catalog');
  });

  it('locks an anonymous visitor to one variant and one set of prices over many page loads', async () => {
    const agent = request.agent(shop.app).set('User-Agent', BROWSER_USER_AGENT);
    const first = await catalog(agent);
    expect(first.reason).to.equal('hash');
    for (let i = 0; i < 15; i++) {
      const page = await catalog(agent);
      expect([page.setName, page.variant, page.prices]).to.deep.equal([first.setName, first.variant, first.prices]);
      expect(page.reason).to.equal('sticky');
    }
    await shop.exposures.flush();
    const { rows } = await shop.db.query('select distinct user_key, set_name, variant from tracks_exposures');
    expect(rows).to.have.length(1);
  });

  it('logs in and out with the user cookie, and refuses a bad name', async () => {
    const agent = await loggedIn('alice');
    expect((await agent.get('/catalog').expect(200)).text).to.include('Welcome back, <strong>alice</strong>');
    await agent.get('/logout').expect(302).expect('location', '/catalog');
    expect((await agent.get('/catalog').expect(200)).text).to.include('browsing anonymously');
    await request(shop.app).get('/login?user=%3Cscript%3E').expect(400);
    expect((await request(shop.app).get('/login').expect(200)).text).to.include('to be a VIP');
  });

  it('shows each shopper the variant the hash gives, with its prices and its delay, on every load', async () => {
    for (const user of findShoppers(12, () => true).concat(findShoppers(4, (p) => p.setName === 'pricing'))) {
      const expected = expectedPlacement(user);
      const agent = await loggedIn(user);
      for (let i = 0; i < 3; i++) {
        const page = await catalog(agent);
        expect([page.setName, page.variant], user).to.deep.equal([expected.setName, expected.variant]);
        expect(page.prices, user).to.deep.equal(pricesWithDelta(expected.priceDelta));
        expect(page.delayMs, user).to.equal(delayFor(expected, SCALE));
      }
      // A fresh browser logging in as the same user lands in the same variant: the key decides.
      expect((await catalog(await loggedIn(user))).variant).to.equal(expected.variant);
      // One first exposure however many loads: the exposure log keeps first exposures only.
      expect((await exposures(user)).map((e) => e.variant)).to.deep.equal([expected.variant]);
    }
  });

  it('keeps VIPs out of every test: regular prices, no delay, nothing logged', async () => {
    for (const vip of ['ron', 'vip']) {
      const agent = await loggedIn(vip);
      for (let i = 0; i < 5; i++) {
        const page = await catalog(agent);
        expect(page).to.include({ setName: null, variant: 'control', reason: 'ineligible', delayMs: 0 });
        expect(page.prices).to.deep.equal(BASE_PRICES);
      }
      expect(await exposures(vip)).to.deep.equal([]);
    }
  });

  it("charges the price of the shopper's variant, whatever the form says", async () => {
    const [user] = findShoppers(1, (p) => p.setName === 'pricing' && p.priceDelta !== 0);
    const delta = expectedPlacement(user!).priceDelta;
    const agent = await loggedIn(user!);
    const page = await catalog(agent);
    expect(page.prices.king).to.equal(14 + delta);
    const res = await agent.post('/buy').type('form').send({ coconut: 'king', price: '0.01' }).expect(303);
    expect(res.headers.location).to.equal('/catalog?bought=king');
    const thanks = await catalog(agent, '?bought=king');
    expect(thanks.thanks).to.equal(`Thank you! You bought a King coconut for $${(14 + delta).toFixed(2)}.`);
    const { rows: purchases } = await shop.db.query('select user_id as "userId", coconut_id as "coconutId", price::float8 as price from purchases');
    expect(purchases).to.deep.equal([{ userId: user, coconutId: 'king', price: 14 + delta }]);
  });

  it('refuses to sell a coconut that is not in the catalog', async () => {
    const agent = await loggedIn('alice');
    await agent.post('/buy').type('form').send({ coconut: '__proto__' }).expect(400);
    await agent.post('/buy').type('form').send({}).expect(400);
    expect((await shop.db.query('select count(*)::int as n from purchases')).rows).to.deep.equal([{ n: 0 }]);
  });

  it('counts exposed and converted users per variant on /results for scripted shoppers', async () => {
    const delayUsers = findShoppers(4, (p) => p.setName === 'delay');
    const pricingUsers = findShoppers(2, (p) => p.setName === 'pricing');
    // Who buys, and how often: a second purchase or a second look must not count twice.
    const plan: Record<string, { loads: number; buys: number }> = {
      [delayUsers[0]!]: { loads: 1, buys: 1 },
      [delayUsers[1]!]: { loads: 3, buys: 2 },
      [delayUsers[2]!]: { loads: 2, buys: 0 },
      [delayUsers[3]!]: { loads: 1, buys: 0 },
      [pricingUsers[0]!]: { loads: 1, buys: 1 },
      [pricingUsers[1]!]: { loads: 2, buys: 0 },
      ron: { loads: 2, buys: 1 },
    };
    const expected = new Map<string, { users: number; bought: number }>();
    for (const [user, { loads, buys }] of Object.entries(plan)) {
      const agent = await loggedIn(user);
      let page: CatalogPageData | undefined;
      for (let i = 0; i < loads; i++) page = await catalog(agent);
      for (let i = 0; i < buys; i++) await agent.post('/buy').type('form').send({ coconut: COCONUTS[i]!.id }).expect(303);
      if (page!.setName === null) continue; // the VIP: in no test, so not counted anywhere
      const key = `${page!.setName}:${page!.variant}`;
      const counts = expected.get(key) ?? { users: 0, bought: 0 };
      expected.set(key, { users: counts.users + 1, bought: counts.bought + (buys > 0 ? 1 : 0) });
    }
    const results = readResultsPage((await request(shop.app).get('/results').expect(200).expect('cache-control', 'no-store')).text);
    const seen = new Map<string, { users: number; bought: number }>();
    for (const [setName, rows] of Object.entries(results.tables)) {
      for (const row of rows) if (row.users > 0) seen.set(`${setName}:${row.variant}`, { users: row.users, bought: row.bought });
    }
    expect(Object.fromEntries(seen)).to.deep.equal(Object.fromEntries(expected));
    expect(Object.keys(results.tables)).to.deep.equal(['delay', 'pricing']);
    expect(results.tables.pricing).to.have.length(11);
    expect(results.summaries).to.have.length(2);
  });

  it('shows the QA strip only where overrides are allowed, and ignores override links elsewhere', async () => {
    const page = await catalog(request.agent(shop.app).set('User-Agent', BROWSER_USER_AGENT));
    expect(page.hasQaStrip).to.equal(true);
    expect(Object.keys(page.qaLinks)).to.have.length(3 + 11 + 1);

    const locked = await openTempStore({ delayScale: SCALE, allowOverride: (req) => req.get('x-qa') === 'yes' });
    try {
      const [user] = findShoppers(1, (p) => p.setName === 'delay' && p.variant !== 'long');
      const agent = request.agent(locked.app);
      await agent.get(`/login?user=${user}`).expect(302);
      const plain = readCatalogPage((await agent.get('/catalog?tracks=clear,delay:long').expect(200)).text);
      expect(plain.hasQaStrip).to.equal(false);
      expect(plain.variant).to.equal(expectedPlacement(user!).variant);
      const qa = readCatalogPage((await agent.get('/catalog?tracks=clear,delay:long').set('x-qa', 'yes').expect(200)).text);
      expect(qa.hasQaStrip).to.equal(true);
      expect([qa.variant, qa.reason]).to.deep.equal(['long', 'forced']);
    } finally {
      await locked.dispose();
    }
  });

  it('forces the variant a QA link names, remembers it, moves between tests, and clears it', async () => {
    const [user] = findShoppers(1, (p) => p.setName === 'delay');
    const own = expectedPlacement(user!);
    const agent = await loggedIn(user!);
    const links = (await catalog(agent)).qaLinks;
    const logged = (await exposures(user!)).length;

    const pricing = await catalog(agent, links['pricing:price_adjusted_by_3']!.slice('/catalog'.length));
    expect(pricing).to.include({ setName: 'pricing', variant: 'price_adjusted_by_3', reason: 'forced', delayMs: 0 });
    expect(pricing.prices).to.deep.equal(pricesWithDelta(3));
    expect((await catalog(agent)).variant, 'remembered without the query').to.equal('price_adjusted_by_3');

    const long = await catalog(agent, links['delay:long']!.slice('/catalog'.length));
    expect(long).to.include({ setName: 'delay', variant: 'long', reason: 'forced', delayMs: 2000 * SCALE });
    expect(long.prices).to.deep.equal(BASE_PRICES);
    const back = await catalog(agent, links['pricing:price_adjusted_by_-5']!.slice('/catalog'.length));
    expect([back.setName, back.variant]).to.deep.equal(['pricing', 'price_adjusted_by_-5']);

    expect(await exposures(user!), 'forced visits are not exposures').to.have.length(logged);
    const cleared = await catalog(agent, links.clear!.slice('/catalog'.length));
    expect([cleared.setName, cleared.variant]).to.deep.equal([own.setName, own.variant]);
  });

  it('makes the page wait as long as the delay variant says, scaled', async function () {
    const slow = await openTempStore({ delayScale: 0.05, allowOverride: true });
    try {
      const agent = request.agent(slow.app).set('User-Agent', BROWSER_USER_AGENT);
      for (const [variant, ms] of [
        ['long', 100],
        ['short', 25],
      ] as const) {
        const started = process.hrtime.bigint();
        const page = readCatalogPage((await agent.get(`/catalog?tracks=clear,delay:${variant}`).expect(200)).text);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        expect(page.delayMs).to.equal(ms);
        expect(elapsed, `${variant}: ${elapsed.toFixed(1)} ms`).to.be.at.least(ms - 2); // timers may fire a hair early
      }
    } finally {
      await slow.dispose();
    }
  });
});
