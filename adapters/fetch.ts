// Fetch API handlers (Bun, Deno, Workers, any `(request) => Response`); Hono's middleware is tracks-ab/hono, so these declarations name no Hono type.
import type { AnySetClass, Tracks } from '../src/index.js';
import { fetchTracks, type FetchTracksOptions } from './fetch-exchange.js';

/** Options of `withTracks`: the shared options, with the `Request` in callbacks. */
export type FetchOptions = FetchTracksOptions<Request>;

/** A Fetch handler that also receives the request's tracks; `rest` is what the runtime passes (env, ctx, server…). */
export type TracksHandler<Rest extends unknown[]> = (request: Request, tracks: Tracks, ...rest: Rest) => Response | Promise<Response>;

/**
 * Wraps a Fetch handler: the cookie is verified with Web Crypto before it runs, `tracks.get`
 * is synchronous inside it, and the Set-Cookie and Cache-Control headers are added to the
 * Response it returns (on a copy when its headers are immutable; the body keeps streaming).
 * Every option is validated here, so a mistake fails at start-up.
 * @example
 * export default {
 *   fetch: withTracks([DelayTracks], { key: (request) => request.headers.get('x-user-id'), cookie: { secret } },
 *     async (request, tracks, env: Env) => {
 *       const delay = tracks.get(DelayTracks)
 *       await delay.run()
 *       return new Response(render(delay.name))
 *     }),
 * }
 */
export function withTracks<Rest extends unknown[]>(
  sets: readonly AnySetClass[],
  options: FetchOptions | undefined,
  handler: TracksHandler<Rest>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  const begin = fetchTracks<Request>(sets, options, () => undefined);
  return async function tracksHandler(request: Request, ...rest: Rest): Promise<Response> {
    const run = await begin(request, request);
    return run.finish(await handler(request, run.tracks, ...rest));
  };
}

export type { FetchTracksOptions } from './fetch-exchange.js';
export type { Tracks } from '../src/index.js';
