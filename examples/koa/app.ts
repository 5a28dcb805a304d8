// The coconut store's catalog on Koa: the same tests, coconuts and prices as the Express store, to copy from.
import Koa from 'koa';
import type { ConsoleHandler } from 'tracks-ab/console';
import { mountConsole, tracks, type KoaTracksOptions } from 'tracks-ab/koa';
import { renderCatalog } from '../coconut-store/catalog-page.js';
import { placementOf, pricesFor } from '../coconut-store/placement.js';
import { overrideGroups } from '../coconut-store/qa-links.js';
import { cookieSecret } from '../coconut-store/secret.js';
import { delayScaleFromEnv, DelayTracks, Experiments, PricingTracks, type StoreContext } from '../coconut-store/tracks.js';
import { LOGIN_COOKIE, USER_NAME, VIP_USERS, visitorFromCookieHeader } from '../coconut-store/visitor.js';

/** Options of {@link createKoaApp}; all optional. */
export interface KoaStoreOptions {
  /** Multiplies the delay test's waits. Default: `COCONUT_DELAY_SCALE`, else 1. */
  delayScale?: number;
  /** Signs the cookies. Default: `TRACKS_SECRET`; without it, a development-only secret, and in production the app refuses to start. */
  secret?: string;
  /** Where exposures go (server.ts: an exposure log into the store's database, db.ts). Default: nowhere. */
  onExposure?: KoaTracksOptions['onExposure'];
  /** The experiments console (server.ts: the store's, on its database), mounted at its base path (`/results`). Default: none. */
  console?: ConsoleHandler;
}

/**
 * A Koa app serving `/catalog` under the delay and pricing tests, with `/login?user=…` and
 * `/logout`. A plain middleware plays router, so the example needs nothing beyond Koa.
 * @example createKoaApp().listen(3001)
 */
export function createKoaApp(options: KoaStoreOptions = {}): Koa {
  const delayScale = options.delayScale ?? delayScaleFromEnv();
  const app = new Koa();
  if (options.console) app.use(mountConsole(options.console));
  app.use(
    tracks([Experiments], {
      key: [{ cookie: LOGIN_COOKIE }],
      context: (ctx): StoreContext => ({ user: visitorFromCookieHeader(ctx.get('cookie')) }),
      cookie: { secret: cookieSecret(options.secret) },
      onExposure: options.onExposure,
    }),
  );

  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET') {
      await next();
      return;
    }
    switch (ctx.path) {
      case '/':
        return ctx.redirect('/catalog');
      case '/login': {
        const name = ctx.query.user;
        if (typeof name !== 'string' || !USER_NAME.test(name)) {
          ctx.status = 400;
          ctx.body = `Log in with /login?user=<name> (letters, digits, - and _). VIPs: ${VIP_USERS.join(', ')}.`;
          return;
        }
        ctx.cookies.set(LOGIN_COOKIE, name, { httpOnly: true, sameSite: 'lax' });
        return ctx.redirect('/catalog');
      }
      case '/logout':
        ctx.cookies.set(LOGIN_COOKIE, null);
        return ctx.redirect('/catalog');
      case '/catalog': {
        const experiments = ctx.tracks.get(Experiments);
        const delayMs = (await ctx.tracks.get(DelayTracks).run(delayScale)) ?? 0;
        ctx.type = 'html';
        ctx.body = renderCatalog({
          visitor: visitorFromCookieHeader(ctx.get('cookie')),
          coconuts: pricesFor(ctx.tracks.get(PricingTracks)),
          placement: placementOf(experiments),
          delayMs,
          buyAction: null,
          overrides: process.env.NODE_ENV === 'production' ? null : overrideGroups('/catalog'),
          withResults: options.console !== undefined,
        });
        return;
      }
      default:
        await next();
    }
  });
  return app;
}
