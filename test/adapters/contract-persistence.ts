// Contract: responses that can no longer carry a cookie log no phantom exposures, and peeks are honest.
import { expect } from 'chai';
import type { RouteSpec } from './app-spec.js';
import { carry, readAnonymousId, setCookiesNamed, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { DelayTracks, PricingTracks, view, type AssignmentView } from './sets.js';

const RAW: RouteSpec[] = [
  { path: '/raw-before', raw: 'before', handler: (t) => view(t.get(DelayTracks)) },
  { path: '/raw-after', raw: 'after', handler: (t) => view(t.get(DelayTracks)) },
  { path: '/peek-delay', handler: (t) => view(t.peek(DelayTracks)) },
];

type Both = { delay: AssignmentView; pricing: AssignmentView };

export function persistenceSpecs(h: Harness): void {
  describe('responses that cannot carry the cookie', () => {
    it('writes the cookies and Cache-Control: private on a raw response read before its head went out', async () => {
      const client = await h.start([DelayTracks], {}, RAW);
      const res = await client.get('/raw-before').expect(200);
      const body = res.body as AssignmentView;
      expect(body).to.include({ reason: 'hash', persisted: true, isExposure: true });
      expect(readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET])).to.equal(body.key);
      expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
      expect(res.headers['cache-control']).to.equal('private');
      expect(h.events.map((e) => e.key)).to.deep.equal([body.key]);
    });

    it('logs no exposure for a new anonymous visitor read after the head went out, and says why', async () => {
      const client = await h.start([DelayTracks], {}, RAW);
      for (let i = 0; i < 3; i++) {
        const res = await client.get('/raw-after').expect(200);
        expect(res.body).to.include({ reason: 'hash', persisted: false, isExposure: false });
        expect(res.headers['set-cookie']).to.equal(undefined);
      }
      expect(h.events).to.deep.equal([]);
      expect(h.errors).to.deep.equal([]);
    });

    it('still counts a visitor whose identity persists without this response: a user, or a known anonymous id', async () => {
      const client = await h.start([DelayTracks], { key: [{ header: 'x-user-id' }] }, RAW);
      const user = await client.get('/raw-after').set('x-user-id', 'olga').expect(200);
      expect(user.body).to.include({ key: 'olga', reason: 'hash', persisted: true, isExposure: true });
      const visitor = await client.get('/delay').expect(200);
      const again = await client
        .get('/raw-after')
        .set('Cookie', `tracks_id=${theSetCookie(visitor, 'tracks_id').value}`)
        .expect(200);
      expect(again.body).to.include({ key: (visitor.body as AssignmentView).key, persisted: true, isExposure: true });
      expect(h.events.map((e) => e.key)).to.deep.equal(['olga', (visitor.body as AssignmentView).key, (visitor.body as AssignmentView).key]);
    });
  });

  describe('peek', () => {
    it('says a visitor with no identity yet is unidentified: control, no exposure, nothing written', async () => {
      const client = await h.start([DelayTracks, PricingTracks], {}, RAW);
      const res = await client.get('/peek').expect(200);
      const body = res.body as Both;
      for (const a of [body.delay, body.pricing]) expect(a).to.include({ name: 'control', reason: 'unidentified', isExposure: false, key: null });
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(res.headers['cache-control']).to.equal('private');
      expect(h.events).to.deep.equal([]);
    });

    it('peeks what get will give a visitor who has an id, and marks the response private', async () => {
      const client = await h.start([DelayTracks, PricingTracks], {}, RAW);
      const first = await client.get('/pricing').expect(200);
      const cookie = carry(first);
      const peeked = await client.get('/peek-delay').set('Cookie', cookie).expect(200);
      expect(peeked.body).to.include({ reason: 'hash', key: (first.body as AssignmentView).key });
      expect(peeked.headers['set-cookie']).to.equal(undefined);
      expect(peeked.headers['cache-control']).to.equal('private');
      h.events.length = 0;
      const got = await client.get('/delay').set('Cookie', cookie).expect(200);
      expect(got.body).to.include({ name: (peeked.body as AssignmentView).name, reason: 'hash' });
      expect(h.events).to.have.length(1);
    });
  });
}
