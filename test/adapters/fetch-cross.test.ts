// One cookie for every adapter: what Express writes, the Fetch wrapper and Hono honour, byte for byte, and back.
import { expect } from 'chai';
import express from 'express';
import type { AnySetClass, Options } from '../../src/index.js';
import type { MakeApp } from './app-spec.js';
import { carry, readSticky, setCookies, theSetCookie } from './cookies.js';
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

describe('one cookie across adapters', () => {
  const harnesses: Harness[] = [];
  afterEach(() => Promise.all(harnesses.splice(0).map((h) => h.closeAll())));

  function start(makeApp: MakeApp, sets: readonly AnySetClass[], options: Options<unknown> = {}): Promise<Client> {
    const h = new Harness(makeApp);
    harnesses.push(h);
    return h.start(sets, options);
  }

  for (const [name, other] of OTHERS) {
    describe(`Express and ${name}`, () => {
      it('writes byte-identical Set-Cookie headers for the same user', async () => {
        const fromExpress = await (
          await start(expressApp(express), [DelayTracks, PricingTracks], { key: { header: 'x-user-id' } })
        )
          .get('/both')
          .set('x-user-id', 'olga')
          .expect(200);
        const fromOther = await (
          await start(other, [DelayTracks, PricingTracks], { key: { header: 'x-user-id' } })
        )
          .get('/both')
          .set('x-user-id', 'olga')
          .expect(200);
        expect(setCookies(fromOther).map((c) => c.raw)).to.deep.equal(setCookies(fromExpress).map((c) => c.raw));
        expect(theSetCookie(fromOther, 'tracks').value).to.match(/^1~[0-9a-f]{14}~[0-9a-f]{14}\.[A-Za-z0-9_-]{43}$/);
      });

      it(`keeps an anonymous visitor's variant from Express on ${name}, and back`, async () => {
        const expressClient = await start(expressApp(express), [DelayTracks, PricingTracks]);
        const otherClient = await start(other, [DelayTracks, PricingTracks]);
        const first = await expressClient.get('/delay').expect(200);
        const delay = first.body as AssignmentView;
        expect(delay.reason).to.equal('hash');

        const moved = await otherClient.get('/delay').set('Cookie', carry(first)).expect(200);
        expect(moved.body).to.include({ name: delay.name, key: delay.key, reason: 'sticky' });
        expect(moved.headers['set-cookie']).to.equal(undefined);

        // The other adapter enrols the visitor in a second set and re-signs the cookie; Express honours both.
        const added = await otherClient.get('/both').set('Cookie', carry(first)).expect(200);
        const pricing = (added.body as Both).pricing;
        expect(pricing.reason).to.equal('hash');
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

      it(`renews on ${name} a cookie Express signed with a rotated-out secret, and Express accepts the renewal`, async () => {
        const old = await start(expressApp(express), [DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'old-secret' } });
        const rotated = await start(other, [DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: ['new-secret', 'old-secret'] } });
        const current = await start(expressApp(express), [DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'new-secret' } });
        const first = await old.get('/delay').set('x-user-id', 'pia').expect(200);
        const renewed = await rotated.get('/delay').set('x-user-id', 'pia').set('Cookie', carry(first)).expect(200);
        expect(renewed.body).to.include({ reason: 'sticky', name: (first.body as AssignmentView).name });
        const later = await current.get('/delay').set('x-user-id', 'pia').set('Cookie', carry(renewed)).expect(200);
        expect(later.body).to.include({ reason: 'sticky', name: (first.body as AssignmentView).name });
        expect(later.headers['set-cookie']).to.equal(undefined);
      });
    });
  }
});
