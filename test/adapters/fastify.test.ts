// Fastify 5: the adapter contract, and what only Fastify does.
import { expect } from 'chai';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { fastifyApp } from './fastify-app.js';
import request from 'supertest';
import { tracks } from '../../adapters/fastify.js';
import { setCookiesNamed, theSetCookie } from './cookies.js';
import { runAdapterContract } from './contract.js';
import { BROWSER } from './harness.js';
import { DelayTracks } from './sets.js';

runAdapterContract('fastify 5', fastifyApp(Fastify, fastifyCookie, fastifySession));

describe('fastify 5: Fastify specifics', () => {
  let close: (() => Promise<unknown>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function start(app: FastifyInstance): Promise<request.Agent> {
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    return request.agent(app.server).set('User-Agent', BROWSER);
  }

  it('decorates request.tracks for routes in every encapsulated context, typed', async () => {
    const app = Fastify();
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    await app.register(
      // eslint-disable-next-line @typescript-eslint/require-await -- an async function is how Fastify knows a plugin needs no done()
      async (child) => {
        // eslint-disable-next-line @typescript-eslint/require-await -- Fastify sends an async handler's return value as the reply
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
    // eslint-disable-next-line @typescript-eslint/require-await -- Fastify sends an async handler's return value as the reply
    app.get('/', async (req) => {
      req.tracks.get(DelayTracks);
      throw new Error('handler failed after reading');
    });
    const res = await (await start(app)).get('/').expect(500);
    expect(theSetCookie(res, 'tracks').value).to.match(/^1~/);
  });

  it('still writes the cookie and Cache-Control when a later hook replaced request.tracks', async () => {
    const app = Fastify();
    await app.register(tracks, { sets: [DelayTracks], context: () => ({ vip: false }) });
    // onSend finds the pending write through request.tracks; replaced, the write waits for writeHead.
    const own = Symbol('own tracks');
    app.decorateRequest(own, null);
    app.addHook('onRequest', (req, _reply, done) => {
      (req as unknown as Record<symbol, unknown>)[own] = req.tracks;
      req.tracks = { wrapped: true } as unknown as typeof req.tracks;
      done();
    });
    app.get('/', (req, reply) => {
      const name = ((req as unknown as Record<symbol, unknown>)[own] as typeof req.tracks).get(DelayTracks).name;
      void reply.header('x-app', 'kept');
      return { name };
    });
    const res = await (await start(app)).get('/').expect(200);
    expect(theSetCookie(res, 'tracks').value).to.match(/^1~/);
    expect(setCookiesNamed(res, 'tracks_id')).to.have.length(1);
    expect(res.headers['cache-control']).to.equal('private');
    expect(res.headers['x-app']).to.equal('kept');
    expect(['control', 'short', 'long']).to.include((res.body as { name: string }).name);
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
