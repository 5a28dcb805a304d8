// The tests every framework's copy of the coconut store must pass: one suite, run per example.
import { expect } from 'chai';
import type { Server } from 'node:http';
import request from 'supertest';
import { readCatalogPage } from '../../examples/coconut-store/page-data.js';
import { BROWSER_USER_AGENT, expectedPlacement, findShoppers, pricesWithDelta } from './coconut-store.js';

/** What supertest can drive: a request listener or a listening server. */
type Target = Parameters<typeof request.agent>[0] & (Server | ((...args: never[]) => unknown));

/** Runs the example suite against the server `start` returns (a fresh app per test). */
export function runExampleSuite(name: string, start: () => Promise<{ target: Target; close: () => Promise<unknown> }>): void {
  describe(`${name} example`, () => {
    let app: { target: Target; close: () => Promise<unknown> } | null = null;
    beforeEach(async () => {
      app = await start();
    });
    afterEach(async () => {
      await app?.close();
      app = null;
    });

    it('shows one agent the same variant and prices on two catalog loads', async () => {
      const agent = request.agent(app!.target).set('User-Agent', BROWSER_USER_AGENT);
      const first = readCatalogPage((await agent.get('/catalog').expect(200).expect('content-type', /html/)).text);
      const second = readCatalogPage((await agent.get('/catalog').expect(200)).text);
      expect(first.reason).to.equal('hash');
      expect(second).to.include({ setName: first.setName, variant: first.variant, reason: 'sticky' });
      expect(second.prices).to.deep.equal(first.prices);
      expect(Object.keys(first.prices)).to.have.length(5);
    });

    it('prices a logged-in shopper by their pricing variant, and a VIP at the regular prices', async () => {
      const [user] = findShoppers(1, (p) => p.setName === 'pricing' && p.priceDelta !== 0);
      const agent = request.agent(app!.target);
      await agent.get(`/login?user=${user}`).expect(302).expect('location', '/catalog');
      expect(readCatalogPage((await agent.get('/catalog').expect(200)).text).prices).to.deep.equal(
        pricesWithDelta(expectedPlacement(user!).priceDelta),
      );
      const vip = request.agent(app!.target);
      await vip.get('/login?user=ron').expect(302);
      expect(readCatalogPage((await vip.get('/catalog').expect(200)).text)).to.deep.include({ reason: 'ineligible', prices: pricesWithDelta(0) });
    });
  });
}
