// Contract: user code that throws, and reads after the headers went out, never turn a request into a 500.
import { expect } from 'chai';
import { waitFor, type RouteSpec } from './app-spec.js';
import { readAnonymousId, readSticky, setCookiesNamed, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { BrokenTracks, DelayTracks, PricingTracks, view, type AssignmentView } from './sets.js';

const BROKEN: RouteSpec[] = [{ path: '/broken', handler: (t) => view(t.get(BrokenTracks)) }];

function boom(): never {
  throw new Error('user code exploded');
}

export function failureSpecs(h: Harness): void {
  describe('failures', () => {
    it('gives control when isEligible throws, and reports it with the set name', async () => {
      const client = await h.start([BrokenTracks], {}, BROKEN);
      const res = await client.get('/broken').expect(200);
      expect(res.body).to.include({ name: 'control', reason: 'error', isEligible: false });
      expect(h.errors.map((e) => [e.info.where, e.info.setName, (e.error as Error).message])).to.deep.equal([
        ['isEligible', 'broken', 'isEligible exploded'],
      ]);
      expect(h.events).to.deep.equal([]);
      expect(setCookiesNamed(res, 'tracks')).to.have.length(0);
    });

    it('gives control when the context function throws, and only to sets that read it', async () => {
      const client = await h.start([DelayTracks, PricingTracks], { context: boom });
      const body = (await client.get('/both').expect(200)).body as { delay: AssignmentView; pricing: AssignmentView };
      expect(body.delay).to.include({ name: 'control', reason: 'error' });
      expect(body.pricing.reason).to.equal('hash');
      expect(h.errors.map((e) => [e.info.where, e.info.setName])).to.deep.equal([['context', null]]);
      expect(h.events.map((e) => e.setName)).to.deep.equal(['pricing']);
    });

    it('gives control when the key function throws, without falling back to an anonymous id', async () => {
      const client = await h.start([DelayTracks], { key: [boom, { header: 'x-user-id' }] });
      const res = await client.get('/delay').expect(200);
      expect(res.body).to.include({ name: 'control', reason: 'error' });
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(h.errors.map((e) => e.info.where)).to.deep.equal(['key']);
      expect(h.events).to.deep.equal([]);
      // A later source that yields a key still assigns by it.
      const keyed = await client.get('/delay').set('x-user-id', 'mia').expect(200);
      expect(keyed.body).to.include({ key: 'mia', reason: 'hash' });
    });

    it('keeps the assignment when onExposure throws or rejects, and reports it', async () => {
      const sync = await h.start([DelayTracks], { onExposure: boom });
      const res = await sync.get('/delay').expect(200);
      expect((res.body as AssignmentView).reason).to.equal('hash');
      expect(readSticky(theSetCookie(res, 'tracks').value, [SECRET])).to.have.length(1);
      expect(h.errors.map((e) => [e.info.where, e.info.setName])).to.deep.equal([['onExposure', 'delay']]);
      h.errors.length = 0;
      const async = await h.start([DelayTracks], { onExposure: () => Promise.reject(new Error('log store down')) });
      expect(((await async.get('/delay').expect(200)).body as AssignmentView).reason).to.equal('hash');
      await waitFor(() => h.errors.length > 0);
      expect(h.errors.map((e) => [e.info.where, e.info.setName])).to.deep.equal([['onExposure', 'delay']]);
    });

    it('refuses the override when allow throws, and treats a throwing bot detector as a human', async () => {
      const client = await h.start([DelayTracks], { override: { allow: boom }, bots: boom });
      const res = await client.get('/delay?tracks=delay:long').expect(200);
      expect((res.body as AssignmentView).reason).to.equal('hash');
      expect(h.errors.map((e) => e.info.where).sort()).to.deep.equal(['bots', 'override.allow']);
    });

    it('survives an onError that throws', async () => {
      const client = await h.start([BrokenTracks], { onError: boom }, BROKEN);
      expect((await client.get('/broken').expect(200)).body).to.include({ name: 'control', reason: 'error' });
    });

    describe('after the headers were sent', () => {
      it('still returns the assignment, writes nothing, does not throw, and logs no phantom exposure', async () => {
        const client = await h.start([DelayTracks]);
        const res = await client.get('/stream').expect(200);
        // A new anonymous visitor whose id cannot be stored any more: not an exposure, and it says why.
        expect(res.body).to.include({ reason: 'hash', persisted: false });
        expect(res.headers['set-cookie']).to.equal(undefined);
        expect(h.events).to.have.length(0);
        await client.get('/delay').expect(200);
        expect(h.errors).to.deep.equal([]);
      });

      it('keeps the cookie written for what was read before the headers went out', async () => {
        const client = await h.start([DelayTracks, PricingTracks]);
        const res = await client.get('/stream-after-read').expect(200);
        const body = res.body as { delay: AssignmentView; pricing: AssignmentView };
        expect([body.delay.reason, body.pricing.reason]).to.deep.equal(['hash', 'hash']);
        const entries = readSticky(theSetCookie(res, 'tracks').value, [SECRET])!;
        expect(entries.map((e) => e.value)).to.have.length(1);
        expect(readAnonymousId(theSetCookie(res, 'tracks_id').value, [SECRET])).to.equal(body.pricing.key);
        // The id went out with the headers, so what is read after them still counts.
        expect(h.events.map((e) => [e.setName, e.key])).to.deep.equal([
          ['pricing', body.pricing.key],
          ['delay', body.pricing.key],
        ]);
        expect(h.errors).to.deep.equal([]);
      });
    });
  });
}
