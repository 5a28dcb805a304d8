// The console mounted in one line on Express, Koa, Fastify and node:http, beside the tracks middleware and a route of the app.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { tracks as expressTracks } from '../../adapters/express.js';
import fastifyTracks, { mountConsole as fastifyConsole } from '../../adapters/fastify.js';
import { mountConsole as koaConsole, tracks as koaTracks } from '../../adapters/koa.js';
import { tracks as nodeTracks } from '../../adapters/node.js';
import type { ConsoleHandler } from '../../src/console/index.js';
import { SimpleTrackSet, type ControlsSource } from '../../src/index.js';

/** The set the console suites run: control, short, long. */
export class ConsoleDelay extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}

/** The frameworks the console mounts on. */
export const FRAMEWORKS = ['express', 'koa', 'fastify', 'node'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Tracks options for the apps: keyed by the `x-user` header, following `controls`. */
function trackOptions(controls: ControlsSource) {
  return { key: { header: 'x-user' }, cookie: { secret: 'console test secret' }, controls };
}

/**
 * A server on 127.0.0.1 with the console mounted in one line and `GET /variant` of the app, which
 * answers the user's variant of `delay` and its reason (`name reason`).
 */
export async function consoleServer(framework: Framework, handler: ConsoleHandler, controls: ControlsSource): Promise<Server> {
  let server: Server;
  if (framework === 'express') {
    const app = express();
    app.use(handler);
    app.use(expressTracks([ConsoleDelay], trackOptions(controls)));
    app.get('/variant', (req, res) => {
      const a = req.tracks.get(ConsoleDelay);
      res.send(`${a.name} ${a.reason}`);
    });
    server = createServer(app);
  } else if (framework === 'koa') {
    const app = new Koa();
    app.use(koaConsole(handler));
    app.use(koaTracks([ConsoleDelay], trackOptions(controls)));
    app.use((ctx) => {
      const a = ctx.tracks.get(ConsoleDelay);
      ctx.body = ctx.path === '/variant' ? `${a.name} ${a.reason}` : 'other';
    });
    const callback = app.callback();
    server = createServer((req, res) => void callback(req, res));
  } else if (framework === 'fastify') {
    const app = Fastify();
    await app.register(fastifyConsole(handler));
    await app.register(fastifyTracks, { sets: [ConsoleDelay], ...trackOptions(controls) });
    app.get('/variant', (request) => {
      const a = request.tracks.get(ConsoleDelay);
      return `${a.name} ${a.reason}`;
    });
    await app.ready();
    server = app.server;
  } else {
    const forRequest = nodeTracks([ConsoleDelay], trackOptions(controls));
    const app = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const a = (await forRequest(req, res)).get(ConsoleDelay);
      res.end(`${a.name} ${a.reason}`);
    };
    server = createServer((req, res) => void handler(req, res, () => void app(req, res)));
  }
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  return server;
}

/** Closes a server from {@link consoleServer}. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
