// Contract: hostile or broken cookies, queries and User-Agents give 200, control or a fresh cookie, never a 500.
import { expect } from 'chai';
import { assign } from '../../src/index.js';
import { maskName } from '../../src/engine/compile.js';
import { encodeEntries } from '../../src/cookies/cookie-codec.js';
import { Signer } from '../../src/cookies/node-signer.js';
import { carry, readAnonymousId, readSticky, stickyCookie, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { DelayTracks, PricingTracks, type AssignmentView } from './sets.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const UNSAFE_NAMES = ['__proto__', 'constructor', 'prototype'];

/** What the user with key `lena` gets, and the cookie entry that remembers it. */
function lena(): { name: string; entry: { set: string; value: string; forced: boolean } } {
  const a = assign(DelayTracks, { key: 'lena', context: { vip: false } });
  return { name: a.name, entry: { set: a.maskedSetName, value: a.maskedName, forced: false } };
}

function prototypeSnapshot(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.keys(Object.prototype)]);
}

export function badInputSpecs(h: Harness): void {
  describe('bad input', () => {
    const delayMask = maskName('delay', 'v1');
    const cookies: Record<string, string> = {
      'a forged signature': stickyCookie([{ set: delayMask, value: maskName('long', 'v1'), forced: true }], ['attacker-secret']),
      'a signature of another value': `${encodeEntries([{ set: delayMask, value: maskName('long', 'v1'), forced: true }])}.${new Signer([SECRET]).sign('1').split('.')[1]}`,
      'no signature': encodeEntries([{ set: delayMask, value: maskName('long', 'v1'), forced: true }]),
      'a secret rotated out': stickyCookie([{ set: delayMask, value: maskName('long', 'v1'), forced: false }], ['retired-secret']),
      'invalid percent-encoding': '%E0%A4%A%ZZ%',
      'non-ASCII bytes': '\u00e9\u00ff\u00fe\u0080.\u00a0',
      'punctuation only': '...~~~!!!',
      'an empty value': '',
      'a bare format digit': '1',
      'a 10 kB value': 'x'.repeat(10_240),
      'a signed 10 kB payload of unknown sets': stickyCookie(
        Array.from({ length: 600 }, (_, i) => ({ set: maskName(`gone-${i}`, 'v1'), value: maskName('a', 'v1'), forced: false })),
        [SECRET],
      ),
      'unknown sets and variants': stickyCookie(
        [
          { set: maskName('gone', 'v1'), value: maskName('a', 'v1'), forced: false },
          { set: delayMask, value: maskName('medium', 'v1'), forced: false },
        ],
        [SECRET],
      ),
      'prototype names as masked names': stickyCookie(
        UNSAFE_NAMES.flatMap((a) => UNSAFE_NAMES.map((b) => ({ set: maskName(a, 'v1'), value: maskName(b, 'v1'), forced: false }))).concat([
          { set: delayMask, value: maskName('__proto__', 'v1'), forced: false },
        ]),
        [SECRET],
      ),
      'prototype names in clear, validly signed': new Signer([SECRET]).sign('1~__proto__constructor~constructor__proto__'),
    };

    for (const [label, value] of Object.entries(cookies)) {
      it(`replaces a cookie with ${label} by a fresh valid one`, async () => {
        const before = prototypeSnapshot();
        const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
        const res = await client.get('/delay').set('x-user-id', 'lena').set('Cookie', `__proto__=x; constructor=y; tracks=${value}`).expect(200);
        expect(res.body).to.include({ name: lena().name, reason: 'hash' });
        expect(readSticky(theSetCookie(res, 'tracks').value, [SECRET])).to.deep.equal([lena().entry]);
        expect(prototypeSnapshot()).to.equal(before);
        expect(h.errors).to.deep.equal([]);
      });
    }

    it('replaces an anonymous id cookie that is not one of ours', async () => {
      const client = await h.start([DelayTracks]);
      for (const id of ['short', '../../etc/passwd', '<script>alert(1)</script>', 'x'.repeat(65), '%ZZ%E0', '\u00e9'.repeat(20)]) {
        const res = await client.get('/delay').set('Cookie', `tracks_id=${id}`).expect(200);
        const fresh = theSetCookie(res, 'tracks_id').value;
        expect(fresh, id).to.match(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        expect((res.body as AssignmentView).key).to.equal(readAnonymousId(fresh, [SECRET]));
      }
    });

    it('ignores prototype names in the override and leaves Object.prototype alone', async () => {
      const before = prototypeSnapshot();
      const client = await h.start([DelayTracks, PricingTracks], { key: { header: 'x-user-id' } });
      const names = [...UNSAFE_NAMES, 'toString', 'hasOwnProperty'];
      const items = names.flatMap((a) => [`${a}:long`, `delay:${a}`, ...names.map((b) => `${a}:${b}`)]).join(',');
      for (const query of [
        `tracks=${items}`,
        '__proto__[polluted]=1&constructor[prototype][polluted]=1&tracks[__proto__]=x',
        `tracks=${items}&tracks=__proto__`,
      ]) {
        const res = await client.get(`/both?${query}`).set('x-user-id', 'lena').expect(200);
        expect((res.body as { delay: AssignmentView }).delay).to.include({ name: lena().name, reason: 'hash' });
      }
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(prototypeSnapshot()).to.equal(before);
    });

    it('takes prototype names as plain keys', async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
      for (const key of UNSAFE_NAMES) {
        const res = await client.get('/delay').set('x-user-id', key).expect(200);
        expect(res.body).to.include({ key, name: assign(DelayTracks, { key, context: { vip: false } }).name });
      }
    });

    it('gives bots control, no cookie and no exposure, even with a cookie or an override', async () => {
      const client = await h.start([DelayTracks, PricingTracks]);
      const human = await client.get('/both').expect(200);
      h.events.length = 0;
      for (const cookie of ['', carry(human)]) {
        const res = await client.get('/both?tracks=delay:long').set('User-Agent', GOOGLEBOT).set('Cookie', cookie).expect(200);
        const body = res.body as { delay: AssignmentView; pricing: AssignmentView };
        expect([body.delay.name, body.delay.reason, body.pricing.name, body.pricing.reason]).to.deep.equal(['control', 'bot', 'control', 'bot']);
        expect(res.headers['set-cookie']).to.equal(undefined);
      }
      expect(((await client.get('/key').set('User-Agent', GOOGLEBOT).expect(200)).body as { isBot: boolean }).isBot).to.equal(true);
      expect(h.events).to.deep.equal([]);
    });

    it('follows the bots option: off, or a custom detector', async () => {
      const off = await h.start([DelayTracks], { bots: false });
      expect(((await off.get('/delay').set('User-Agent', GOOGLEBOT).expect(200)).body as AssignmentView).reason).to.equal('hash');
      const custom = await h.start([DelayTracks], { bots: (ua) => ua.includes('qa-crawler') });
      expect(((await custom.get('/delay').set('User-Agent', 'qa-crawler/1.0').expect(200)).body as AssignmentView).reason).to.equal('bot');
      expect(((await custom.get('/delay').set('User-Agent', GOOGLEBOT).expect(200)).body as AssignmentView).reason).to.equal('hash');
    });
  });
}
