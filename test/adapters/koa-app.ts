// Builds the contract's app with Koa (3 or 2, passed in) and koa-session.
import { PassThrough } from 'node:stream';
import type Koa3 from 'koa';
import type { Context } from 'koa';
import session from 'koa-session';
import { tracks } from '../../adapters/koa.js';
import { answerRaw, errorBody, listen, waitFor, type MakeApp } from './app-spec.js';

type KoaClass = typeof Koa3;

/** koa-session keeps the session as plain properties on ctx.session. */
function sessionOf(ctx: Context): Record<string, unknown> {
  return (ctx as Context & { session: Record<string, unknown> }).session;
}

/** The contract's `makeApp` for the given Koa class. */
export function koaApp(Koa: KoaClass): MakeApp {
  return async (sets, options, routes) => {
    const app = new Koa();
    app.proxy = true;
    app.keys = ['session-key'];
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 500;
        ctx.body = errorBody(error);
      }
    });
    app.use(session({ signed: true }, app));
    app.use(tracks(sets, options));
    app.use(async (ctx, next) => {
      if (ctx.path === '/login') {
        sessionOf(ctx).userId = String(ctx.query.user);
        ctx.body = { ok: true };
        return;
      }
      const route = routes.find((r) => r.path === ctx.path);
      if (!route) {
        await next();
        return;
      }
      if (route.cacheControl) ctx.set('Cache-Control', route.cacheControl);
      if (route.raw) {
        ctx.respond = false;
        const requestTracks = ctx.tracks;
        answerRaw(ctx.res, route.raw, () => route.handler(requestTracks));
        return;
      }
      if (!route.streaming) {
        ctx.body = route.handler(ctx.tracks);
        return;
      }
      route.beforeHeaders?.(ctx.tracks);
      // Koa sends the headers when the stream's first byte is piped; the handler runs after that.
      const body = new PassThrough();
      body.write(' ');
      ctx.type = 'json';
      ctx.body = body;
      const { res, tracks: requestTracks } = ctx;
      void waitFor(() => res.headersSent).then(() => body.end(JSON.stringify(route.handler(requestTracks))));
    });
    const handle = app.callback();
    return listen((req, res) => void handle(req, res));
  };
}
