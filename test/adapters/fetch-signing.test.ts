// Web Crypto signing for the Fetch adapter: the node:crypto signer's bytes, HMACs done before the handler, none for a returning visitor.
import { expect } from 'chai';
import { parse } from 'cookie';
import { createSetup, WRITE_HEADERS, type HeadersListener, type HttpExchange, type Options, type Setup, type Tracks } from '../../src/index.js';
import { encodeEntries } from '../../src/cookies/cookie-codec.js';
import { beginRequest } from '../../src/request/begin.js';
import { PreparedSigner, UNPREPARED_SIGNER } from '../../src/cookies/prepared-signer.js';
import { Signer } from '../../src/cookies/node-signer.js';
import { WebCryptoSigner } from '../../src/cookies/web-crypto-signer.js';
import { BROWSER } from './harness.js';
import { DelayTracks, PricingTracks } from './sets.js';

const VALUES = ['', '1', '2~AAAAAAAAAAAA~604d5d938da33e~752f1c6887ca3a!', 'é ü 中文 🥥', 'x'.repeat(4000), 'a.b.c'];
const SECRETS = ['s', 'contract-secret', 'ünïcödé 🔑 secret', 'x'.repeat(200)];
const IDENTITIES = ['', '42', 'rosa', '0b5e6e44-5a3a-4b43-9c8e-4a4b7c4f0001', 'ünï 🥥', '{"a":1}'];

describe('WebCryptoSigner', () => {
  it('signs every value as the node:crypto Signer does, whatever the secret', async () => {
    for (const secret of SECRETS) {
      for (const value of VALUES)
        expect(await new WebCryptoSigner([secret]).sign(value), `${secret}/${value.slice(0, 20)}`).to.equal(new Signer([secret]).sign(value));
    }
  });

  it('tags every identity as the node:crypto Signer does, under each secret', async () => {
    const web = new WebCryptoSigner(SECRETS);
    const node = new Signer(SECRETS);
    for (let secret = 0; secret < SECRETS.length; secret++) {
      for (const identity of IDENTITIES) expect(await web.tag(identity, secret), `${secret}/${identity}`).to.equal(node.tag(identity, secret));
    }
    expect(await web.tag('rosa')).to.equal(node.tag('rosa', 0));
  });

  it('verifies what either signer wrote, against every secret, with the position of the one that matched', async () => {
    const web = new WebCryptoSigner(['new', 'old']);
    for (const value of VALUES) {
      expect(await web.unsign(new Signer(['new']).sign(value))).to.deep.equal({ value, renew: false, secret: 0 });
      expect(await web.unsign(await new WebCryptoSigner(['old']).sign(value))).to.deep.equal({ value, renew: true, secret: 1 });
      expect(await web.unsign(new Signer(['other']).sign(value))).to.deep.equal({ value: null, renew: false, secret: -1 });
    }
    expect(await web.unsign('no-signature')).to.deep.equal({ value: null, renew: false, secret: -1 });
    expect(await new WebCryptoSigner([]).unsign('1~anything')).to.deep.equal({ value: '1~anything', renew: false, secret: -1 });
  });

  it('refuses another spelling of a valid signature, as the node:crypto Signer does', async () => {
    const signed = new Signer([SECRETS[1]!]).sign('2~AAAAAAAAAAAA~604d5d938da33e');
    // The last of 43 base64url characters carries 4 bits: flipping a padding bit decodes to the same bytes.
    const last = signed.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signed.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]!;
    const twin = signed.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 0x100);
    for (const forged of [respelled, twin]) {
      expect(new Signer([SECRETS[1]!]).unsign(forged).value).to.equal(null);
      expect((await new WebCryptoSigner([SECRETS[1]!]).unsign(forged)).value).to.equal(null);
    }
  });
});

describe('PreparedSigner', () => {
  const node = new Signer(['k']);

  it('makes placeholders of the signature’s length, which seal turns into real signatures', async () => {
    const signer = new PreparedSigner(new WebCryptoSigner(['k']));
    const placeheld = signer.sign('1~604d5d938da33e');
    expect(placeheld.length).to.equal(node.sign('1~604d5d938da33e').length);
    expect(await signer.seal(`tracks=${placeheld}; Path=/`)).to.equal(`tracks=${node.sign('1~604d5d938da33e')}; Path=/`);
    expect(await signer.seal('other=1; Path=/')).to.equal('other=1; Path=/');
  });

  it('tags an identity after the handler too: the tag, then the signature over the payload that holds it', async () => {
    const signer = new PreparedSigner(new WebCryptoSigner(['k']));
    const tag = signer.tag('rosa');
    expect(tag)
      .to.match(/^[A-Za-z0-9_-]{12}$/)
      .and.not.equal(node.tag('rosa'));
    const placeheld = signer.sign(encodeEntries([{ set: '604d5d9', value: '38da33e', forced: false }], tag));
    const real = node.sign(encodeEntries([{ set: '604d5d9', value: '38da33e', forced: false }], node.tag('rosa')));
    expect(placeheld.length).to.equal(real.length);
    expect(await signer.seal(`tracks=${placeheld}; Path=/`)).to.equal(`tracks=${real}; Path=/`);
  });

  it('answers tagMatches and tag from the tags computed before the handler, and no other', async () => {
    const signer = new PreparedSigner(new WebCryptoSigner(['k', 'old']));
    await signer.computeTag('rosa', 1);
    expect(signer.tagMatches(new Signer(['k', 'old']).tag('rosa', 1), 'rosa', 1)).to.equal(true);
    expect(signer.tagMatches(new Signer(['k', 'old']).tag('rosa', 1), 'rosa', 0)).to.equal(false);
    expect(signer.tagMatches(new Signer(['k', 'old']).tag('sam', 1), 'sam', 1)).to.equal(false);
    await signer.computeTag('rosa', 0);
    expect(signer.tag('rosa')).to.equal(node.tag('rosa'));
  });

  it('trusts no cookie it did not verify, and the setup’s own signer refuses to work unprepared', async () => {
    const signer = new PreparedSigner(new WebCryptoSigner(['k']));
    const value = node.sign('2~AAAAAAAAAAAA');
    expect(signer.unsign(value)).to.deep.equal({ value: null, renew: false, secret: -1 });
    await signer.verify(value);
    expect(signer.unsign(value)).to.deep.equal({ value: '2~AAAAAAAAAAAA', renew: false, secret: 0 });
    expect(() => UNPREPARED_SIGNER.sign('1')).to.throw('signs with Web Crypto');
    expect(() => UNPREPARED_SIGNER.tagMatches('a', 'b', 0)).to.throw('signs with Web Crypto');
  });
});

/**
 * A request through beginRequest, as the Fetch adapter makes it (or, without `web`, as the node:http
 * adapter does): its headers in, its sealed Set-Cookie values out.
 */
async function serve(
  setup: Setup<unknown>,
  web: WebCryptoSigner | undefined,
  headers: Record<string, string>,
  read: (tracks: Tracks) => void = (t) => void [t.get(DelayTracks), t.get(PricingTracks)],
): Promise<{ cookies: Record<string, string>; reasons: string[] }> {
  const cookies: string[] = [];
  let listener: HeadersListener | null = null;
  const exchange: HttpExchange = {
    header: (name) => ({ 'user-agent': BROWSER, ...headers })[name],
    url: () => '/',
    session: () => undefined,
    isSecure: () => false,
    headersSent: () => false,
    beforeHeaders: (l) => ((listener = l), true),
    getResponseHeader: () => undefined,
    setResponseHeader: () => undefined,
    appendSetCookie: (cookie) => void cookies.push(cookie),
  };
  const prepared = beginRequest<unknown>(setup, exchange, {}, web);
  await prepared.ready;
  read(prepared.tracks);
  (listener as HeadersListener | null)?.[WRITE_HEADERS]();
  const out: Record<string, string> = {};
  for (const line of cookies) Object.assign(out, parse((await prepared.seal(line)).split(';')[0]!));
  return { cookies: out, reasons: prepared.tracks.assignments().map((a) => a.reason) };
}

const jar = (cookies: Record<string, string>): string =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

describe('beginRequest', () => {
  const options: Options<unknown> = { key: { header: 'x-user-id' }, cookie: { secret: ['current', 'older'] }, context: () => ({ vip: false }) };
  const setupFor = () => createSetup<unknown>([DelayTracks, PricingTracks], options, () => UNPREPARED_SIGNER);

  it('computes no HMAC for a returning anonymous visitor: the id and the cookie tag are verified once', async () => {
    const setup = setupFor();
    const web = new WebCryptoSigner(['current', 'older']);
    const first = await serve(setup, web, {});
    expect(first.reasons).to.deep.equal(['hash', 'hash']);
    const cookie = jar(first.cookies);
    await serve(setup, web, { cookie });
    const after = web.macCount;
    for (let i = 0; i < 50; i++) {
      const again = await serve(setup, web, { cookie });
      expect(again.reasons).to.deep.equal(['sticky', 'sticky']);
      expect(again.cookies).to.deep.equal({});
    }
    expect(web.macCount - after).to.equal(0);
  });

  it('computes no HMAC for a returning user, nor after logging in once the cookie was re-bound', async () => {
    const setup = setupFor();
    const web = new WebCryptoSigner(['current', 'older']);
    const anonymous = await serve(setup, web, {});
    const login = await serve(setup, web, { cookie: jar(anonymous.cookies), 'x-user-id': 'rosa' });
    expect(login.reasons).to.deep.equal(['sticky', 'sticky']);
    const cookie = jar({ ...anonymous.cookies, ...login.cookies });
    await serve(setup, web, { cookie, 'x-user-id': 'rosa' });
    const after = web.macCount;
    for (let i = 0; i < 50; i++) expect((await serve(setup, web, { cookie, 'x-user-id': 'rosa' })).reasons).to.deep.equal(['sticky', 'sticky']);
    expect(web.macCount - after).to.equal(0);
  });

  it('verifies a presented cookie once per identity: a second holder costs one tag check, then none', async () => {
    const setup = setupFor();
    const web = new WebCryptoSigner(['current', 'older']);
    const cookie = jar((await serve(setup, web, { 'x-user-id': 'sam' })).cookies);
    await serve(setup, web, { cookie, 'x-user-id': 'tom' });
    const after = web.macCount;
    for (let i = 0; i < 10; i++) expect((await serve(setup, web, { cookie, 'x-user-id': 'tom' })).reasons).to.deep.equal(['hash', 'hash']);
    // Each of tom's requests tags and signs the replacement cookie (a write), but checks sam's tag no more.
    expect(web.macCount - after).to.equal(10 * 2);
  });

  it('writes what the node:crypto path writes, to the byte, for a new visitor, a login and a foreign cookie', async () => {
    const web = new WebCryptoSigner(['current', 'older']);
    const setup = setupFor();
    const anonymous = await serve(setup, web, {});
    const id = anonymous.cookies.tracks_id!;
    expect(new Signer(['current']).unsign(anonymous.cookies.tracks!).value!.split('~')[1]).to.equal(new Signer(['current']).tag(id.split('.')[0]!));
    const requests: Array<Record<string, string>> = [
      { cookie: jar(anonymous.cookies), 'x-user-id': 'rosa' },
      { cookie: jar(anonymous.cookies), 'x-user-id': 'sam' },
      { cookie: `tracks=${anonymous.cookies.tracks!}`, 'x-user-id': 'tom' },
      { 'x-user-id': 'uma' },
    ];
    for (const headers of requests) {
      const fetchSide = await serve(setupFor(), web, headers);
      const nodeSide = await serve(createSetup<unknown>([DelayTracks, PricingTracks], options), undefined, headers);
      expect(Object.keys(fetchSide.cookies), JSON.stringify(headers)).to.include('tracks');
      expect(fetchSide, JSON.stringify(headers)).to.deep.equal(nodeSide);
    }
  });

  it('keeps a returning visitor’s verified cookie for the request even when the shared memo drops it meanwhile', async () => {
    const setup = setupFor();
    const web = new WebCryptoSigner(['current', 'older']);
    const first = await serve(setup, web, { 'x-user-id': 'vera' });
    const raw = first.cookies.tracks!;
    let kept: string[] = [];
    await serve(setup, web, { 'x-user-id': 'vera', cookie: `tracks=${raw}` }, (t) => {
      // Prepared (and pinned) before the handler; the memo overflows while the handler runs.
      const snapshot = setup.cookies.get(raw)!;
      for (let i = 0; i <= 2 * setup.cookies.capacity; i++) setup.cookies.set(`filler-${i}`, snapshot);
      expect(setup.cookies.get(raw)).to.equal(undefined);
      kept = [t.get(DelayTracks).reason, t.get(PricingTracks).reason];
    });
    expect(kept).to.deep.equal(['sticky', 'sticky']);
  });
});
