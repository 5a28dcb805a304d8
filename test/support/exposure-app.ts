// A real Express app whose one route reads many sets (one exposure each), and a client that sends it concurrent requests.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { tracks, type ExpressTracksOptions } from '../../adapters/express.js';
import type { AnySetClass } from '../../src/index.js';
import { makeMulti, makeSet } from './sets.js';

/** Twenty-five independent sets: a request reading them all makes 25 exposures. */
export const MANY_SETS = Array.from({ length: 25 }, (_, i) => makeSet({ name: `exposure-set-${i}`, variants: ['a', 'b'] }));

/** A small experiment with a MultiTrackSet, for row-content tests. */
export const COLOR = makeSet({ name: 'color', variants: ['blue', 'green'] });
export const SIZE = makeSet({ name: 'size', variants: ['big'] });
export const LAYOUT = makeMulti([makeSet({ name: 'grid', variants: ['dense'] }), makeSet({ name: 'list', variants: ['wide'] })], { name: 'layout' });

/** A listening app and how to stop it. */
export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts Express on 127.0.0.1 with the middleware keyed by the `x-user` header (no cookie needed,
 * so a repeat request hashes again, as another browser of the same user would). `GET /read` reads
 * every set and answers with the variants.
 */
export async function startApp(sets: readonly AnySetClass[], onExposure: ExpressTracksOptions['onExposure']): Promise<RunningApp> {
  const app = express();
  app.use(tracks(sets, { key: { header: 'x-user' }, cookie: { secret: 'exposure-test-secret' }, onExposure }));
  app.get('/read', (req, res) => {
    res.json(sets.map((set) => req.tracks.get(set).name));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// A browser's User-Agent: fetch's own (`node`) reads as a bot, and bots are never exposed.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Sends `GET /read` once per entry of `users` (as `x-user`), `concurrency` at a time; resolves when all answered 200. */
export async function readAsUsers(url: string, users: readonly string[], concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < users.length) {
      const user = users[next++]!;
      const response = await fetch(`${url}/read`, { headers: { 'x-user': user, 'user-agent': BROWSER } });
      if (response.status !== 200) throw new Error(`GET /read as ${user}: status ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
}
