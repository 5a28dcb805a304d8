// Contract: the QA override forces variants where allowed, is remembered, and is never an exposure.
import { expect } from 'chai';
import { headerOf, type RouteSpec } from './app-spec.js';
import { readSticky, theSetCookie } from './cookies.js';
import { SECRET, type Harness } from './harness.js';
import { DelayTracks, DisabledTracks, Experiments, PinnedTracks, PricingTracks, view, type AssignmentView, type MultiView } from './sets.js';

type Both = { delay: AssignmentView; pricing: AssignmentView };

export function overrideSpecs(h: Harness): void {
  describe('QA override', () => {
    it('forces a variant, remembers it, and on clear gives the user their own variant back', async () => {
      const user = (await h.start([DelayTracks])).agent();
      const hashed = (await user.get('/delay').expect(200)).body as AssignmentView;
      const other = ['control', 'short', 'long'].find((v) => v !== hashed.name)!;
      const forced = await user.get(`/delay?tracks=delay:${other}`).expect(200);
      expect(forced.body).to.include({ name: other, reason: 'forced' });
      // The forced entry sits beside the remembered one, which it never replaces.
      expect(readSticky(theSetCookie(forced, 'tracks').value, [SECRET])!.map((e) => e.forced)).to.deep.equal([false, true]);
      expect((await user.get('/delay').expect(200)).body).to.include({ name: other, reason: 'forced' });
      const cleared = await user.get('/delay?tracks=clear').expect(200);
      expect(cleared.body).to.include({ name: hashed.name, reason: 'sticky', key: hashed.key });
      expect(readSticky(theSetCookie(cleared, 'tracks').value, [SECRET])!.map((e) => e.forced)).to.deep.equal([false]);
      expect((await user.get('/delay').expect(200)).body).to.include({ name: hashed.name, reason: 'sticky' });
    });

    it('lets a forced member of a MultiTrackSet in the query beat one forced earlier', async () => {
      const user = (await h.start([Experiments])).agent();
      const pick = async (path: string): Promise<string[]> => {
        const { multi } = (await user.get(path).expect(200)).body as { multi: MultiView };
        return [multi.trackSetName!, multi.name, multi.reason];
      };
      expect(await pick('/multi?tracks=color:red')).to.deep.equal(['color', 'red', 'forced']);
      expect(await pick('/multi?tracks=layout:grid')).to.deep.equal(['layout', 'grid', 'forced']);
      expect(await pick('/multi')).to.deep.equal(['layout', 'grid', 'forced']);
      expect((await pick('/multi?tracks=clear'))[2]).to.be.oneOf(['hash', 'sticky']);
    });

    it('never logs a forced assignment as an exposure', async () => {
      const user = (await h.start([DelayTracks, PricingTracks])).agent();
      await user.get('/both?tracks=delay:long,pricing:cheap').expect(200);
      await user.get('/both').expect(200);
      expect(h.events).to.deep.equal([]);
    });

    it('forces several sets at once and combines repeated parameters, the later winning', async () => {
      const client = await h.start([DelayTracks, PricingTracks]);
      const one = (await client.get('/both?tracks=delay:long,pricing:cheap').expect(200)).body as Both;
      expect([one.delay.name, one.pricing.name]).to.deep.equal(['long', 'cheap']);
      const two = (await client.get('/both?tracks=delay:short&tracks=pricing:expensive').expect(200)).body as Both;
      expect([two.delay.name, two.delay.reason, two.pricing.name, two.pricing.reason]).to.deep.equal(['short', 'forced', 'expensive', 'forced']);
      const later = (await client.get('/both?tracks=delay:short&tracks=delay:long').expect(200)).body as Both;
      expect(later.delay.name).to.equal('long');
      const encoded = (await client.get('/both?tracks=delay%3Along%2Cpricing%3Acheap').expect(200)).body as Both;
      expect([encoded.delay.name, encoded.pricing.name]).to.deep.equal(['long', 'cheap']);
    });

    it('ignores an empty value, an over-long value, and names it does not know', async () => {
      const client = await h.start([DelayTracks, PricingTracks]);
      const long = `delay:long,pricing:cheap,${'x'.repeat(1100)}`;
      for (const query of [
        'tracks=',
        'tracks',
        `tracks=${long}`,
        'tracks=nope:long,delay:nope,delay,:long,delay:',
        'tracks=delay:long&tracks=' + 'y'.repeat(1100),
      ]) {
        const body = (await client.get(`/both?${query}`).expect(200)).body as Both;
        expect([body.delay.reason, body.pricing.reason], query.slice(0, 40)).to.deep.equal(['hash', 'hash']);
      }
    });

    it('is refused where allow says no, and a remembered forced variant is not honoured there', async () => {
      const client = await h.start([DelayTracks], { override: { allow: (req) => headerOf(req, 'x-qa') === '1' } });
      const user = client.agent();
      const refused = (await user.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView;
      expect(refused.reason).to.equal('hash');
      const other = ['control', 'short', 'long'].find((v) => v !== refused.name)!;
      expect((await user.get(`/delay?tracks=delay:${other}`).set('x-qa', '1').expect(200)).body).to.include({ name: other, reason: 'forced' });
      expect((await user.get('/delay').set('x-qa', '1').expect(200)).body).to.include({ name: other, reason: 'forced' });
      // Where overrides are refused, the forced entry is ignored and the remembered variant holds.
      expect((await user.get('/delay').expect(200)).body).to.include({ name: refused.name, reason: 'sticky' });
    });

    it('drops remembered forced entries from the cookie on a request where overrides are refused', async () => {
      const client = await h.start([DelayTracks], { override: { allow: (req) => headerOf(req, 'x-qa') === '1' } });
      const user = client.agent();
      const own = (await user.get('/delay').expect(200)).body as AssignmentView;
      const other = ['control', 'short', 'long'].find((v) => v !== own.name)!;
      await user.get(`/delay?tracks=delay:${other}`).set('x-qa', '1').expect(200);
      const refused = await user.get('/delay').expect(200);
      expect(refused.body).to.include({ name: own.name, reason: 'sticky' });
      expect(readSticky(theSetCookie(refused, 'tracks').value, [SECRET])!.map((e) => e.forced)).to.deep.equal([false]);
      // Gone for good: the QA header alone no longer brings the forced variant back.
      expect((await user.get('/delay').set('x-qa', '1').expect(200)).body).to.include({ name: own.name, reason: 'sticky' });
    });

    it('is refused by default when NODE_ENV is production at setup', async () => {
      const previous = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      let client;
      try {
        client = await h.start([DelayTracks]);
      } finally {
        if (previous === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = previous;
      }
      expect(((await client.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView).reason).to.equal('hash');
      const allowed = await h.start([DelayTracks]);
      expect(((await allowed.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView).reason).to.equal('forced');
    });

    it('is off everywhere with override: false, and follows a custom parameter name', async () => {
      const off = await h.start([DelayTracks], { override: false });
      expect(((await off.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView).reason).to.equal('hash');
      const custom = await h.start([DelayTracks], { override: { param: 'ab' } });
      expect(((await custom.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView).reason).to.equal('hash');
      expect((await custom.get('/delay?ab=delay:long').expect(200)).body).to.include({ name: 'long', reason: 'forced' });
    });

    it('forces VIPs too (forced comes before ineligible), but not past a pinned or disabled set', async () => {
      const routes: RouteSpec[] = [
        { path: '/rules', handler: (t) => ({ pinned: view(t.get(PinnedTracks)), disabled: view(t.get(DisabledTracks)) }) },
      ];
      const client = await h.start([DelayTracks, PinnedTracks, DisabledTracks], {}, routes);
      expect((await client.get('/delay?tracks=delay:long').set('x-vip', '1').expect(200)).body).to.include({ name: 'long', reason: 'forced' });
      const rules = (await client.get('/rules?tracks=pinned:a,disabled:a').expect(200)).body as { pinned: AssignmentView; disabled: AssignmentView };
      expect(rules.pinned).to.include({ name: 'b', reason: 'pinned' });
      expect(rules.disabled).to.include({ name: 'control', reason: 'disabled' });
    });

    it('forces a member of a MultiTrackSet, choosing that member for the user', async () => {
      const user = (await h.start([Experiments])).agent();
      for (const [set, variant] of [
        ['layout', 'grid'],
        ['color', 'blue'],
      ] as const) {
        const body = (await user.get(`/multi?tracks=${set}:${variant}`).expect(200)).body as Record<'color' | 'layout', AssignmentView> & {
          multi: MultiView;
        };
        expect(body.multi).to.include({ trackSetName: set, name: variant, reason: 'forced' });
        expect(body[set]).to.include({ name: variant, reason: 'forced' });
        expect(body[set === 'color' ? 'layout' : 'color'].reason).to.equal('excluded');
        const again = (await user.get('/multi').expect(200)).body as { multi: MultiView };
        expect(again.multi).to.include({ trackSetName: set, name: variant, reason: 'forced' });
      }
      expect(h.events).to.deep.equal([]);
    });
  });
}
