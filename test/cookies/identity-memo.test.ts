// A returning visitor costs no HMAC: identity checks ride on the once-per-distinct-cookie verification.
import { expect } from 'chai';
import { parse } from 'cookie';
import { createSetup, tracksFor, WRITE_HEADERS, type HeadersListener, type HttpExchange, type Options, type Setup } from '../../src/index.js';
import { DelayTracks, PricingTracks } from '../adapters/sets.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** One request through the request layer (no framework): its headers in, its Set-Cookie values out. */
function serve(setup: Setup<unknown>, headers: Record<string, string>): { cookies: Record<string, string>; reasons: string[] } {
  const response = new Map<string, string | string[]>();
  let listener: HeadersListener | null = null;
  const exchange: HttpExchange = {
    header: (name) => ({ 'user-agent': BROWSER, ...headers })[name],
    url: () => '/',
    session: () => undefined,
    isSecure: () => false,
    headersSent: () => false,
    beforeHeaders: (l) => ((listener = l), true),
    getResponseHeader: (name) => response.get(name),
    setResponseHeader: (name, value) => void response.set(name, value),
    appendSetCookie: (cookie) => void response.set('set-cookie', [...((response.get('set-cookie') as string[]) ?? []), cookie]),
  };
  const tracks = tracksFor(setup, exchange, {});
  const reasons = [tracks.get(DelayTracks).reason, tracks.get(PricingTracks).reason];
  (listener as HeadersListener | null)?.[WRITE_HEADERS]();
  const cookies: Record<string, string> = {};
  for (const line of (response.get('set-cookie') as string[] | undefined) ?? []) Object.assign(cookies, parse(line.split(';')[0]!));
  return { cookies, reasons };
}

const jar = (cookies: Record<string, string>): string =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

describe('identity verification, memoised', () => {
  const options: Options<unknown> = { key: { header: 'x-user-id' }, cookie: { secret: ['current', 'older'] }, context: () => ({ vip: false }) };

  it('computes no HMAC for a returning anonymous visitor: the id and the cookie tag are checked once', () => {
    const setup = createSetup<unknown>([DelayTracks, PricingTracks], options);
    const first = serve(setup, {});
    expect(first.reasons).to.deep.equal(['hash', 'hash']);
    const cookie = jar(first.cookies);
    serve(setup, { cookie });
    const after = setup.signer.macCount;
    for (let i = 0; i < 100; i++) {
      const again = serve(setup, { cookie });
      expect(again.reasons).to.deep.equal(['sticky', 'sticky']);
      expect(again.cookies).to.deep.equal({});
    }
    expect(setup.signer.macCount - after).to.equal(0);
  });

  it('computes no HMAC for a returning user, nor after logging in once the cookie was re-bound', () => {
    const setup = createSetup<unknown>([DelayTracks, PricingTracks], options);
    const anonymous = serve(setup, {});
    const login = serve(setup, { cookie: jar(anonymous.cookies), 'x-user-id': 'rosa' });
    expect(login.reasons).to.deep.equal(['sticky', 'sticky']);
    const cookie = jar({ ...anonymous.cookies, ...login.cookies });
    serve(setup, { cookie, 'x-user-id': 'rosa' });
    const after = setup.signer.macCount;
    for (let i = 0; i < 100; i++) expect(serve(setup, { cookie, 'x-user-id': 'rosa' }).reasons).to.deep.equal(['sticky', 'sticky']);
    expect(setup.signer.macCount - after).to.equal(0);
  });

  it('verifies a presented cookie once per identity: a second holder costs one tag check, then none', () => {
    const setup = createSetup<unknown>([DelayTracks, PricingTracks], options);
    const cookie = jar(serve(setup, { 'x-user-id': 'sam' }).cookies);
    serve(setup, { cookie, 'x-user-id': 'tom' });
    const after = setup.signer.macCount;
    for (let i = 0; i < 10; i++) serve(setup, { cookie, 'x-user-id': 'tom' });
    // Each of tom's requests signs the replacement cookie (a write), but checks sam's tag no more.
    expect(setup.signer.macCount - after).to.equal(10 * 2);
  });
});
