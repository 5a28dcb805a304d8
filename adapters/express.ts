// Express middleware (Express 4 and 5): attaches `req.tracks` and keeps each user's variants sticky.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AnySetClass, Options, Tracks } from '../src/index.js';
import { beginRequest, createSetup } from '../src/request/adapter-kit.js';
import { toDictionaryMode } from './dictionary-mode.js';
import { ExpressExchange } from './express-exchange.js';

declare global {
  // Declaration merging is how Express types extend Request; the namespace is Express's own.
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Request in this global namespace
  namespace Express {
    interface Request {
      /** The user's track assignments for this request (tracks-ab). */
      tracks: Tracks;
    }
  }
}

/** Options of the Express middleware: the shared options, with Express's `Request` in callbacks. */
export type ExpressTracksOptions = Options<Request>;

/**
 * Creates the middleware. Every option is validated here, so a mistake fails at start-up.
 * @example
 * const secret = process.env.TRACKS_SECRET
 * if (!secret) throw new Error('TRACKS_SECRET must be set: it signs the tracks cookie')
 * app.use(tracks([DelayTracks, PricingTracks], {
 *   key: [{ session: 'userId' }, { cookie: 'uid' }],
 *   cookie: { secret },
 *   onExposure: (e) => db.logExposure(e),
 * }))
 * app.get('/catalog', async (req, res) => {
 *   const delay = req.tracks.get(DelayTracks)
 *   await delay.run()
 *   res.send(render(delay.name))
 * })
 */
export function tracks(sets: readonly AnySetClass[], options?: ExpressTracksOptions): RequestHandler {
  const setup = createSetup<Request>(sets, options);
  return function tracksMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Every later access to res, Express's, Node's and ours, then hits V8's caches (dictionary-mode.ts).
    // Not req too: when V8 files both objects' shared maps under one slot of its cache, neither is shared (bench/README.md).
    toDictionaryMode(res);
    const exchange = new ExpressExchange(req, res);
    const begun = beginRequest(setup, exchange, req);
    exchange.attach(begun.tracks);
    // With a store, a user's records load before the handler (never rejects, bounded by its timeout).
    if (begun.ready === undefined) next();
    else void begun.ready.then(() => next());
  };
}

export type { Tracks } from '../src/index.js';
