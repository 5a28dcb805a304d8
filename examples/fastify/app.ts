// The coconut store's catalog on Fastify: the same tests, coconuts and prices as the Express store, to copy from.
import { serialize } from 'cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ConsoleHandler } from 'tracks-ab/console';
import { mountConsole, tracks, type FastifyTracksOptions } from 'tracks-ab/fastify';
import { renderCatalog } from '../coconut-store/catalog-page.js';
import { placementOf, pricesFor } from '../coconut-store/placement.js';
import { overrideGroups } from '../coconut-store/qa-links.js';
import { cookieSecret } from '../coconut-store/secret.js';
import { delayScaleFromEnv, DelayTracks, Experiments, PricingTracks, type StoreContext } from '../coconut-store/tracks.js';
import { LOGIN_COOKIE, USER_NAME, VIP_USERS, visitorFromCookieHeader } from '../coconut-store/visitor.js';

/** Options of {@link createFastifyApp}; all optional. */
export interface FastifyStoreOptions {
  /** Multiplies the delay test's waits. Default: `COCONUT_DELAY_SCALE`, else 1. */
  delayScale?: number;
  /** Signs the cookies. Default: `TRACKS_SECRET`; without it, a development-only secret, and in production the app refuses to start. */
  secret?: string;
  /** Where exposures go (server.ts: an exposure log into the store's database, db.ts). Default: nowhere. */
  onExposure?: FastifyTracksOptions['onExposure'];
  /** The experiments console (server.ts: the store's, on its database), mounted at its base path (`/results`). Default: none. */
  console?: ConsoleHandler;
}

/**
 * A Fastify app serving `/catalog` under the delay and pricing tests, with `/login?user=…` and
 * `/logout`. Call `await app.ready()` (or `listen`) before use.
 * @example await createFastifyApp().listen({ port: 3002 })
 */
export function createFastifyApp(options: FastifyStoreOptions = {}): FastifyInstance {
  const delayScale = options.delayScale ?? delayScaleFromEnv();
  const app = Fastify();
  if (options.console) void app.register(mountConsole(options.console));
  void app.register(tracks, {
    sets: [Experiments],
    key: [{ cookie: LOGIN_COOKIE }],
    context: (request): StoreContext => ({ user: visitorFromCookieHeader(request.headers.cookie) }),
    cookie: { secret: cookieSecret(options.secret) },
    onExposure: options.onExposure,
  });

  app.get('/', async (_request, reply) => reply.redirect('/catalog'));

  app.get<{ Querystring: { user?: string } }>('/login', async (request, reply) => {
    const name = request.query.user;
    if (typeof name !== 'string' || !USER_NAME.test(name)) {
      return reply.code(400).send(`Log in with /login?user=<name> (letters, digits, - and _). VIPs: ${VIP_USERS.join(', ')}.`);
    }
    reply.header('set-cookie', serialize(LOGIN_COOKIE, name, { httpOnly: true, sameSite: 'lax', path: '/' }));
    return reply.redirect('/catalog');
  });

  app.get('/logout', async (_request, reply) => {
    reply.header('set-cookie', serialize(LOGIN_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
    return reply.redirect('/catalog');
  });

  app.get('/catalog', async (request, reply) => {
    const experiments = request.tracks.get(Experiments);
    const delayMs = (await request.tracks.get(DelayTracks).run(delayScale)) ?? 0;
    return reply.type('text/html; charset=utf-8').send(
      renderCatalog({
        visitor: visitorFromCookieHeader(request.headers.cookie),
        coconuts: pricesFor(request.tracks.get(PricingTracks)),
        placement: placementOf(experiments),
        delayMs,
        buyAction: null,
        overrides: process.env.NODE_ENV === 'production' ? null : overrideGroups('/catalog'),
        withResults: options.console !== undefined,
      }),
    );
  });
  return app;
}
