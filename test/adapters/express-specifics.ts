// What only the Express adapter does: typed req.tracks, mounting, and the app's own cookies.
import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { tracks } from '../../adapters/express.js';
import { listen, type TestApp } from './app-spec.js';
import { setCookiesNamed, theSetCookie } from './cookies.js';
import { BROWSER } from './harness.js';
import { DelayTracks, PricingTracks } from './sets.js';

/** Runs the Express-only tests against the given Express module. */
export function expressSpecifics(name: string, createApp: typeof express): void {
  describe(`${name}: Express specifics`, () => {
    let running: TestApp | null = null;
    afterEach(async () => {
      await running?.close();
      running = null;
    });

    async function start(configure: (app: express.Express) => void): Promise<request.Agent> {
      const app = createApp();
      configure(app);
      running = await listen(app);
      return request.agent(running.server).set('User-Agent', BROWSER);
    }

    it('types req.tracks.get(Set) without casts', async () => {
      const user = await start((app) => {
        app.use(tracks([DelayTracks], { context: () => ({ vip: false }), cookie: { secret: 's' } }));
        app.get('/', (req, res) => {
          const variant: 'control' | 'short' | 'long' = req.tracks.get(DelayTracks).name;
          const ran: string | undefined = req.tracks.get(DelayTracks).run();
          res.json({ variant, ran: ran ?? null });
        });
      });
      const body = (await user.get('/').expect(200)).body as { variant: string; ran: string | null };
      expect(body.ran).to.equal(body.variant === 'control' ? null : body.variant);
    });

    it('keeps the cookies the app sets itself with res.cookie, before or after reading', async () => {
      const user = await start((app) => {
        app.use(tracks([DelayTracks, PricingTracks], { context: () => ({ vip: false }), cookie: { secret: 's' } }));
        app.get('/', (req, res) => {
          res.cookie('before', '1');
          req.tracks.get(DelayTracks);
          res.cookie('after', '2');
          res.append('Set-Cookie', 'appended=3');
          res.json({ ok: true });
        });
      });
      const res = await user.get('/').expect(200);
      for (const cookie of ['before', 'after', 'appended', 'tracks', 'tracks_id']) expect(setCookiesNamed(res, cookie), cookie).to.have.length(1);
    });

    it('reads the override from the original URL when mounted under a path', async () => {
      const user = await start((app) => {
        const shop = createApp.Router();
        shop.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
        shop.get('/delay', (req, res) => res.json({ name: req.tracks.get(DelayTracks).name, reason: req.tracks.get(DelayTracks).reason }));
        app.use('/shop', shop);
      });
      expect((await user.get('/shop/delay?tracks=delay:long').expect(200)).body).to.deep.equal({ name: 'long', reason: 'forced' });
    });

    it('writes the cookie on a redirect that read a variant', async () => {
      const user = await start((app) => {
        app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
        app.get('/go', (req, res) => res.redirect(req.tracks.get(DelayTracks).name === 'long' ? '/slow' : '/fast'));
      });
      const res = await user.get('/go').expect(302);
      expect(theSetCookie(res, 'tracks').value).to.match(/^1~/);
    });
  });
}
