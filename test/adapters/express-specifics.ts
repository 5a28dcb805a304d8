// What only the Express adapter does: typed req.tracks, mounting, the app's own cookies, and attaching through Express's prototypes.
import { inspect } from 'node:util';
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

    /**
     * A first visitor's response, for the second of two: the first request through Express's
     * prototypes installs on them and goes through own properties itself (express-exchange.ts).
     */
    async function second(configure: (app: express.Express) => void, get: (user: request.Agent) => request.Test): Promise<request.Response> {
      await get(await start(configure));
      return get(request.agent(running!.server).set('User-Agent', BROWSER));
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

    // The adapter attaches through Express's request and response prototypes (adapters/express-exchange.ts):
    // what an own req.tracks and a writeHead wrapper on res did must still hold around it.
    it('writes the cookies of two tracks middlewares on one request, each req.tracks the latest', async () => {
      const get = (user: request.Agent): request.Test => user.get('/').expect(200);
      const res = await second((app) => {
        app.use(tracks([DelayTracks], { context: () => ({ vip: false }), cookie: { secret: 's' } }));
        app.use((req, _res, next) => {
          req.tracks.get(DelayTracks);
          next();
        });
        app.use(tracks([PricingTracks], { context: () => ({ vip: false }), cookie: { secret: 's', name: 'other', anonymousName: 'other_id' } }));
        app.get('/', (req, res) => res.json({ pricing: req.tracks.get(PricingTracks).name }));
      }, get);
      for (const cookie of ['tracks', 'tracks_id', 'other', 'other_id']) expect(setCookiesNamed(res, cookie), cookie).to.have.length(1);
      expect(res.headers['cache-control']).to.equal('private');
    });

    it('replaces a req.tracks the app set before the middleware, and keeps one the app sets after it', async () => {
      let seen: string[] = [];
      const get = (user: request.Agent): request.Test => ((seen = []), user.get('/').expect(200));
      const res = await second((app) => {
        app.use((req, _res, next) => {
          (req as { tracks: unknown }).tracks = 'before';
          next();
        });
        app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
        app.get('/', (req, res) => {
          seen.push(typeof req.tracks.get(DelayTracks).name);
          (req as { tracks: unknown }).tracks = 'after';
          seen.push(req.tracks as unknown as string);
          res.json({ ok: true });
        });
      }, get);
      expect(seen).to.deep.equal(['string', 'after']);
      expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
    });

    it('writes the cookie when a mounted app reads a variant and the parent app answers', async () => {
      const res = await second(
        (app) => {
          const inner = createApp();
          inner.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
          inner.use((req, _res, next) => {
            req.tracks.get(DelayTracks);
            next();
          });
          app.use(inner);
          app.get('/', (req, res) => res.json({ name: req.tracks.get(DelayTracks).name }));
        },
        (user) => user.get('/').expect(200),
      );
      expect(theSetCookie(res, 'tracks').value).to.match(/^1~/);
      expect(res.headers['cache-control']).to.equal('private');
    });

    it('runs inside a writeHead an earlier middleware wrapped, and leaves req.headers as the app sees them', async () => {
      let headers: { keys: string[]; shown: string } | null = null;
      const res = await second(
        (app) => {
          app.use((_req, res, next) => {
            // eslint-disable-next-line @typescript-eslint/unbound-method -- called through .apply(this) below, as a wrapper does
            const original = res.writeHead;
            res.writeHead = function writeHead(this: typeof res, ...args: unknown[]) {
              this.setHeader('x-wrapped', String(this.getHeader('set-cookie') === undefined));
              return (original as (...a: unknown[]) => typeof res).apply(this, args);
            };
            next();
          });
          app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
          app.get('/', (req, res) => {
            req.tracks.get(DelayTracks);
            headers = { keys: Object.keys(req.headers), shown: inspect(req.headers) };
            res.json({ ok: true });
          });
        },
        (user) => user.get('/').set('x-probe', '1').expect(200),
      );
      expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
      expect(res.headers['x-wrapped']).to.equal('true');
      expect(headers!.keys)
        .to.include('x-probe')
        .and.not.satisfy((keys: string[]) => keys.some((k) => k.includes('tracks')));
      expect(headers!.shown).to.not.include('tracks-ab');
    });

    it('leaves the response with the same own properties, in the same order (moved to V8 dictionary mode only)', async () => {
      let keys: { before: (string | symbol)[]; after: (string | symbol)[] } | null = null;
      const res = await second(
        (app) => {
          app.use((_req, res, next) => {
            keys = { before: Reflect.ownKeys(res), after: [] };
            next();
          });
          app.use(tracks([DelayTracks], { context: () => ({ vip: false }) }));
          app.get('/', (req, res) => {
            req.tracks.get(DelayTracks);
            keys!.after = Reflect.ownKeys(res);
            res.json({ ok: true });
          });
        },
        (user) => user.get('/').expect(200),
      );
      expect(keys!.after).to.deep.equal(keys!.before);
      expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
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
