// Small real apps on Express, Koa and Fastify with the store configured, for the database, process and fault tests.
import { createServer, type RequestListener, type Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import Koa from 'koa';
import { tracks as expressTracks } from '../../adapters/express.js';
import { tracks as fastifyTracks } from '../../adapters/fastify.js';
import { tracks as koaTracks } from '../../adapters/koa.js';
import { SimpleTrackSet, type AnySetClass, type Options, type Tracks } from '../../src/index.js';

export type Framework = 'express' | 'koa' | 'fastify';
export const FRAMEWORKS: readonly Framework[] = ['express', 'koa', 'fastify'];

/** The delay test as first launched: three variants, equal weights. */
export class Delay extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}

/** The same test after its weights changed: most new users now hash to `long`. */
export class DelayReweighted extends SimpleTrackSet {
  static override setName = 'delay';
  static override weights = { control: 1, short: 1, long: 20 };
  static shortTrack(): void {}
  static longTrack(): void {}
}

/** A second test, read beside the first on `/both`. */
export class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}

/** The secret every store app signs with, so that a browser's cookies work on each of them. */
export const SECRET = 'store-apps-secret';

/** What a route answers for one set. */
export interface Seen {
  name: string;
  reason: string;
  key: string | null;
}

function seen(tracks: Tracks, set: AnySetClass): Seen {
  const a = tracks.get(set as typeof Delay);
  return { name: a.name, reason: a.reason, key: a.key };
}

/** A running app: its base URL and how to stop it. */
export interface RunningApp {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts `framework` on a free loopback port with tracks-ab over `[delay, Pricing]` (the key from
 * `x-user-id`, else an anonymous id) and `options` (the store among them). Routes: `/delay`
 * reads the delay set, `/both` both sets, `/none` none.
 */
export async function startStoreApp(framework: Framework, delay: AnySetClass, options: Options<unknown>): Promise<RunningApp> {
  const sets = [delay, Pricing];
  const merged: Options<unknown> = { key: { header: 'x-user-id' }, cookie: { secret: SECRET }, override: false, bots: false, ...options };
  const answer = (tracks: Tracks, path: string): unknown =>
    path === '/delay' ? seen(tracks, delay) : path === '/both' ? { delay: seen(tracks, delay), pricing: seen(tracks, Pricing) } : { ok: true };
  let server: Server;
  let close: () => Promise<void>;
  if (framework === 'fastify') {
    const app = Fastify();
    await app.register(fastifyTracks, { sets, ...(merged as Options<FastifyRequest>) });
    // eslint-disable-next-line @typescript-eslint/require-await -- Fastify sends an async handler's return value as the reply
    for (const path of ['/delay', '/both', '/none']) app.get(path, async (request) => answer(request.tracks, path));
    await app.listen({ port: 0, host: '127.0.0.1' });
    server = app.server;
    close = () => app.close();
  } else {
    let listener: RequestListener;
    if (framework === 'express') {
      const app = express();
      app.use(expressTracks(sets, merged as Options<express.Request>));
      app.get(['/delay', '/both', '/none'], (req, res) => void res.json(answer(req.tracks, req.path)));
      listener = app;
    } else {
      const app = new Koa();
      app.use(koaTracks(sets, merged as Options<Koa.Context>));
      app.use((ctx) => {
        ctx.body = answer(ctx.tracks, ctx.path);
      });
      const handle = app.callback();
      listener = (req, res) => void handle(req, res);
    }
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, close };
}
