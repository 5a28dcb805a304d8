// One cookie for every adapter: what Express writes, the Fetch wrapper, Hono and node:http honour, byte for byte, and back.
import { expect } from 'chai';
import express from 'express';
import { assign, type AnySetClass, type Options } from '../../src/index.js';
import type { MakeApp } from './app-spec.js';
import { carry, isBoundTo, readAnonymousId, readPayload, readSticky, setCookies, setCookiesNamed, signedId, theSetCookie } from './cookies.js';
import { expressApp } from './express-app.js';
import { fetchApp, honoApp } from './fetch-app.js';
import { Harness, SECRET, type Client } from './harness.js';
import { nodeApp } from './node-app.js';
import { DelayTracks, PricingTracks, type AssignmentView } from './sets.js';

type Both = { delay: AssignmentView; pricing: AssignmentView };

const OTHERS: ReadonlyArray<[string, MakeApp]> = [
  ['the Fetch wrapper', fetchApp],
  ['Hono', honoApp],
  ['node:http', nodeApp],
];

/** A format-2 sticky cookie with two entries, signed: `2~<tag>~<entry>~<entry>.<signature>`. */
const BOUND_TWO = /^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}~[0-9a-f]{14}\.[A-Za-z0-9_-]{43}$/;
const delayOf = (key: string): string => assign(DelayTracks, { key, context: { vip: false } }).name;
const pricingOf = (key: string): string => assign(PricingTracks, { key }).name;
const KEYED: Options<unknown> = { key: { header: 'x-user-id' } };

/** The first user id `login-<n>` that hashes to other variants than `body` shows in both sets. */
function userHashingElsewhere(body: Both): string {
  for (let i = 0; ; i++) {
    const id = `login-${String(i).padStart(8, '0')}`;
    if (delayOf(id) !== body.delay.name && pricingOf(id) !== body.pricing.name) return id;
  }
}

describe('one cookie across adapters', () => {
  const harnesses: Harness[] = [];
  afterEach(() => Promise.all(harnesses.splice(0).map((h) => h.closeAll())));

  function start(makeApp: MakeApp, sets: readonly AnySetClass[] = [DelayTracks, PricingTracks], options: Options<unknown> = {}): Promise<Client> {
    const h = new Harness(makeApp);
    harnesses.push(h);
    return h.start(sets, options);
  }

  for (const [name, other] of OTHERS) {
    describe(`Express and ${name}`, () => {
      it('write byte-identical Set-Cookie headers for the same user: format 2, bound to the user', async () => {
        const fromExpress = await (await start(expressApp(express), undefined, KEYED)).get('/both').set('x-user-id', 'olga').expect(200);
        const fromOther = await (await start(other, undefined, KEYED)).get('/both').set('x-user-id', 'olga').expect(200);
        expect(setCookies(fromOther).map((c) => c.raw)).to.deep.equal(setCookies(fromExpress).map((c) => c.raw));
        const value = theSetCookie(fromOther, 'tracks').value;
        expect(value).to.match(BOUND_TWO);
        expect(isBoundTo(value, [SECRET], 'olga')).to.equal(true);
      });

      it('write byte-identical cookies for the same anonymous visitor, bound to the signed id Express issued', async () => {
        const expressClient = await start(expressApp(express));
        const first = await expressClient.get('/delay').expect(200);
        const id = theSetCookie(first, 'tracks_id').value;
        const key = readAnonymousId(id, [SECRET])!;
        expect(id).to.match(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        expect(key).to.equal((first.body as AssignmentView).key);
        // Each adapter enrols the visitor in a second set: the same rewrite, to the byte, and no new id.
        const onExpress = await expressClient.get('/both').set('Cookie', carry(first)).expect(200);
        const onOther = await (await start(other)).get('/both').set('Cookie', carry(first)).expect(200);
        expect(setCookies(onOther).map((c) => c.raw)).to.deep.equal(setCookies(onExpress).map((c) => c.raw));
        expect(setCookiesNamed(onOther, 'tracks_id')).to.have.length(0);
        expect(theSetCookie(onOther, 'tracks').value).to.match(BOUND_TWO);
        expect(isBoundTo(theSetCookie(onOther, 'tracks').value, [SECRET], key)).to.equal(true);
      });

      it(`keeps an anonymous visitor's id and variant from Express on ${name}, and back`, async () => {
        const expressClient = await start(expressApp(express));
        const otherClient = await start(other);
        const first = await expressClient.get('/delay').expect(200);
        const delay = first.body as AssignmentView;
        expect(delay.reason).to.equal('hash');

        const moved = await otherClient.get('/delay').set('Cookie', carry(first)).expect(200);
        expect(moved.body).to.include({ name: delay.name, key: delay.key, reason: 'sticky' });
        expect(moved.headers['set-cookie']).to.equal(undefined);

        // The other adapter enrols the visitor in a second set and re-signs the cookie; Express honours both.
        const added = await otherClient.get('/both').set('Cookie', carry(first)).expect(200);
        const pricing = (added.body as Both).pricing;
        expect([pricing.reason, pricing.key]).to.deep.equal(['hash', delay.key]);
        expect(readSticky(theSetCookie(added, 'tracks').value, [SECRET])).to.have.length(2);
        const back = await expressClient.get('/both').set('Cookie', carry(first, added)).expect(200);
        const body = back.body as Both;
        expect([body.delay.name, body.delay.reason, body.pricing.name, body.pricing.reason]).to.deep.equal([
          delay.name,
          'sticky',
          pricing.name,
          'sticky',
        ]);
        expect(back.headers['set-cookie']).to.equal(undefined);
      });

      it(`honours on Express the signed anonymous id ${name} issued, and neither honours a forged one`, async () => {
        const issued = await (await start(other)).get('/pricing').expect(200);
        const id = theSetCookie(issued, 'tracks_id').value;
        const key = readAnonymousId(id, [SECRET]);
        expect(key).to.equal((issued.body as AssignmentView).key);
        const onExpress = await (await start(expressApp(express))).get('/pricing').set('Cookie', carry(issued)).expect(200);
        expect(onExpress.body).to.include({ key, name: (issued.body as AssignmentView).name, reason: 'sticky' });
        expect(onExpress.headers['set-cookie']).to.equal(undefined);
        // An id signed with another secret, or not signed, is replaced by a fresh one on both sides.
        for (const forged of [signedId('chosen-by-the-visitor-0001', ['not-the-secret']), 'chosen-by-the-visitor-0001']) {
          for (const client of [await start(expressApp(express)), await start(other)]) {
            const res = await client.get('/pricing').set('Cookie', `tracks_id=${forged}`).expect(200);
            const fresh = readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET]);
            expect([fresh, (res.body as AssignmentView).key]).to.deep.equal([(res.body as AssignmentView).key, fresh]);
            expect(fresh).to.not.equal('chosen-by-the-visitor-0001');
          }
        }
      });

      it(`keeps the variants of a visitor who was anonymous on Express and logs in on ${name}`, async () => {
        const expressClient = await start(expressApp(express), undefined, KEYED);
        const otherClient = await start(other, undefined, KEYED);
        const anonymous = await expressClient.get('/both').expect(200);
        const before = anonymous.body as Both;
        const user = userHashingElsewhere(before);

        const loggedIn = await otherClient.get('/delay').set('x-user-id', user).set('Cookie', carry(anonymous)).expect(200);
        expect(loggedIn.body).to.include({ key: user, name: before.delay.name, reason: 'sticky' });
        // Re-bound to the user, with the set this request did not read too, exactly as Express re-binds it.
        const rebound = theSetCookie(loggedIn, 'tracks').value;
        expect(isBoundTo(rebound, [SECRET], user)).to.equal(true);
        expect(readPayload(rebound, [SECRET])!.entries).to.have.length(2);
        const sameOnExpress = await expressClient.get('/delay').set('x-user-id', user).set('Cookie', carry(anonymous)).expect(200);
        expect(setCookies(loggedIn).map((c) => c.raw)).to.deep.equal(setCookies(sameOnExpress).map((c) => c.raw));

        // Back on Express, logged in: both variants are the user's now, and nothing is rewritten.
        const back = await expressClient.get('/both').set('x-user-id', user).set('Cookie', carry(anonymous, loggedIn)).expect(200);
        const after = back.body as Both;
        expect([after.delay.name, after.delay.reason, after.pricing.name, after.pricing.reason, after.delay.key]).to.deep.equal([
          before.delay.name,
          'sticky',
          before.pricing.name,
          'sticky',
          user,
        ]);
        expect(back.headers['set-cookie']).to.equal(undefined);
        // And someone else presenting that cookie gets nothing from it, on either side.
        for (const client of [expressClient, otherClient]) {
          const stranger = await client.get('/delay').set('x-user-id', 'stranger').set('Cookie', carry(anonymous, loggedIn)).expect(200);
          expect(stranger.body).to.include({ name: delayOf('stranger'), reason: 'hash' });
        }
      });

      it(`renews on ${name} cookies Express signed with a rotated-out secret, and Express accepts the renewal`, async () => {
        const old = await start(expressApp(express), [DelayTracks], { cookie: { secret: 'old-secret' } });
        const rotated = await start(other, [DelayTracks], { cookie: { secret: ['new-secret', 'old-secret'] } });
        const current = await start(expressApp(express), [DelayTracks], { cookie: { secret: 'new-secret' } });
        const first = await old.get('/delay').expect(200);
        const renewed = await rotated.get('/delay').set('Cookie', carry(first)).expect(200);
        expect(renewed.body).to.include({ reason: 'sticky', name: (first.body as AssignmentView).name, key: (first.body as AssignmentView).key });
        // Both the id and the sticky cookie are re-signed with the current secret, the tag re-made under it.
        expect(readAnonymousId(theSetCookie(renewed, 'tracks_id').value, ['new-secret'])).to.equal((first.body as AssignmentView).key);
        expect(isBoundTo(theSetCookie(renewed, 'tracks').value, ['new-secret'], (first.body as AssignmentView).key!)).to.equal(true);
        const later = await current.get('/delay').set('Cookie', carry(first, renewed)).expect(200);
        expect(later.body).to.include({ reason: 'sticky', name: (first.body as AssignmentView).name });
        expect(later.headers['set-cookie']).to.equal(undefined);
      });
    });
  }
});
