// Builds the contract's app with Fastify (4 or 5, passed in with its cookie and session plugins).
import { PassThrough } from 'node:stream';
import type Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import { tracks } from '../../adapters/fastify.js';
import type { Options } from '../../src/index.js';
import { answerRaw, errorBody, waitFor, type MakeApp } from './app-spec.js';

declare module 'fastify' {
  interface Session {
    userId: string;
  }
}

/**
 * The contract's `makeApp` for the given Fastify module and its own @fastify/cookie and
 * @fastify/session (each Fastify major needs the plugins' matching majors). Typed against
 * Fastify 5; Fastify 4's instance is used through the same calls.
 */
export function fastifyApp(createApp: typeof Fastify, cookiePlugin: unknown, sessionPlugin: unknown): MakeApp {
  return async (sets, options, routes) => {
    const app = createApp({ trustProxy: true });
    await app.register(cookiePlugin as Parameters<typeof app.register>[0]);
    await app.register(
      sessionPlugin as Parameters<typeof app.register>[0],
      {
        secret: 'a session secret of at least 32 characters',
        cookie: { secure: false },
        saveUninitialized: false,
      } as never,
    );
    await app.register(tracks, { sets, ...(options as Options<FastifyRequest>) });
    app.setErrorHandler((error, _request, reply) => {
      void reply.status(500).send(errorBody(error));
    });
    // eslint-disable-next-line @typescript-eslint/require-await -- Fastify sends an async handler's return value as the reply
    app.get('/login', async (req) => {
      req.session.set('userId', String((req.query as { user?: string }).user));
      return { ok: true };
    });
    for (const route of routes) {
      app.get(route.path, async (req, reply) => {
        if (route.cacheControl) void reply.header('cache-control', route.cacheControl);
        if (route.raw) {
          reply.hijack();
          answerRaw(reply.raw, route.raw, () => route.handler(req.tracks));
          return;
        }
        if (!route.streaming) return route.handler(req.tracks);
        route.beforeHeaders?.(req.tracks);
        // Fastify writes the headers when it starts piping the stream; the handler runs after that.
        const body = new PassThrough();
        body.write(' ');
        void waitFor(() => reply.raw.headersSent).then(() => body.end(JSON.stringify(route.handler(req.tracks))));
        return reply.type('application/json').send(body);
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { server: app.server, close: () => app.close() };
  };
}
