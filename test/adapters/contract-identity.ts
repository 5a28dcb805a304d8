// Contract: signed identity. Nobody picks their own variant: ids are signed, and cookies count only for whom they were written.
import { expect } from 'chai';
import { assign } from '../../src/index.js';
import { maskName } from '../../src/engine/compile.js';
import { binomialBound } from '../support/binomial.js';
import { carry, isBoundTo, readAnonymousId, readPayload, readSticky, setCookiesNamed, signedId, stickyCookie, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { DelayTracks, PricingTracks, type AssignmentView } from './sets.js';

const pricingOf = (key: string): string => assign(PricingTracks, { key }).name;
const delayOf = (key: string): string => assign(DelayTracks, { key, context: { vip: false } }).name;

/** Keys `prefix-0`, `prefix-1`… (16 characters or more, like a real id) for which `wanted` holds. */
function search(prefix: string, count: number, wanted: (key: string) => boolean): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++)
    if (wanted(`${prefix}-${String(i).padStart(8, '0')}`)) found.push(`${prefix}-${String(i).padStart(8, '0')}`);
  return found;
}

/** A signed cookie value with one signature character respelled as a non-ASCII character whose low byte is the same. */
function respelled(value: string): string {
  const dot = value.lastIndexOf('.');
  const at = dot + 1;
  const twin = String.fromCharCode(value.charCodeAt(at) + 0x100);
  return value.slice(0, at) + encodeURIComponent(twin) + value.slice(at + 1);
}

export function identitySpecs(h: Harness): void {
  describe('signed identity', () => {
    it('gives an attacker who searched anonymous ids offline for `cheap` no more than chance', async function () {
      this.timeout(60_000);
      const client = await h.start([PricingTracks]);
      const honest = theSetCookie(await client.get('/pricing').expect(200), 'tracks_id').value;
      const stolenSignature = honest.slice(honest.lastIndexOf('.') + 1);
      // 40 ids that the public algorithm puts in `cheap`, each tried three ways: 120 attempts.
      const chosen = search('attacker-pick', 40, (id) => pricingOf(id) === 'cheap');
      const forms = chosen.flatMap((id) => [id, `${id}.${stolenSignature}`, signedId(id, ['attacker-guessed-secret'])]);
      let cheap = 0;
      for (const value of forms) {
        const res = await client.get('/pricing').set('Cookie', `tracks_id=${value}`).expect(200);
        const body = res.body as AssignmentView;
        const fresh = readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET]);
        expect(chosen, value).to.not.include(body.key);
        expect(body.key).to.equal(fresh);
        expect(body.name).to.equal(pricingOf(fresh!));
        if (body.name === 'cheap') cheap += 1;
      }
      // Under chance, cheap ~ Binomial(120, 1/3) (mean 40); a count above the bound has p < 1e-6.
      expect(cheap).to.be.at.most(binomialBound(forms.length, 1 / 3, 1e-6));
    });

    it("gives user B nothing from user A's signed cookie: B's own hash and a fresh cookie bound to B", async () => {
      const client = await h.start([PricingTracks], { key: { header: 'x-user-id' } });
      const [a] = search('user-a', 1, (k) => pricingOf(k) === 'cheap');
      const [b] = search('user-b', 1, (k) => pricingOf(k) !== 'cheap');
      const issued = await client.get('/pricing').set('x-user-id', a!).expect(200);
      expect(issued.body).to.include({ name: 'cheap', reason: 'hash' });
      h.events.length = 0;
      const res = await client.get('/pricing').set('x-user-id', b!).set('Cookie', carry(issued)).expect(200);
      expect(res.body).to.include({ key: b, name: pricingOf(b!), reason: 'hash' });
      const cookie = theSetCookie(res, 'tracks').value;
      expect([isBoundTo(cookie, [SECRET], b!), isBoundTo(cookie, [SECRET], a!)]).to.deep.equal([true, false]);
      expect(readSticky(cookie, [SECRET])!.map((e) => e.value)).to.deep.equal([assign(PricingTracks, { key: b }).maskedName]);
      expect(h.events.map((e) => [e.key, e.variant, e.reason, e.firstExposure])).to.deep.equal([[b, pricingOf(b!), 'hash', true]]);
      // And A keeps theirs, with no rewrite.
      const back = await client.get('/pricing').set('x-user-id', a!).set('Cookie', carry(issued)).expect(200);
      expect(back.body).to.include({ name: 'cheap', reason: 'sticky' });
      expect(back.headers['set-cookie']).to.equal(undefined);
    });

    it("ignores another anonymous visitor's cookie: the visitor is hashed by their own id", async () => {
      const client = await h.start([DelayTracks, PricingTracks]);
      const other = await client.get('/both').expect(200);
      const own = await client.get('/delay').expect(200);
      const id = theSetCookie(own, 'tracks_id').value;
      const res = await client
        .get('/both')
        .set('Cookie', `tracks_id=${id}; tracks=${theSetCookie(other, 'tracks').value}`)
        .expect(200);
      const body = res.body as { delay: AssignmentView; pricing: AssignmentView };
      const key = readAnonymousId(id, [SECRET])!;
      expect([body.delay.reason, body.pricing.reason, body.delay.key]).to.deep.equal(['hash', 'hash', key]);
      expect([body.delay.name, body.pricing.name]).to.deep.equal([delayOf(key), pricingOf(key)]);
      expect(isBoundTo(theSetCookie(res, 'tracks').value, [SECRET], key)).to.equal(true);
      expect(setCookiesNamed(res, 'tracks_id')).to.have.length(0);
    });

    it('re-binds the anonymous cookie to the user who logs in, then reads it as theirs', async () => {
      const user = (await h.start([DelayTracks, PricingTracks], { key: [{ session: 'userId' }] })).agent();
      const anonymous = (await user.get('/both').expect(200)).body as { delay: AssignmentView; pricing: AssignmentView };
      const [id] = search('login', 1, (k) => delayOf(k) !== anonymous.delay.name && pricingOf(k) !== anonymous.pricing.name);
      await user.get(`/login?user=${id}`).expect(200);
      const loggedIn = await user.get('/delay').expect(200);
      expect(loggedIn.body).to.include({ key: id, name: anonymous.delay.name, reason: 'sticky' });
      const cookie = theSetCookie(loggedIn, 'tracks').value;
      expect(isBoundTo(cookie, [SECRET], id!)).to.equal(true);
      // Every set the visitor had moves with them, read in this request or not.
      expect(readSticky(cookie, [SECRET])).to.have.length(2);
      const later = await user.get('/both').expect(200);
      expect(later.body).to.deep.include({
        delay: { ...anonymous.delay, key: id, reason: 'sticky', runId: (later.body as typeof anonymous).delay.runId },
      });
      expect((later.body as typeof anonymous).pricing).to.include({ name: anonymous.pricing.name, reason: 'sticky' });
      // (The session middleware may refresh its own cookie: only ours must stay quiet.)
      expect([setCookiesNamed(later, 'tracks'), setCookiesNamed(later, 'tracks_id')]).to.deep.equal([[], []]);
    });

    it('gives no continuity from a cookie bound to an id the request cannot prove it holds', async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
      const visitor = await client.get('/delay').expect(200);
      const rawId = readAnonymousId(theSetCookie(visitor, 'tracks_id').value, [SECRET])!;
      const [user] = search('nocontinuity', 1, (k) => delayOf(k) !== (visitor.body as AssignmentView).name);
      const unsignedId = await client
        .get('/delay')
        .set('x-user-id', user!)
        .set('Cookie', `tracks_id=${rawId}; tracks=${theSetCookie(visitor, 'tracks').value}`);
      expect(unsignedId.body).to.include({ key: user, name: delayOf(user!), reason: 'hash' });
      const otherId = theSetCookie(await client.get('/delay').expect(200), 'tracks_id').value;
      const foreign = await client
        .get('/delay')
        .set('x-user-id', user!)
        .set('Cookie', `tracks_id=${otherId}; tracks=${theSetCookie(visitor, 'tracks').value}`);
      expect(foreign.body).to.include({ key: user, name: delayOf(user!), reason: 'hash' });
    });

    describe('format-1 cookies (before binding)', () => {
      // Signed as this library wrote it before format 2: no identity tag.
      const legacy = (variant: string): string =>
        stickyCookie([{ set: maskName('delay', 'v1'), value: maskName(variant, 'v1'), forced: false }], [SECRET]);

      it('honours one for the anonymous visitor, once, and rewrites it bound to their (new, signed) id', async () => {
        const client = await h.start([DelayTracks]);
        const res = await client
          .get('/delay')
          .set('Cookie', `tracks_id=0b5e6e44-5a3a-4b43-9c8e-4a4b7c4f0001; tracks=${legacy('long')}`)
          .expect(200);
        const body = res.body as AssignmentView;
        expect(body).to.include({ name: 'long', reason: 'sticky', isExposure: true, persisted: true });
        const id = readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET]);
        expect(id).to.equal(body.key).and.not.equal('0b5e6e44-5a3a-4b43-9c8e-4a4b7c4f0001');
        const rewritten = readPayload(theSetCookie(res, 'tracks').value, [SECRET])!;
        expect(rewritten.format).to.equal(2);
        expect(isBoundTo(theSetCookie(res, 'tracks').value, [SECRET], id!)).to.equal(true);
        const again = await client.get('/delay').set('Cookie', carry(res)).expect(200);
        expect(again.body).to.include({ name: 'long', reason: 'sticky' });
        expect(again.headers['set-cookie']).to.equal(undefined);
      });

      it('never honours one for a logged-in user, with or without a verified anonymous id', async () => {
        const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
        const [user] = search('legacy-user', 1, (k) => delayOf(k) !== 'long');
        const alone = await client
          .get('/delay')
          .set('x-user-id', user!)
          .set('Cookie', `tracks=${legacy('long')}`)
          .expect(200);
        expect(alone.body).to.include({ name: delayOf(user!), reason: 'hash' });
        expect(isBoundTo(theSetCookie(alone, 'tracks').value, [SECRET], user!)).to.equal(true);
        const id = theSetCookie(await client.get('/delay').expect(200), 'tracks_id').value;
        const carried = await client
          .get('/delay')
          .set('x-user-id', user!)
          .set('Cookie', `tracks_id=${id}; tracks=${legacy('long')}`)
          .expect(200);
        // Nothing says whose a format-1 cookie was: it could be replayed into any account.
        expect(carried.body).to.include({ name: delayOf(user!), reason: 'hash' });
        expect(isBoundTo(theSetCookie(carried, 'tracks').value, [SECRET], user!)).to.equal(true);
      });
    });

    it('binds nothing without a secret: the cookie is unsigned format 1 and counts for whoever holds it', async () => {
      const client = await h.start([PricingTracks], { key: { header: 'x-user-id' }, cookie: { secret: undefined } });
      const [a] = search('unsigned-a', 1, (k) => pricingOf(k) === 'cheap');
      const [b] = search('unsigned-b', 1, (k) => pricingOf(k) !== 'cheap');
      const issued = await client.get('/pricing').set('x-user-id', a!).expect(200);
      expect(theSetCookie(issued, 'tracks').value).to.match(/^1~[0-9a-f]{14}$/);
      const res = await client.get('/pricing').set('x-user-id', b!).set('Cookie', carry(issued)).expect(200);
      expect(res.body).to.include({ name: 'cheap', reason: 'sticky' });
    });

    it('accepts only the exact base64url text of a signature, not a respelling of its bytes (%C5%A2 for b)', async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
      const first = await client.get('/delay').set('x-user-id', 'nina').expect(200);
      const value = theSetCookie(first, 'tracks').value;
      expect((await client.get('/delay').set('x-user-id', 'nina').set('Cookie', `tracks=${value}`).expect(200)).body).to.include({
        reason: 'sticky',
      });
      const forged = await client
        .get('/delay')
        .set('x-user-id', 'nina')
        .set('Cookie', `tracks=${respelled(value)}`)
        .expect(200);
      expect(forged.body).to.include({ reason: 'hash' });
      expect(readSticky(theSetCookie(forged, 'tracks').value, [SECRET])).to.have.length(1);
      const anonymous = await client.get('/delay').expect(200);
      const id = theSetCookie(anonymous, 'tracks_id').value;
      const respelledId = await client
        .get('/delay')
        .set('Cookie', `tracks_id=${respelled(id)}`)
        .expect(200);
      expect((respelledId.body as AssignmentView).key).to.not.equal(readAnonymousId(id, [SECRET]));
      expect(setCookiesNamed(respelledId, 'tracks_id')).to.have.length(1);
    });
  });
}
