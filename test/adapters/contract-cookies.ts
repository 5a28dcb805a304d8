// Contract: the sticky cookie's attributes, when it is written, its size, secret rotation and cache policy.
import { expect } from 'chai';
import type { TrackSetClass } from '../../src/index.js';
import { makeSet } from '../support/sets.js';
import { carry, readAnonymousId, readSticky, setCookiesNamed, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { DelayTracks, PricingTracks, type AssignmentView } from './sets.js';

const YEAR = String(365 * 24 * 3600);

function manySets(count: number): TrackSetClass[] {
  return Array.from({ length: count }, (_, i) => makeSet({ name: `set-${i}`, variants: ['a', 'b'] }));
}

export function cookieSpecs(h: Harness): void {
  describe('cookie', () => {
    it('writes one HttpOnly, SameSite=Lax, Path=/ cookie per name, with a long Max-Age and no Secure over HTTP', async () => {
      const res = await (await h.start([DelayTracks, PricingTracks])).get('/both').expect(200);
      for (const name of ['tracks', 'tracks_id']) {
        const cookie = theSetCookie(res, name);
        expect(cookie.attributes.get('httponly'), name).to.equal(true);
        expect(cookie.attributes.get('samesite'), name).to.equal('Lax');
        expect(cookie.attributes.get('path'), name).to.equal('/');
        expect(cookie.attributes.get('max-age'), name).to.equal(YEAR);
        expect(cookie.attributes.has('secure'), name).to.equal(false);
      }
      // Format 2: bound to the visitor's identity by a 12-character tag; the id cookie is signed too.
      expect(theSetCookie(res, 'tracks').value).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}~[0-9a-f]{14}\.[A-Za-z0-9_-]{43}$/);
      expect(readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET])).to.equal((res.body as { delay: AssignmentView }).delay.key);
    });

    it('marks the cookies Secure over HTTPS behind a trusted proxy, or always with secure: true', async () => {
      const auto = await h.start([DelayTracks]);
      const https = await auto.get('/delay').set('X-Forwarded-Proto', 'https').expect(200);
      expect(theSetCookie(https, 'tracks').attributes.get('secure')).to.equal(true);
      expect(theSetCookie(https, 'tracks_id').attributes.get('secure')).to.equal(true);
      const always = await h.start([DelayTracks], { cookie: { secure: true } });
      expect(theSetCookie(await always.get('/delay').expect(200), 'tracks').attributes.get('secure')).to.equal(true);
      const never = await h.start([DelayTracks], { cookie: { secure: false } });
      const plain = await never.get('/delay').set('X-Forwarded-Proto', 'https').expect(200);
      expect(theSetCookie(plain, 'tracks').attributes.has('secure')).to.equal(false);
    });

    it('always marks SameSite=None cookies Secure, which browsers require', async () => {
      const client = await h.start([DelayTracks], { cookie: { sameSite: 'none' } });
      const cookie = theSetCookie(await client.get('/delay').expect(200), 'tracks');
      expect([cookie.attributes.get('samesite'), cookie.attributes.get('secure')]).to.deep.equal(['None', true]);
    });

    it('follows the cookie options', async () => {
      const client = await h.start([DelayTracks], {
        cookie: { name: 'ab', anonymousName: 'ab_id', maxAge: 600, path: '/shop', domain: 'example.test', sameSite: 'strict', httpOnly: false },
      });
      const res = await client.get('/delay').expect(200);
      for (const name of ['ab', 'ab_id']) {
        const cookie = theSetCookie(res, name);
        expect(Object.fromEntries(cookie.attributes), name).to.deep.equal({
          'max-age': '600',
          domain: 'example.test',
          path: '/shop',
          samesite: 'Strict',
        });
      }
      expect(setCookiesNamed(res, 'tracks')).to.have.length(0);
    });

    it('sends no Set-Cookie when the remembered assignments did not change', async () => {
      const user = (await h.start([DelayTracks, PricingTracks])).agent();
      expect(setCookiesNamed(await user.get('/delay').expect(200), 'tracks')).to.have.length(1);
      for (const path of ['/delay', '/delay', '/none']) expect((await user.get(path).expect(200)).headers['set-cookie'], path).to.equal(undefined);
      const added = await user.get('/both').expect(200);
      expect(readSticky(theSetCookie(added, 'tracks').value, [SECRET])).to.have.length(2);
      expect(setCookiesNamed(added, 'tracks_id')).to.have.length(0);
      for (const path of ['/both', '/pricing', '/twice']) expect((await user.get(path).expect(200)).headers['set-cookie'], path).to.equal(undefined);
    });

    it('keeps the cookie under 4,096 bytes with 40 sets read in one request, and caps it with 300', async () => {
      for (const count of [40, 300]) {
        const sets = manySets(count);
        const client = await h.start(sets, { key: { header: 'x-user-id' } }, [{ path: '/many', handler: (t) => sets.map((s) => t.get(s).name) }]);
        const res = await client.get('/many').set('x-user-id', 'ivan').expect(200);
        const cookie = theSetCookie(res, 'tracks');
        expect(cookie.raw.length, `${count} sets`).to.be.below(4096);
        const entries = readSticky(cookie.value, [SECRET])!;
        if (count === 40) expect(entries).to.have.length(40);
        else expect(entries.length).to.be.within(200, 299);
        const again = await client.get('/many').set('x-user-id', 'ivan').set('Cookie', carry(res)).expect(200);
        expect(again.body).to.deep.equal(res.body);
      }
    });

    it('accepts a cookie signed with an older listed secret and re-signs it with the new one', async () => {
      const old = await h.start([DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'old-secret' } });
      const first = await old.get('/delay').set('x-user-id', 'june').expect(200);
      const rotated = await h.start([DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: ['new-secret', 'old-secret'] } });
      const renewed = await rotated.get('/delay').set('x-user-id', 'june').set('Cookie', carry(first)).expect(200);
      expect(renewed.body).to.include({ name: (first.body as AssignmentView).name, reason: 'sticky' });
      const cookie = theSetCookie(renewed, 'tracks');
      expect(readSticky(cookie.value, ['new-secret'])).to.deep.equal(readSticky(theSetCookie(first, 'tracks').value, ['old-secret']));
      const settled = await rotated.get('/delay').set('x-user-id', 'june').set('Cookie', carry(renewed)).expect(200);
      expect(settled.headers['set-cookie']).to.equal(undefined);
      expect(settled.body).to.include({ reason: 'sticky' });
    });

    it('drops and replaces a cookie signed with a secret that was removed', async () => {
      const old = await h.start([DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'old-secret' } });
      const first = await old.get('/delay').set('x-user-id', 'kai').expect(200);
      const current = await h.start([DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'new-secret' } });
      const res = await current.get('/delay').set('x-user-id', 'kai').set('Cookie', carry(first)).expect(200);
      expect(res.body).to.include({ reason: 'hash' });
      expect(readSticky(theSetCookie(res, 'tracks').value, ['new-secret'])).to.have.length(1);
    });

    it('works unsigned when no secret is given', async () => {
      const user = (await h.start([DelayTracks], { cookie: { secret: undefined } })).agent();
      const first = await user.get('/delay').expect(200);
      expect(theSetCookie(first, 'tracks').value).to.match(/^1~[0-9a-f]{14}$/);
      expect((await user.get('/delay').expect(200)).body).to.include({ name: (first.body as AssignmentView).name, reason: 'sticky' });
    });

    describe('cache policy', () => {
      it('makes responses that read a variant private, and leaves the others alone', async () => {
        const client = await h.start([DelayTracks]);
        expect((await client.get('/delay').expect(200)).headers['cache-control']).to.equal('private');
        expect((await client.get('/cached').expect(200)).headers['cache-control']).to.equal('private, max-age=60');
        expect((await client.get('/cached-none').expect(200)).headers['cache-control']).to.equal('public, max-age=60');
        expect((await client.get('/none').expect(200)).headers['cache-control']).to.equal(undefined);
        const vip = await client.get('/delay').set('x-vip', '1').expect(200);
        expect(vip.headers['cache-control']).to.equal('private');
      });

      it("leaves Cache-Control untouched with cache: 'off'", async () => {
        const client = await h.start([DelayTracks], { cache: 'off' });
        expect((await client.get('/delay').expect(200)).headers['cache-control']).to.equal(undefined);
        expect((await client.get('/cached').expect(200)).headers['cache-control']).to.equal('public, max-age=60, s-maxage=600');
      });
    });
  });
}
