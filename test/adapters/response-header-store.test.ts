// Cache-Control written straight into Node's and Fastify's own header stores: found on this Node, seen by every public method, and never used past a replaced setHeader or header.
import type { ServerResponse } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import { tracks as expressTracks } from '../../adapters/express.js';
import fastifyTracks from '../../adapters/fastify.js';
import { tracks as koaTracks } from '../../adapters/koa.js';
import { OUT_HEADERS } from '../../adapters/node-exchange.js';
import { DelayTracks } from './sets.js';

const OPTIONS = { key: { header: 'x-user' }, cookie: { secret: 'a header store test secret' }, context: () => ({ vip: false }) };

/** What a route sees of the response's Cache-Control through every public method, after tracks-ab wrote it. */
function seen(res: ServerResponse) {
  return { get: res.getHeader('Cache-Control'), has: res.hasHeader('cache-control'), names: res.getHeaderNames().includes('cache-control') };
}

describe('Cache-Control in the frameworks’ own header stores', () => {
  it('finds Node’s header store on this Node, so the direct write is what runs here', () => {
    expect(OUT_HEADERS).to.be.a('symbol');
  });

  it('Express and Koa: the header goes out, and every public method saw it as setHeader would have left it', async () => {
    const observed: unknown[] = [];
    const app = express();
    app.use(expressTracks([DelayTracks], OPTIONS));
    app.get('/delay', (req, res) => {
      req.tracks.get(DelayTracks);
      res.on('finish', () => observed.push(seen(res)));
      res.send('ok');
    });
    const res = await request(app).get('/delay').set('x-user', 'ada').expect(200);
    expect(res.headers['cache-control']).to.equal('private');
    expect(observed).to.deep.equal([{ get: 'private', has: true, names: true }]);

    const koa = new Koa();
    koa.use(koaTracks([DelayTracks], OPTIONS));
    koa.use((ctx) => {
      ctx.tracks.get(DelayTracks);
      ctx.res.on('finish', () => observed.push(seen(ctx.res)));
      ctx.body = 'ok';
    });
    expect((await request(koa.callback()).get('/').set('x-user', 'ada').expect(200)).headers['cache-control']).to.equal('private');
    expect(observed[1]).to.deep.equal({ get: 'private', has: true, names: true });
  });

  it('Express: goes through a setHeader the app replaced (compression, a logger), never around it', async () => {
    const calls: string[] = [];
    const app = express();
    app.use((_req, res, next) => {
      const original = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: string | number | readonly string[]) => {
        calls.push(`${name}: ${String(value)}`);
        return original(name, value);
      }) as typeof res.setHeader;
      next();
    });
    app.use(expressTracks([DelayTracks], OPTIONS));
    app.get('/delay', (req, res) => {
      req.tracks.get(DelayTracks);
      res.send('ok');
    });
    const res = await request(app).get('/delay').set('x-user', 'ada').expect(200);
    expect(res.headers['cache-control']).to.equal('private');
    expect(calls).to.include('cache-control: private');
  });

  it('Fastify: the header goes out, getHeader sees it, and a replaced reply.header is called, never bypassed', async () => {
    const calls: string[] = [];
    const app = Fastify();
    await app.register(fastifyTracks, { sets: [DelayTracks], ...OPTIONS });
    app.get('/delay', async (req, reply) => {
      req.tracks.get(DelayTracks);
      return reply.send('ok');
    });
    app.get('/wrapped', async (req, reply) => {
      const original = reply.header.bind(reply);
      reply.header = ((name: string, value: unknown) => {
        calls.push(`${name}: ${String(value)}`);
        return original(name, value);
      }) as typeof reply.header;
      req.tracks.get(DelayTracks);
      return reply.send('ok');
    });
    app.addHook('onSend', async (_req, reply, payload) => {
      calls.push(`onSend sees ${String(reply.getHeader('cache-control'))}`);
      return payload;
    });
    await app.ready();
    // Twice: the first reply proves the store, the second is written there.
    for (let i = 0; i < 2; i++)
      expect((await request(app.server).get('/delay').set('x-user', 'ada').expect(200)).headers['cache-control']).to.equal('private');
    expect((await request(app.server).get('/wrapped').set('x-user', 'ada').expect(200)).headers['cache-control']).to.equal('private');
    expect(calls).to.include('cache-control: private');
    await app.close();
  });
});
