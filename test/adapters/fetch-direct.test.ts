// The Fetch wrapper called with Node's own Request and Response, no server: headers, bodies, arguments, options.
import { expect } from 'chai';
import { withTracks, type FetchOptions } from '../../adapters/fetch.js';
import { assign, TracksError, type Tracks } from '../../src/index.js';
import { Signer } from '../../src/cookies/node-signer.js';
import { BROWSER } from './harness.js';
import { DelayTracks, PricingTracks } from './sets.js';

const SECRET = 'fetch-secret';
const OPTIONS: FetchOptions = { key: (request) => request.headers.get('x-user-id'), context: () => ({ vip: false }), cookie: { secret: SECRET } };

function get(url: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://shop.test${url}`, { headers: { 'user-agent': BROWSER, ...headers } });
}

function cookieValue(response: Response, name: string): string | undefined {
  const found = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return found?.slice(name.length + 1).split(';')[0];
}

describe('withTracks under Node’s own Request and Response', () => {
  it('signs the cookie with Web Crypto exactly as the node:crypto signer does', async () => {
    const handler = withTracks([DelayTracks, PricingTracks], OPTIONS, (_request, t) =>
      Response.json([t.get(DelayTracks).name, t.get(PricingTracks).name]),
    );
    const response = await handler(get('/', { 'x-user-id': 'quinn' }));
    const value = cookieValue(response, 'tracks')!;
    const payload = value.slice(0, value.lastIndexOf('.'));
    expect(value).to.equal(new Signer([SECRET]).sign(payload));
    // Format 2: bound to quinn by the tag node:crypto makes too.
    const delay = assign(DelayTracks, { key: 'quinn', context: { vip: false } });
    expect(payload.startsWith(`2~${new Signer([SECRET]).tag('quinn')}~${delay.maskedSetName}${delay.maskedName}~`)).to.equal(true);
    expect(response.headers.get('cache-control')).to.equal('private');
  });

  it('passes the runtime’s other arguments through, typed', async () => {
    interface Env {
      greeting: string;
    }
    const handler = withTracks([DelayTracks], OPTIONS, (_request, t: Tracks, env: Env, waitUntil: (p: Promise<unknown>) => void) => {
      waitUntil(Promise.resolve());
      return new Response(`${env.greeting} ${t.get(DelayTracks).name}`);
    });
    // @ts-expect-error the handler declared an env and a waitUntil: the wrapper asks for them too
    const missing = (): Promise<Response> => handler(get('/'));
    expect(typeof missing).to.equal('function');
    const waited: Array<Promise<unknown>> = [];
    const response = await handler(get('/'), { greeting: 'hello' }, (p) => waited.push(p));
    expect(await response.text()).to.match(/^hello (control|short|long)$/);
    expect(waited).to.have.length(1);
  });

  it('copies a response whose headers are immutable, keeping its status and headers', async () => {
    const handler = withTracks([DelayTracks], OPTIONS, (_request, t) => {
      t.get(DelayTracks);
      return Response.redirect('http://shop.test/elsewhere', 302);
    });
    const response = await handler(get('/'));
    expect(response.status).to.equal(302);
    expect(response.headers.get('location')).to.equal('http://shop.test/elsewhere');
    const id = cookieValue(response, 'tracks_id')!;
    expect(id).to.match(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(new Signer([SECRET]).unsign(id).value).to.equal(id.slice(0, 36));
    const sticky = cookieValue(response, 'tracks')!;
    expect(sticky).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}\.[A-Za-z0-9_-]{43}$/);
    expect(new Signer([SECRET]).unsign(sticky).value!.split('~')[1]).to.equal(new Signer([SECRET]).tag(id.slice(0, 36)));
  });

  it('keeps the handler’s body streaming, and its own Set-Cookie and Cache-Control', async () => {
    let pulled = 0;
    const handler = withTracks([DelayTracks], OPTIONS, (_request, t) => {
      t.get(DelayTracks);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new TextEncoder().encode(`chunk ${pulled};`));
          if (pulled === 3) controller.close();
        },
      });
      return new Response(body, {
        headers: [
          ['set-cookie', 'theme=dark; Path=/'],
          ['cache-control', 'public, max-age=60, s-maxage=600'],
        ],
      });
    });
    const response = await handler(get('/'));
    expect(pulled).to.be.below(3);
    expect(response.headers.getSetCookie().map((c) => c.split('=')[0])).to.deep.equal(['theme', 'tracks', 'tracks_id']);
    expect(response.headers.get('cache-control')).to.equal('private, max-age=60');
    expect(await response.text()).to.equal('chunk 1;chunk 2;chunk 3;');
  });

  it('returns an error response it cannot rebuild as it is, without throwing', async () => {
    const handler = withTracks([DelayTracks], OPTIONS, (_request, t) => {
      t.get(DelayTracks);
      return Response.error();
    });
    const response = await handler(get('/'));
    expect(response.type).to.equal('error');
  });

  it('logs no exposure for a new visitor whose response cannot carry the id cookie, and logs the others', async () => {
    const events: Array<[string | null, string]> = [];
    const options: FetchOptions = { ...OPTIONS, onExposure: (e) => void events.push([e.key, e.variant]) };
    const handler = withTracks([DelayTracks], options, (request, t) => {
      t.get(DelayTracks);
      return request.url.endsWith('/error') ? Response.error() : new Response('ok');
    });
    expect((await handler(get('/error'))).type).to.equal('error');
    expect(events).to.deep.equal([]);
    // A user's identity does not depend on the cookie: counted, error or not.
    await handler(get('/error', { 'x-user-id': 'ann' }));
    const fresh = await handler(get('/ok'));
    const id = new Signer([SECRET]).unsign(cookieValue(fresh, 'tracks_id')!).value!;
    expect(events).to.deep.equal([
      ['ann', assign(DelayTracks, { key: 'ann', context: { vip: false } }).name],
      [id, assign(DelayTracks, { key: id, context: { vip: false } }).name],
    ]);
  });

  it('writes nothing for a returning visitor, and nothing on a request that reads no set', async () => {
    const handler = withTracks([DelayTracks], OPTIONS, (request, t) =>
      new URL(request.url).pathname === '/none' ? new Response('ok') : Response.json(t.get(DelayTracks)),
    );
    const first = await handler(get('/', { 'x-user-id': 'rosa' }));
    const cookie = `tracks=${cookieValue(first, 'tracks')}`;
    const again = await handler(get('/', { 'x-user-id': 'rosa', cookie }));
    expect(((await again.json()) as { reason: string }).reason).to.equal('sticky');
    expect(again.headers.getSetCookie()).to.deep.equal([]);
    const none = await handler(get('/none', { 'x-user-id': 'rosa', cookie }));
    expect([none.headers.getSetCookie(), none.headers.get('cache-control')]).to.deep.equal([[], null]);
  });

  it('lets an error of the handler through, as a handler without the wrapper would', async () => {
    const handler = withTracks([DelayTracks], OPTIONS, () => Promise.reject(new Error('handler failed')));
    let caught: unknown;
    await handler(get('/')).catch((error: unknown) => (caught = error));
    expect((caught as Error).message).to.equal('handler failed');
  });

  it('validates its options at start-up: the session option, and the shared ones', () => {
    const handle = () => new Response();
    expect(() => withTracks([DelayTracks], { session: 'userId' as unknown as () => unknown }, handle))
      .to.throw(TracksError, 'option session is invalid: "userId" (expected a function of the request)')
      .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
    expect(() => withTracks([DelayTracks], { cookie: { maxAge: -1 } }, handle)).to.throw(TracksError, 'option cookie.maxAge is invalid: -1');
    expect(() => withTracks([DelayTracks], { trustProxy: true } as FetchOptions, handle)).to.throw(TracksError, 'option trustProxy is unknown');
  });
});
