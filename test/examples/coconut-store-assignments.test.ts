// The coconut store with its assignment store: a shopper who logs in keeps their variant on a second browser.
import { expect } from 'chai';
import request from 'supertest';
import { readCatalogPage, type CatalogPageData } from '../../examples/coconut-store/page-data.js';
import { MemoryAssignmentStore, StoreClient } from '../../src/index.js';
import { BROWSER_USER_AGENT, findShoppers, openTempStore, type TempStore } from '../support/coconut-store.js';

type Agent = ReturnType<typeof request.agent>;

describe('coconut store with server-side assignments', () => {
  const shops: TempStore[] = [];
  afterEach(async () => {
    for (const shop of shops.splice(0)) await shop.dispose();
  });

  const open = async (client: StoreClient | undefined): Promise<TempStore> => {
    const shop = await openTempStore({ delayScale: 0.002, allowOverride: false, assignments: client });
    shops.push(shop);
    return shop;
  };
  const catalog = async (agent: Agent): Promise<CatalogPageData> => readCatalogPage((await agent.get('/catalog').expect(200)).text);
  const logIn = async (agent: Agent, user: string): Promise<Agent> => {
    await agent.get(`/login?user=${user}`).expect(302);
    return agent;
  };

  for (const withStore of [true, false]) {
    it(
      withStore
        ? 'gives a shopper who was enrolled before logging in the same variant when they log in on a second browser'
        : 'without the store, gives that shopper the hash of their name on the second browser instead',
      async () => {
        const client = withStore ? new StoreClient(new MemoryAssignmentStore(), { flushIntervalMs: 5 }) : undefined;
        const shop = await open(client);
        const laptop = request.agent(shop.app).set('User-Agent', BROWSER_USER_AGENT);
        const anonymous = await catalog(laptop);
        // A name the hash would place elsewhere: only the remembered assignment keeps the shopper in place.
        const [name] = findShoppers(1, (p) => p.setName !== anonymous.setName || p.variant !== anonymous.variant, `store-${String(withStore)}`);
        await logIn(laptop, name!);
        const loggedIn = await catalog(laptop);
        expect([loggedIn.setName, loggedIn.variant, loggedIn.reason]).to.deep.equal([anonymous.setName, anonymous.variant, 'sticky']);
        await client?.flush(5000);
        const phone = await logIn(request.agent(shop.app).set('User-Agent', BROWSER_USER_AGENT), name!);
        const there = await catalog(phone);
        const same =
          there.setName === anonymous.setName &&
          there.variant === anonymous.variant &&
          JSON.stringify(there.prices) === JSON.stringify(anonymous.prices);
        expect(same, `${name}: ${JSON.stringify([there.setName, there.variant])}`).to.equal(withStore);
      },
    );
  }
});
