// Koa middleware (Koa 2 and 3): attaches `ctx.tracks` (and `ctx.state.tracks`).
import type { Context, Middleware, Next } from 'koa';
import type { AnySetClass, ConsoleHandler, Options, Tracks } from '../src/index.js';
import { beginRequest, createSetup } from '../src/request/adapter-kit.js';
import { NodeExchange } from './node-exchange.js';

declare module 'koa' {
  interface DefaultContext {
    /** The user's track assignments for this request (tracks-ab). */
    tracks: Tracks;
  }
  interface DefaultState {
    /** The same object as `ctx.tracks`, for code that passes `ctx.state` to views. */
    tracks: Tracks;
  }
}

class KoaExchange extends NodeExchange {
  // Declared, not a class field (see NodeExchange).
  declare private readonly ctx: Context;

  constructor(ctx: Context) {
    super(ctx.req, ctx.res);
    this.ctx = ctx;
  }

  url(): string {
    return this.ctx.originalUrl;
  }

  session(): unknown {
    return (this.ctx as Context & { session?: unknown }).session;
  }

  isSecure(): boolean {
    return this.ctx.secure;
  }
}

/** Options of the Koa middleware: the shared options, with Koa's `Context` in callbacks. */
export type KoaTracksOptions = Options<Context>;

/**
 * Creates the middleware. Every option is validated here, so a mistake fails at start-up.
 * @example
 * app.use(tracks([DelayTracks, PricingTracks], { key: { session: 'userId' }, cookie: { secret } }))
 * app.use(async (ctx) => {
 *   const delay = ctx.tracks.get(DelayTracks)
 *   await delay.run()
 *   ctx.body = render(delay.name)
 * })
 */
export function tracks(sets: readonly AnySetClass[], options?: KoaTracksOptions): Middleware {
  const setup = createSetup<Context>(sets, options);
  return function tracksMiddleware(ctx: Context, next: Next): Promise<void> {
    const begun = beginRequest(setup, new KoaExchange(ctx), ctx);
    ctx.tracks = begun.tracks;
    ctx.state.tracks = begun.tracks;
    // With a store, a user's records load before the handler (never rejects, bounded by its timeout).
    return begun.ready === undefined ? next() : begun.ready.then(() => next());
  };
}

/**
 * Mounts the experiments console (`tracksConsole` of tracks-ab/console) in Koa: requests under its
 * base path go to it (Koa steps aside: `ctx.respond = false`), the others on down the chain. A
 * body a parser already read (`ctx.request.body`) is handed over.
 * @example
 * app.use(mountConsole(tracksConsole({ db: pool, sets: [DelayTracks], allow: (req) => isStaff(req) })))
 */
export function mountConsole(handler: ConsoleHandler): Middleware {
  return async function consoleMiddleware(ctx: Context, next: Next): Promise<void> {
    if (!handler.matches(ctx.path)) {
      await next();
      return;
    }
    ctx.respond = false;
    const parsed = (ctx.request as { body?: unknown }).body;
    if (parsed !== undefined) (ctx.req as { body?: unknown }).body = parsed;
    await handler(ctx.req, ctx.res);
  };
}

export type { Tracks } from '../src/index.js';
