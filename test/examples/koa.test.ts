// The Koa example: the coconut store's catalog, sticky across page loads, under the same tests as the Express store.
import { expect } from 'chai';
import request from 'supertest';
import { createKoaApp } from '../../examples/koa/app.js';
import { readCatalogPage } from '../../examples/coconut-store/page-data.js';
import { expectedPlacement, findShoppers, pricesWithDelta } from '../support/coconut-store.js';

describe('Koa example', () => {
  const server = () => createKoaApp({ delayScale: 0.002, secret: 'test-secret' }).callback();

  it('shows one agent the same variant and prices on two catalog loads', async () => {
    const agent = request.agent(server());
    const first = readCatalogPage((await agent.get('/catalog').expect(200).expect('content-type', /html/)).text);
    const second = readCatalogPage((await agent.get('/catalog').expect(200)).text);
    expect(first.reason).to.equal('hash');
    expect(second).to.include({ setName: first.setName, variant: first.variant, reason: 'sticky' });
    expect(second.prices).to.deep.equal(first.prices);
    expect(Object.keys(first.prices)).to.have.length(5);
  });

  it('prices a logged-in shopper by their pricing variant, and a VIP at the regular prices', async () => {
    const [user] = findShoppers(1, (p) => p.setName === 'pricing' && p.priceDelta !== 0);
    const agent = request.agent(server());
    await agent.get(`/login?user=${user}`).expect(302).expect('location', '/catalog');
    expect(readCatalogPage((await agent.get('/catalog').expect(200)).text).prices).to.deep.equal(pricesWithDelta(expectedPlacement(user!).priceDelta));
    const vip = request.agent(server());
    await vip.get('/login?user=ron').expect(302);
    expect(readCatalogPage((await vip.get('/catalog').expect(200)).text)).to.deep.include({ reason: 'ineligible', prices: pricesWithDelta(0) });
  });
});
