// Plain node:http: the adapter contract over a real server, and what only this adapter does.
import { expect } from 'chai';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import request from 'supertest';
import { tracks, withTracks, type TracksRequest } from '../../adapters/node.js';
import { TracksError } from '../../src/index.js';
import { listen, type TestApp } from './app-spec.js';
import { setCookiesNamed, theSetCookie } from './cookies.js';
import { runAdapterContract } from './contract.js';
import { BROWSER } from './harness.js';
import { nodeApp } from './node-app.js';
import { DelayTracks } from './sets.js';

runAdapterContract('node:http', nodeApp);

describe('node:http specifics', () => {
  let running: TestApp | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  /** Serves a listener that may be async (as `withTracks` returns), as node:http calls it: for its effects. */
  async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<Server> {
    running = await listen((req, res) => void listener(req, res));
    return running.server;
  }

  const options = { context: () => ({ vip: false }), cookie: { secret: 'node-secret' } };

  it('wraps a handler with withTracks, which receives the tracks as its third argument', async () => {
    const server = await serve(
      withTracks([DelayTracks], options, (req, res, t) => {
        const variant: 'control' | 'short' | 'long' = t.get(DelayTracks).name;
        res.end(JSON.stringify({ variant, same: (req as TracksRequest).tracks === t }));
      }),
    );
    const res = await request(server).get('/').set('User-Agent', BROWSER).expect(200);
    const body = JSON.parse(res.text) as { variant: string; same: boolean };
    expect(['control', 'short', 'long']).to.include(body.variant);
    expect(body.same).to.equal(true);
    // Format 2: bound to the visitor's (signed) anonymous id.
    expect(theSetCookie(res, 'tracks').value).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}\.[A-Za-z0-9_-]{43}$/);
  });

  it('mounts as Connect-style middleware: sets req.tracks and calls next', async () => {
    const middleware = tracks([DelayTracks], options);
    const server = await serve((req, res) => {
      void middleware(req, res, () => res.end((req as TracksRequest).tracks.get(DelayTracks).name));
    });
    const res = await request(server).get('/').set('User-Agent', BROWSER).expect(200);
    expect(['control', 'short', 'long']).to.include(res.text);
    expect(res.headers['cache-control']).to.equal('private');
  });

  it('reads the override from originalUrl when a router rewrote req.url', async () => {
    const forRequest = tracks([DelayTracks], options);
    const server = await serve(async (req, res) => {
      (req as { originalUrl?: string }).originalUrl = req.url;
      req.url = '/';
      res.end((await forRequest(req, res)).get(DelayTracks).reason);
    });
    expect((await request(server).get('/shop?tracks=delay:long').set('User-Agent', BROWSER).expect(200)).text).to.equal('forced');
  });

  it('trusts X-Forwarded-Proto only with trustProxy', async () => {
    const plain = tracks([DelayTracks], options);
    const proxied = tracks([DelayTracks], { ...options, trustProxy: true });
    const server = await serve(async (req, res) => {
      const forRequest = req.url === '/proxied' ? proxied : plain;
      res.end((await forRequest(req, res)).get(DelayTracks).name);
    });
    const direct = await request(server).get('/plain').set('User-Agent', BROWSER).set('X-Forwarded-Proto', 'https').expect(200);
    expect(theSetCookie(direct, 'tracks').attributes.has('secure')).to.equal(false);
    const behind = await request(server).get('/proxied').set('User-Agent', BROWSER).set('X-Forwarded-Proto', 'https, http').expect(200);
    expect(theSetCookie(behind, 'tracks').attributes.get('secure')).to.equal(true);
    expect(setCookiesNamed(behind, 'tracks_id')[0]!.attributes.get('secure')).to.equal(true);
  });

  it('refuses a trustProxy that is not a boolean, at start-up', () => {
    expect(() => tracks([DelayTracks], { trustProxy: 'yes' as unknown as boolean }))
      .to.throw(TracksError, 'option trustProxy is invalid: "yes"')
      .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
  });
});
