// Web Crypto signing for the Fetch adapter: the node:crypto signer's bytes, and verification done before the handler.
import { expect } from 'chai';
import { createSetup, tracksFor, type HttpExchange } from '../../src/index.js';
import { PreparedSigner, prepareRequest, UNPREPARED_SIGNER } from '../../src/request/prepared-request.js';
import { Signer } from '../../src/request/signer.js';
import { WebCryptoSigner } from '../../src/request/web-crypto-signer.js';
import { DelayTracks } from './sets.js';

const VALUES = ['', '1', '1~604d5d938da33e~752f1c6887ca3a!', 'é ü 中文 🥥', 'x'.repeat(4000), 'a.b.c'];
const SECRETS = ['s', 'contract-secret', 'ünïcödé 🔑 secret', 'x'.repeat(200)];

/** A request that carries only a Cookie header, and a response nobody reads. */
function exchangeWith(cookie: string): HttpExchange {
  return {
    header: (name) => (name === 'cookie' ? cookie : name === 'user-agent' ? 'Mozilla/5.0 Chrome/126.0' : undefined),
    url: () => '/',
    session: () => undefined,
    isSecure: () => false,
    headersSent: () => false,
    beforeHeaders: () => undefined,
    getResponseHeader: () => undefined,
    setResponseHeader: () => undefined,
    appendSetCookie: () => undefined,
  };
}

describe('WebCryptoSigner', () => {
  it('signs every value as the node:crypto Signer does, whatever the secret', async () => {
    for (const secret of SECRETS) {
      for (const value of VALUES)
        expect(await new WebCryptoSigner([secret]).sign(value), `${secret}/${value.slice(0, 20)}`).to.equal(new Signer([secret]).sign(value));
    }
  });

  it('verifies what either signer wrote, against every secret, and asks for renewal on an older one', async () => {
    const web = new WebCryptoSigner(['new', 'old']);
    for (const value of VALUES) {
      expect(await web.unsign(new Signer(['new']).sign(value))).to.deep.equal({ value, renew: false });
      expect(await web.unsign(await new WebCryptoSigner(['old']).sign(value))).to.deep.equal({ value, renew: true });
      expect(await web.unsign(new Signer(['other']).sign(value))).to.deep.equal({ value: null, renew: false });
    }
    expect(await web.unsign('no-signature')).to.deep.equal({ value: null, renew: false });
    expect(await new WebCryptoSigner([]).unsign('1~anything')).to.deep.equal({ value: '1~anything', renew: false });
  });

  it('refuses another spelling of a valid signature, as the node:crypto Signer does', async () => {
    const signed = new Signer([SECRETS[1]!]).sign('1~604d5d938da33e~752f1c6887ca3a');
    // The last of 43 base64url characters carries 4 bits: flipping a padding bit decodes to the same bytes.
    const last = signed.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signed.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(new Signer([SECRETS[1]!]).unsign(respelled).value).to.equal(null);
    expect((await new WebCryptoSigner([SECRETS[1]!]).unsign(respelled)).value).to.equal(null);
  });
});

describe('prepareRequest', () => {
  const setupFor = () =>
    createSetup([DelayTracks], { key: { header: 'x-user-id' }, context: () => ({ vip: false }), cookie: { secret: 'k' } }, () => UNPREPARED_SIGNER);

  it('makes placeholders of the signature’s length, which seal turns into real signatures', async () => {
    const signer = new PreparedSigner(new WebCryptoSigner(['k']), new Map());
    const placeheld = signer.sign('1~604d5d938da33e');
    expect(placeheld.length).to.equal(new Signer(['k']).sign('1~604d5d938da33e').length);
    expect(await signer.seal(`tracks=${placeheld}; Path=/`)).to.equal(`tracks=${new Signer(['k']).sign('1~604d5d938da33e')}; Path=/`);
    expect(await signer.seal('other=1; Path=/')).to.equal('other=1; Path=/');
  });

  it('keeps a returning visitor’s verified cookie for the request even when the shared memo drops it meanwhile', async () => {
    const setup = setupFor();
    const first = await prepareRequest(setup, new WebCryptoSigner(['k']), null);
    const enrolled = tracksFor(first.setup, exchangeWith(''), {}).get(DelayTracks);
    const raw = new Signer(['k']).sign(`1~${enrolled.maskedSetName}${enrolled.maskedName}`);
    // Verified once (a memo miss), then a returning request finds it in the memo and pins it.
    const verifying = await prepareRequest(setup, new WebCryptoSigner(['k']), `tracks=${raw}`);
    expect(tracksFor(verifying.setup, exchangeWith(`tracks=${raw}`), {}).get(DelayTracks).reason).to.equal('sticky');
    const returning = await prepareRequest(setup, new WebCryptoSigner(['k']), `tracks=${raw}`);
    const snapshot = setup.cookies.get(raw)!;
    for (let i = 0; i <= 2 * setup.cookies.capacity; i++) setup.cookies.set(`filler-${i}`, snapshot);
    expect(setup.cookies.get(raw)).to.equal(undefined);
    const after = tracksFor(returning.setup, exchangeWith(`tracks=${raw}`), {}).get(DelayTracks);
    expect([after.name, after.reason]).to.deep.equal([enrolled.name, 'sticky']);
  });

  it('trusts no cookie it did not verify', async () => {
    const setup = setupFor();
    const prepared = await prepareRequest(setup, new WebCryptoSigner(['k']), null);
    expect(prepared.setup.signer.unsign(new Signer(['k']).sign('1'))).to.deep.equal({ value: null, renew: false });
    expect(() => setup.signer.sign('1')).to.throw('signs with Web Crypto');
  });
});
