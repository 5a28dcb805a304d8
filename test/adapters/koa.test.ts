// Koa 3 and Koa 2 (installed as `koa2`): the adapter contract, and what only Koa does.
import { expect } from 'chai';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { tracks } from '../../adapters/koa.js';
import { listen, type TestApp } from './app-spec.js';
import { koaApp } from './koa-app.js';
import { setCookiesNamed } from './cookies.js';
import { runAdapterContract } from './contract.js';
import { BROWSER } from './harness.js';
import { DelayTracks } from './sets.js';

for (const [name, Koa] of [
  ['koa 3', Koa3],
  ['koa 2', Koa2],
] as const) {
  runAdapterContract(name, koaApp(Koa));

  describe(`${name}: Koa specifics`, () => {
    let running: TestApp | null = null;
    afterEach(async () => {
      await running?.close();
      running = null;
    });

    async function start(app: Pick<Koa3, 'callback'>): Promise<request.Agent> {
      const handle = app.callback();
      running = await listen((req, res) => void handle(req, res));
      return request.agent(running.server).set('User-Agent', BROWSER);
    }

    it('puts the same object on ctx.tracks and ctx.state.tracks, typed', async () => {
      const app = new Koa();
      app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
      app.use((ctx) => {
        const variant: 'control' | 'short' | 'long' = ctx.tracks.get(DelayTracks).name;
        ctx.body = { same: ctx.state.tracks === ctx.tracks, variant };
      });
      const body = (await (await start(app)).get('/').expect(200)).body as { same: boolean; variant: string };
      expect(body.same).to.equal(true);
      expect(['control', 'short', 'long']).to.include(body.variant);
    });

    it('keeps the cookies the app sets with ctx.cookies, and writes after downstream middleware', async () => {
      const app = new Koa();
      app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
      app.use(async (ctx, next) => {
        ctx.cookies.set('before', '1');
        await next();
        ctx.tracks.get(DelayTracks);
        ctx.cookies.set('after', '2');
      });
      app.use((ctx) => {
        ctx.body = { ok: true };
      });
      const res = await (await start(app)).get('/').expect(200);
      for (const cookie of ['before', 'after', 'tracks', 'tracks_id']) expect(setCookiesNamed(res, cookie), cookie).to.have.length(1);
      expect(res.headers['cache-control']).to.equal('private');
    });

    it('does not crash when a variant is read after ctx.respond = false and a raw response', async () => {
      const app = new Koa();
      app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
      app.use((ctx) => {
        ctx.respond = false;
        ctx.res.writeHead(200, { 'content-type': 'application/json' });
        ctx.res.end(JSON.stringify({ name: ctx.tracks.get(DelayTracks).name }));
      });
      const res = await (await start(app)).get('/').expect(200);
      expect(res.headers['set-cookie']).to.equal(undefined);
    });
  });
}
