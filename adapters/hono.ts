// Hono middleware (tracks-ab/hono): `app.use(tracks([...], options))`, then `c.get('tracks')`, typed through Hono's Variables.
import type { Context, MiddlewareHandler } from 'hono';
import type { AnySetClass, Tracks } from '../src/index.js';
import { fetchTracks, type FetchTracksOptions } from './fetch-exchange.js';

/** Hono's `Variables` this middleware sets: `new Hono<{ Variables: TracksVariables }>()`. */
export interface TracksVariables {
  /** The user's track assignments for this request (tracks-ab). */
  tracks: Tracks;
}

/** Options of the Hono middleware: the shared options, with Hono's `Context` in callbacks. */
export type HonoTracksOptions = FetchTracksOptions<Context>;

/**
 * Creates the middleware. Every option is validated here, so a mistake fails at start-up. Runs
 * on every runtime Hono runs on: cookies are signed with Web Crypto, the same bytes as the Node
 * adapters write, so a visitor keeps their variants when an app moves between them.
 * @example
 * const app = new Hono<{ Variables: TracksVariables }>()
 * app.use(tracks([DelayTracks, PricingTracks], { key: (c) => c.req.header('x-user-id'), cookie: { secret } }))
 * app.get('/catalog', async (c) => {
 *   const delay = c.get('tracks').get(DelayTracks)
 *   await delay.run()
 *   return c.text(render(delay.name))
 * })
 */
export function tracks(sets: readonly AnySetClass[], options?: HonoTracksOptions): MiddlewareHandler<{ Variables: TracksVariables }> {
  const begin = fetchTracks<Context>(sets, options, (c) => c.get('session') as unknown);
  return async function tracksMiddleware(c, next) {
    const run = await begin(c.req.raw, c);
    c.set('tracks', run.tracks);
    await next();
    const response = await run.finish(c.res);
    if (response !== c.res) {
      // Assigning c.res merges the old response's headers into the new one; clear it first so ours stay.
      c.res = undefined;
      c.res = response;
    }
  };
}

export type { Tracks } from '../src/index.js';
