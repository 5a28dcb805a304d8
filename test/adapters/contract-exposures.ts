// Contract: exposures fire once per set per request, only for assignments that count.
import { expect } from 'chai';
import { SimpleTrackSet } from '../../src/index.js';
import { headerOf, type RouteSpec } from './app-spec.js';
import { carry, setCookiesNamed } from './cookies.js';
import type { Harness } from './harness.js';
import { DelayTracks, DisabledTracks, Experiments, PinnedTracks, PricingTracks, view, type AssignmentView, type MultiView } from './sets.js';

/** Nobody is covered: everyone gets control by rule. */
class UncoveredTracks extends SimpleTrackSet {
  static override setName = 'uncovered';
  static override coverage = 0;
  static aTrack(): void {}
}

const RULES: RouteSpec[] = [
  {
    path: '/rules',
    handler: (t) => ({ pinned: view(t.get(PinnedTracks)), disabled: view(t.get(DisabledTracks)), uncovered: view(t.get(UncoveredTracks)) }),
  },
];

export function exposureSpecs(h: Harness): void {
  describe('exposures', () => {
    it('fires once per set per request, first as a first exposure and then as sticky', async () => {
      const user = (await h.start([DelayTracks, PricingTracks])).agent();
      const first = (await user.get('/twice').set('x-user-id', 'ignored').expect(200)).body as {
        delay: AssignmentView;
        pricing: AssignmentView;
        same: boolean;
        assignments: number;
      };
      expect(first.same).to.equal(true);
      expect(first.assignments).to.equal(2);
      expect(h.events.map((e) => [e.setName, e.variant, e.reason, e.firstExposure, e.runId, e.key, e.multiSetName])).to.deep.equal([
        ['delay', first.delay.name, 'hash', true, first.delay.runId, first.delay.key, null],
        ['pricing', first.pricing.name, 'hash', true, first.pricing.runId, first.pricing.key, null],
      ]);
      expect(headerOf(h.events[0]!.req, 'x-user-id')).to.equal('ignored');
      expect(h.events[0]!.maskedSetName).to.match(/^[0-9a-f]{7}$/);
      h.events.length = 0;
      const second = (await user.get('/twice').expect(200)).body as typeof first;
      expect(h.events.map((e) => [e.setName, e.variant, e.reason, e.firstExposure, e.runId])).to.deep.equal([
        ['delay', first.delay.name, 'sticky', false, second.delay.runId],
        ['pricing', first.pricing.name, 'sticky', false, second.pricing.runId],
      ]);
      expect(second.delay.runId).to.not.equal(first.delay.runId);
    });

    it('fires once for a MultiTrackSet, for the chosen member, naming the multi set', async () => {
      const client = await h.start([Experiments], { key: { header: 'x-user-id' } });
      const body = (await client.get('/multi').set('x-user-id', 'hana').expect(200)).body as { multi: MultiView } & Record<string, AssignmentView>;
      expect(h.events).to.have.length(1);
      const event = h.events[0]!;
      expect([event.setName, event.variant, event.reason, event.firstExposure, event.multiSetName, event.key]).to.deep.equal([
        body.multi.trackSetName,
        body.multi.name,
        'hash',
        true,
        'experiments',
        'hana',
      ]);
      expect(event.runId).to.equal(body[body.multi.trackSetName!]!.runId);
    });

    it('gives VIPs control, with no exposure and nothing remembered, even with a remembered variant', async () => {
      const client = await h.start([DelayTracks]);
      const vip = await client.get('/delay').set('x-vip', '1').expect(200);
      expect(vip.body).to.include({ name: 'control', reason: 'ineligible', isEligible: false, runId: null });
      expect(vip.headers['set-cookie']).to.equal(undefined);
      const before = await client.get('/delay').expect(200);
      h.events.length = 0;
      const remembered = await client.get('/delay').set('x-vip', '1').set('Cookie', carry(before)).expect(200);
      expect(remembered.body).to.include({ name: 'control', reason: 'ineligible' });
      expect(setCookiesNamed(remembered, 'tracks')).to.have.length(0);
      expect(h.events).to.deep.equal([]);
    });

    it('logs nothing for pinned, disabled or uncovered sets', async () => {
      const client = await h.start([PinnedTracks, DisabledTracks, UncoveredTracks], {}, RULES);
      const body = (await client.get('/rules').expect(200)).body as Record<string, AssignmentView>;
      expect([body.pinned!.name, body.pinned!.reason]).to.deep.equal(['b', 'pinned']);
      expect([body.disabled!.name, body.disabled!.reason]).to.deep.equal(['control', 'disabled']);
      expect([body.uncovered!.name, body.uncovered!.reason]).to.deep.equal(['control', 'coverage']);
      expect(h.events).to.deep.equal([]);
    });
  });
}
