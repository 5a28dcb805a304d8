// The middleware's `store` option: validated at start-up, a bare store wrapped, failures routed, signed cookies backfilled.
import { expect } from 'chai';
import request from 'supertest';
import { MemoryAssignmentStore, StoreClient, TracksError, createSetup, type RequestErrorInfo } from '../../src/index.js';
import { ControllableStore } from '../assignment-store/controllable-store.js';
import { Delay, startStoreApp, type RunningApp, type Seen } from '../support/store-apps.js';

const secret = { cookie: { secret: 'option-test-secret' } };

describe('the store option', () => {
  let running: RunningApp[] = [];
  afterEach(async () => {
    await Promise.all(running.map((app) => app.close()));
    running = [];
  });
  const start = async (...args: Parameters<typeof startStoreApp>): Promise<RunningApp> => {
    const app = await startStoreApp(...args);
    running.push(app);
    return app;
  };

  it('takes a StoreClient as it is, and wraps a bare store in one', () => {
    const client = new StoreClient(new MemoryAssignmentStore());
    expect(createSetup([Delay], { ...secret, store: client }).config.store).to.equal(client);
    expect(createSetup([Delay], { ...secret, store: new MemoryAssignmentStore() }).config.store).to.be.instanceOf(StoreClient);
    expect(createSetup([Delay], { ...secret }).config.store).to.equal(null);
  });

  it('refuses at start-up what is not a store, naming the option', () => {
    for (const bad of [{}, 'postgres://db', { load: () => null }, 42]) {
      expect(() => createSetup([Delay], { ...secret, store: bad as never }))
        .to.throw(TracksError, /^option store is invalid: .* \(expected an assignment store with load, save and alias\)$/)
        .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
    }
  });

  it("sends a bare store's failures to the middleware's onError, with where 'store' and no request", async () => {
    const failing = new ControllableStore();
    failing.failLoads = true;
    failing.failWrites = 1;
    const seen: RequestErrorInfo[] = [];
    const app = await start('express', Delay, { ...secret, store: failing, onError: (_e, info) => void seen.push(info) });
    await request(app.url).get('/delay').set('x-user-id', 'olga').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the first write fails, then its retry lands
    expect(seen.map((i) => (i.where === 'store' ? [i.where, i.req, i.store.operation] : null))).to.deep.equal([
      ['store', null, 'load'],
      ['store', null, 'write'],
    ]);
    expect((await failing.inner.load('olga')).get('delay')?.variant).to.be.a('string');
  });

  it('saves what a signed cookie remembers when the store lacks it, and never what an unsigned one says', async () => {
    for (const signed of [true, false]) {
      const store = new ControllableStore();
      const options = signed ? secret : { cookie: { editableByVisitors: true } };
      // Enrolled in delay before the store was configured.
      const before = await start('express', Delay, options);
      const first = await request(before.url).get('/delay').set('x-user-id', 'vic').expect(200);
      const cookie = (first.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const client = new StoreClient(store, { flushIntervalMs: 5 });
      const after = await start('express', Delay, { ...options, store: client });
      const both = (await request(after.url).get('/both').set('x-user-id', 'vic').set('Cookie', cookie).expect(200)).body as Record<string, Seen>;
      expect(both.delay).to.include({ name: (first.body as Seen).name, reason: 'sticky' });
      expect(both.pricing!.reason).to.equal('hash');
      await client.flush(5000);
      const records = await store.inner.load('vic');
      expect([...records.keys()].sort(), signed ? 'signed' : 'unsigned').to.deep.equal(signed ? ['delay', 'pricing'] : ['pricing']);
      if (signed) expect(records.get('delay')).to.include({ variant: (first.body as Seen).name, how: 'hash' });
    }
  });
});
