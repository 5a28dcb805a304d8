// describeSet: a set's configuration as frozen plain data, matching what assignment really does.
import { expect } from 'chai';
import { assign, describeSet, MultiTrackSet, ParamTrackSet, SimpleTrackSet, TracksError } from '../../src/index.js';

class CheckoutTracks extends SimpleTrackSet {
  static override setName = 'checkout';
  static override weights = { control: 80, oneClick: 20 };
  static override coverage = 0.2;
  static oneClickTrack(): void {}
}
class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}
class PriceTracks extends ParamTrackSet<{ delta: number }> {
  static override setName = 'price';
  static override params = [-1, 0, 1].map((delta) => ({ delta }));
  static override addControlTrack = false;
  static override trackName = (p: { delta: number }) => `delta_${p.delta}`;
  static override track = (p: { delta: number }, price: number) => price + p.delta;
}
class Pinned extends SimpleTrackSet {
  static override setName = 'pinned';
  static override pinned = 'b';
  static override disabled = true;
  static bTrack(): void {}
}
class LegacyTracks extends SimpleTrackSet {
  static override setName = 'legacy';
  static override algorithm = 'python' as const;
  static aTrack(): void {}
  static bTrack(): void {}
}
class Heavy extends SimpleTrackSet {
  static override setName = 'heavy';
  static override weight = 1000;
  static override coverage = 0.5;
  static onTrack(): void {}
}
class Experiments extends MultiTrackSet {
  static override setName = 'experiments';
  static override trackSets = [DelayTracks, Heavy, Pinned];
}

describe('describeSet', () => {
  it('gives the variants in order with weights, shares and contiguous bucket ranges', () => {
    const d = describeSet(CheckoutTracks);
    expect(d).to.include({ kind: 'simple', name: 'checkout', algorithm: 'v1', control: 'control', addControlTrack: true, coverage: 0.2 });
    expect(d.variants.map((v) => [v.name, v.weight, v.share, v.isControl])).to.deep.equal([
      ['control', 80, 0.8, true],
      ['oneClick', 20, 0.2, false],
    ]);
    expect(d.variants.map((v) => v.buckets)).to.deep.equal([
      { start: 0, coveredEnd: 1600, end: 8000 },
      { start: 8000, coveredEnd: 8400, end: 10000 },
    ]);
    expect(d.variants.map((v) => v.expectedShare)).to.deep.equal([0.8, 0.2]);
    expect(d.bucketCount).to.equal(10000);
  });

  it('splits equally by default and names masked names as the engine does', () => {
    const d = describeSet(DelayTracks);
    expect(d.variants.map((v) => v.name)).to.deep.equal(['control', 'long', 'short']);
    expect(d.variants.map((v) => v.weight)).to.deep.equal([1, 1, 1]);
    expect(d.variants.map((v) => v.buckets!.end)).to.deep.equal([3333, 6667, 10000]);
    const a = assign(DelayTracks, { key: 'user-1' });
    expect(d.variants.find((v) => v.name === a.name)!.masked).to.equal(a.maskedName);
    expect(d.masked).to.equal(a.maskedSetName);
  });

  it('has no control for a ParamTrackSet without addControlTrack', () => {
    const d = describeSet(PriceTracks);
    expect(d.kind).to.equal('param');
    expect(d.control).to.equal(null);
    expect(d.variants.map((v) => v.name)).to.deep.equal(['delta_-1', 'delta_0', 'delta_1']);
    expect(d.variants.every((v) => !v.isControl)).to.equal(true);
  });

  it('shows the disabled and pinned state', () => {
    expect(describeSet(Pinned)).to.include({ disabled: true, pinned: 'b' });
    expect(describeSet(DelayTracks)).to.include({ disabled: false, pinned: null });
  });

  it('has no bucket ranges with algorithm python, and equal expected shares', () => {
    const d = describeSet(LegacyTracks);
    expect(d.algorithm).to.equal('python');
    expect(d.bucketCount).to.equal(null);
    expect(d.variants.map((v) => [v.buckets, v.expectedShare])).to.deep.equal([
      [null, 1 / 3],
      [null, 1 / 3],
      [null, 1 / 3],
    ]);
  });

  it('describes each member of a MultiTrackSet with its weight, share and expected share of logged users', () => {
    const d = describeSet(Experiments);
    expect(d.kind).to.equal('multi');
    expect(d.name).to.equal('experiments');
    expect(d.members.map((m) => [m.set.name, m.weight])).to.deep.equal([
      ['delay', 100],
      ['heavy', 1000],
      ['pinned', 100],
    ]);
    expect(d.members.map((m) => m.share)).to.deep.equal([100 / 1200, 1000 / 1200, 100 / 1200]);
    expect(d.members.map((m) => m.buckets)).to.deep.equal([
      { start: 0, coveredEnd: 833, end: 833 },
      { start: 833, coveredEnd: 9167, end: 9167 },
      { start: 9167, coveredEnd: 10000, end: 10000 },
    ]);
    // heavy logs only half its users (coverage 0.5); pinned logs nobody.
    const delay = 833 / 10000;
    const heavy = (8334 / 10000) * 0.5;
    expect(d.members[0]!.expectedShare).to.be.closeTo(delay / (delay + heavy), 1e-15);
    expect(d.members[1]!.expectedShare).to.be.closeTo(heavy / (delay + heavy), 1e-15);
    expect(d.members[2]!.expectedShare).to.equal(0);
  });

  it('matches where 10,000 keys really land', () => {
    const d = describeSet(Experiments);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10000; i++) {
      const a = assign(Experiments, { key: `k${i}` });
      counts.set(a.trackSetName!, (counts.get(a.trackSetName!) ?? 0) + 1);
    }
    // A disabled or pinned member takes no new user: its share goes to the open members by weight.
    const isOpen = (m: (typeof d.members)[number]): boolean => !m.set.disabled && m.set.pinned === null;
    const closedShare = d.members.filter((m) => !isOpen(m)).reduce((sum, m) => sum + m.share, 0);
    const openWeight = d.members.filter(isOpen).reduce((sum, m) => sum + m.weight, 0);
    for (const m of d.members) {
      const expected = isOpen(m) ? m.share + (closedShare * m.weight) / openWeight : 0;
      expect((counts.get(m.set.name) ?? 0) / 10000).to.be.closeTo(expected, 0.02);
    }
  });

  it('is deeply frozen and survives JSON unchanged', () => {
    const d = describeSet(Experiments);
    expect(Object.isFrozen(d)).to.equal(true);
    expect(Object.isFrozen(d.members[0]!.set.variants[0]!.buckets)).to.equal(true);
    expect(JSON.parse(JSON.stringify(d))).to.deep.equal(d);
  });

  it('throws a TracksError for an invalid set', () => {
    class Empty extends SimpleTrackSet {
      static override setName = 'empty';
      static override addControlTrack = false;
    }
    expect(() => describeSet(Empty)).to.throw(TracksError, /no variants/);
  });
});
