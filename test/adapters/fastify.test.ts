// Fastify 5: the adapter contract, and what only Fastify does.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import Fastify, { type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import request from 'supertest';
import { tracks } from '../../adapters/fastify.js';
import type { Options } from '../../src/index.js';
import { errorBody, waitFor, type MakeApp } from './app-spec.js';
import { setCookiesNamed, theSetCookie } from './cookies.js';
import { runAdapterContract } from './contract.js';
import { BROWSER } from './harness.js';
import { DelayTracks } from './sets.js';

declare module 'fastify' {
  interface Session {
    userId: string;
  }
}

const makeApp: MakeApp = async (sets, options, routes) => {
  const app = Fastify({ trustProxy: true });
  await app.register(fastifyCookie);
  await app.register(fastifySession, { secret: 'a session secret of at least 32 characters', cookie: { secure: false }, saveUninitialized: false });
  await app.register(tracks, { sets, ...(options as Options<FastifyRequest>) });
  app.setErrorHandler((error, _request, reply) => {
    void reply.status(500).send(errorBody(error));
  });
  app.get('/login', async (req) => {
    req.session.set('userId', String((req.query as { user?: string }).user));
    return { ok: true };
  });
  for (const route of routes) {
    app.get(route.path, async (req, reply) => {
      if (route.cacheControl) void reply.header('cache-control', route.cacheControl);
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

runAdapterContract('fastify 5', makeApp);

describe('fastify 5: Fastify specifics', () => {
  let close: (() => Promise<unknown>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function start(app: ReturnType<typeof Fastify>): Promise<request.Agent> {
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    return request.agent(app.server).set('User-Agent', BROWSER);
  }

  it('decorates request.tracks for routes in every encapsulated context, typed', async () => {
    const app = Fastify();
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    await app.register(
      async (child) => {
        child.get('/delay', async (req) => {
          const variant: 'control' | 'short' | 'long' = req.tracks.get(DelayTracks).name;
          return { variant };
        });
      },
      { prefix: '/child' },
    );
    const res = await (await start(app)).get('/child/delay').expect(200);
    expect(['control', 'short', 'long']).to.include((res.body as { variant: string }).variant);
    expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
  });

  it('keeps the cookies the app sets with reply.setCookie', async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    app.get('/', async (req, reply) => {
      void reply.setCookie('before', '1');
      req.tracks.get(DelayTracks);
      void reply.setCookie('after', '2');
      return { ok: true };
    });
    const res = await (await start(app)).get('/').expect(200);
    for (const cookie of ['before', 'after', 'tracks', 'tracks_id']) expect(setCookiesNamed(res, cookie), cookie).to.have.length(1);
  });

  it('writes the cookie on an error reply that read a variant', async () => {
    const app = Fastify();
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    app.get('/', async (req) => {
      req.tracks.get(DelayTracks);
      throw new Error('handler failed after reading');
    });
    const res = await (await start(app)).get('/').expect(500);
    expect(theSetCookie(res, 'tracks').value).to.match(/^1~/);
  });

  it('does not crash when a variant is read after reply.hijack() and a raw response', async () => {
    const app = Fastify();
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    app.get('/', async (req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/json' });
      reply.raw.end(JSON.stringify({ name: req.tracks.get(DelayTracks).name }));
    });
    const res = await (await start(app)).get('/').expect(200);
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('rejects unknown options at registration, naming the option', async () => {
    const app = Fastify();
    const options = { sets: [DelayTracks], cokie: {} } as unknown as Parameters<typeof tracks>[1];
    let error: unknown = null;
    try {
      await app.register(tracks, options);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include('option cokie is unknown');
    await app.close();
  });
});
