// Hono specifics: c.get('tracks') typed through Variables, app.request() without a server, immutable responses.
import { expect } from 'chai';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import request from 'supertest';
import { tracks, type TracksVariables } from '../../adapters/hono.js';
import { TracksError } from '../../src/index.js';
import type { AddressInfo } from 'node:net';
import { listen } from './app-spec.js';
import { setCookies } from './cookies.js';
import { BROWSER } from './harness.js';
import { DelayTracks } from './sets.js';

const OPTIONS = { context: () => ({ vip: false }), cookie: { secret: 'hono-secret' } };

function names(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split('=')[0]!);
}

describe('Hono specifics', () => {
  it('types c.get("tracks") through the app’s Variables, and answers app.request() without a server', async () => {
    const app = new Hono<{ Variables: TracksVariables }>();
    app.use(tracks([DelayTracks], OPTIONS));
    app.get('/', (c) => {
      const variant: 'control' | 'short' | 'long' = c.get('tracks').get(DelayTracks).name;
      return c.text(variant);
    });
    const untyped = new Hono().get('/', (c) => {
      // @ts-expect-error an app that declares neither TracksVariables nor the middleware in its chain has no `tracks`
      return c.text(String(c.get('tracks')));
    });
    expect(typeof untyped.fetch).to.equal('function');
    const response = await app.request('/', { headers: { 'user-agent': BROWSER } });
    expect(['control', 'short', 'long']).to.include(await response.text());
    expect(names(response)).to.deep.equal(['tracks', 'tracks_id']);
    expect(response.headers.get('cache-control')).to.equal('private');
  });

  it('infers the variable from the middleware in a chained app, and c.var reads it too', async () => {
    const app = new Hono().use(tracks([DelayTracks], OPTIONS)).get('/', (c) => c.text(c.var.tracks.get(DelayTracks).reason));
    expect(await (await app.request('/', { headers: { 'user-agent': BROWSER } })).text()).to.equal('hash');
  });

  it('adds its headers to an immutable response without losing them to c.res’s header merge', async () => {
    const app = new Hono<{ Variables: TracksVariables }>();
    app.use(tracks([DelayTracks], OPTIONS));
    app.get('/', (c) => {
      c.get('tracks').get(DelayTracks);
      return Response.redirect('http://shop.test/next', 303);
    });
    const response = await app.request('/', { headers: { 'user-agent': BROWSER } });
    expect([response.status, response.headers.get('location')]).to.deep.equal([303, 'http://shop.test/next']);
    expect(names(response)).to.deep.equal(['tracks', 'tracks_id']);
    expect(response.headers.get('cache-control')).to.equal('private');
  });

  it('adds its headers to a proxied fetch() response, keeping the upstream’s cookie and making it private', async () => {
    const upstream = await listen((_req, res) => {
      res.writeHead(200, { 'set-cookie': 'upstream=1; Path=/', 'cache-control': 'public, max-age=60' });
      res.end('from upstream');
    });
    try {
      const address = upstream.server.address() as AddressInfo;
      const app = new Hono<{ Variables: TracksVariables }>();
      app.use(tracks([DelayTracks], OPTIONS));
      app.get('/', (c) => {
        c.get('tracks').get(DelayTracks);
        return fetch(`http://127.0.0.1:${address.port}/`);
      });
      const response = await app.request('/', { headers: { 'user-agent': BROWSER } });
      expect(await response.text()).to.equal('from upstream');
      expect(names(response)).to.deep.equal(['upstream', 'tracks', 'tracks_id']);
      expect(response.headers.get('cache-control')).to.equal('private, max-age=60');
    } finally {
      await upstream.close();
    }
  });

  it('does the same on @hono/node-server, whose own Response class replaces the global one', async () => {
    const upstream = await listen((_req, res) => {
      res.writeHead(200, { 'set-cookie': 'upstream=1; Path=/', 'cache-control': 'public' });
      res.end('from upstream');
    });
    const app = new Hono<{ Variables: TracksVariables }>();
    app.use(tracks([DelayTracks], OPTIONS));
    app.get('/', (c) => {
      c.get('tracks').get(DelayTracks);
      return fetch(`http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}/`);
    });
    const listener = getRequestListener(app.fetch);
    const served = await listen((req, res) => void listener(req, res));
    try {
      const res = await request(served.server).get('/').set('User-Agent', BROWSER).expect(200);
      expect(setCookies(res).map((c) => c.name)).to.deep.equal(['upstream', 'tracks', 'tracks_id']);
      expect([res.text, res.headers['cache-control']]).to.deep.equal(['from upstream', 'private']);
    } finally {
      await Promise.all([upstream.close(), served.close()]);
    }
  });

  it('keeps cookies and Cache-Control that the handler set with c.header', async () => {
    const app = new Hono<{ Variables: TracksVariables }>();
    app.use(tracks([DelayTracks], OPTIONS));
    app.get('/', (c) => {
      c.header('set-cookie', 'theme=dark', { append: true });
      c.header('cache-control', 'public, max-age=60');
      return c.text(c.get('tracks').get(DelayTracks).name);
    });
    const response = await app.request('/', { headers: { 'user-agent': BROWSER } });
    expect(names(response)).to.deep.equal(['theme', 'tracks', 'tracks_id']);
    expect(response.headers.get('cache-control')).to.equal('private, max-age=60');
  });

  it('reads the key from c.get("session") by default', async () => {
    const app = new Hono<{ Variables: TracksVariables & { session: { get(name: string): unknown } } }>();
    // A session object with get(), as hono-sessions gives.
    app.use(async (c, next) => {
      c.set('session', { get: (name: string) => (name === 'userId' ? 'sven' : undefined) });
      await next();
    });
    app.use(tracks([DelayTracks], { ...OPTIONS, key: { session: 'userId' } }));
    app.get('/', (c) => c.text(String(c.get('tracks').key)));
    expect(await (await app.request('/', { headers: { 'user-agent': BROWSER } })).text()).to.equal('sven');
  });

  it('validates its options when the middleware is created', () => {
    expect(() => tracks([DelayTracks], { bots: 'yes' as unknown as boolean })).to.throw(TracksError, 'option bots is invalid');
  });
});
