// Rollout and pause in the engine: a paused variant's range is split among the open ones, a closed member's among the open members, over fixed keys.
import { expect } from 'chai';
import {
  assign,
  bucketOf,
  describeSet,
  MemoryControls,
  MultiTrackSet,
  murmur3,
  ParamTrackSet,
  SimpleTrackSet,
  TracksError,
  type SetControl,
} from '../../src/index.js';

class Pricing extends SimpleTrackSet {
  static override setName = 'ro-pricing';
  static override weights = { control: 2, cheap: 1, expensive: 1 };
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}
class Color extends SimpleTrackSet {
  static override setName = 'ro-color';
  static redTrack(): void {}
  static blueTrack(): void {}
}
class Layout extends SimpleTrackSet {
  static override setName = 'ro-layout';
  static gridTrack(): void {}
}
class Font extends SimpleTrackSet {
  static override setName = 'ro-font';
  static override weight = 200;
  static serifTrack(): void {}
}
class Experiments extends MultiTrackSet {
  static override setName = 'ro-experiments';
  static override trackSets = [Color, Layout, Font];
}
class Delta extends ParamTrackSet<{ delta: number }> {
  static override setName = 'ro-delta';
  static override params = [-1, 0, 1].map((delta) => ({ delta }));
  static override addControlTrack = false;
  static override controlVariant = 'delta_0';
  static override trackName = (p: { delta: number }): string => `delta_${p.delta}`;
  static override track = (): void => {};
}

const KEYS = Array.from({ length: 4000 }, (_, i) => `user-${i}`);

/** The bucket of a key in a set, as the specification says: murmur3(name + ':' + key) mapped to 10,000. */
function bucket(setName: string, key: string): number {
  return bucketOf(murmur3(`${setName}:${key}`));
}

function tally(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('a paused variant', () => {
  const controls = new MemoryControls({ 'ro-pricing': { paused: ['cheap'] } }, { sets: [Pricing] });
  const before = KEYS.map((key) => assign(Pricing, { key }).name);
  const after = KEYS.map((key) => assign(Pricing, { key, controls }));

  it('takes no new user, and moves no user of another variant', () => {
    expect(after.filter((a) => a.name === 'cheap')).to.have.length(0);
    const moved = KEYS.filter((_k, i) => before[i] !== 'cheap' && after[i]!.name !== before[i]);
    expect(moved).to.deep.equal([]);
    expect(after.every((a) => a.reason === 'hash')).to.equal(true);
  });

  it('splits its range among the open variants in proportion to their ranges, inside the range', () => {
    // cheap owns [5000, 7500): 2,500 buckets, cut by the open ranges (control 5,000, expensive 2,500) at 2500 * 2/3.
    const [start, end] = [5000, 7500];
    const cut = start + Math.round(((end - start) * 5000) / 7500);
    const expected = KEYS.map((key, i) => {
      if (before[i] !== 'cheap') return before[i];
      return bucket('ro-pricing', key) < cut ? 'control' : 'expensive';
    });
    expect(after.map((a) => a.name)).to.deep.equal(expected);
    const wasCheap = before.filter((n) => n === 'cheap').length;
    const toControl = KEYS.filter((_k, i) => before[i] === 'cheap' && after[i]!.name === 'control').length;
    expect(wasCheap).to.be.within(900, 1100);
    // Two thirds of the paused range go to control, whose range is twice expensive's.
    expect(toControl / wasCheap).to.be.within(0.62, 0.71);
    expect(tally(after.map((a) => a.name))).to.deep.equal(tally(expected as string[]));
  });

  it('is refused for an unknown variant, for every variant at once, and when it is no list', () => {
    const memory = new MemoryControls({}, { sets: [Pricing] });
    expect(() => memory.set('ro-pricing', { paused: ['chaep'] })).to.throw(TracksError, 'control paused is invalid: "chaep" (did you mean "cheap"?');
    expect(() => memory.set('ro-pricing', { paused: ['control', 'cheap', 'expensive'] })).to.throw(TracksError, 'leave at least one variant open');
    expect(() => memory.set('ro-pricing', { paused: 'cheap' as unknown as string[] })).to.throw(TracksError, 'expected a list of variant names');
  });
});

describe('a closed member of a MultiTrackSet', () => {
  const before = KEYS.map((key) => assign(Experiments, { key }));
  const members = describeSet(Experiments).members.map((m) => m.buckets!);

  function expectNoOtherMoved(after: ReturnType<typeof assign<typeof Experiments>>[], closed: string): void {
    const moved = KEYS.filter((_k, i) => before[i]!.trackSetName !== closed && after[i]!.trackSetName !== before[i]!.trackSetName);
    expect(moved).to.deep.equal([]);
    const variantMoved = KEYS.filter((_k, i) => before[i]!.trackSetName !== closed && after[i]!.name !== before[i]!.name);
    expect(variantMoved).to.deep.equal([]);
  }

  it('pinned: gives its variant to everyone, takes no new user, and its part goes to the open members by weight', () => {
    const controls = new MemoryControls({ 'ro-color': { pinned: 'blue' } }, { sets: [Experiments] });
    const after = KEYS.map((key) => assign(Experiments, { key, controls }));
    expectNoOtherMoved(after, 'ro-color');
    expect(after.filter((a) => a.trackSetName === 'ro-color')).to.have.length(0);
    expect(KEYS.every((key) => assign(Color, { key, controls }).name === 'blue')).to.equal(true);
    // Color owns [0, 2500) of the multi set's hash; Layout (100) and Font (200) share it 1:2.
    const { start, end } = members[0]!;
    const cut = start + Math.round(((end - start) * 100) / 300);
    const expected = KEYS.map((key, i) => {
      if (before[i]!.trackSetName !== 'ro-color') return before[i]!.trackSetName;
      return bucket('ro-experiments', key) - start < cut ? 'ro-layout' : 'ro-font';
    });
    expect(after.map((a) => a.trackSetName)).to.deep.equal(expected);
    const rerouted = tally(expected.filter((_n, i) => before[i]!.trackSetName === 'ro-color') as string[]);
    expect(rerouted['ro-layout']! + rerouted['ro-font']!).to.be.within(900, 1100);
  });

  it('disabled or paused: takes no new user, and moves no user of another member', () => {
    const cases: Array<Record<string, SetControl>> = [{ 'ro-font': { disabled: true } }, { 'ro-experiments': { paused: ['ro-font'] } }];
    for (const control of cases) {
      const controls = new MemoryControls(control, { sets: [Experiments] });
      const after = KEYS.map((key) => assign(Experiments, { key, controls }));
      expectNoOtherMoved(after, 'ro-font');
      expect(after.filter((a) => a.trackSetName === 'ro-font')).to.have.length(0);
      const fromFont = after.filter((_a, i) => before[i]!.trackSetName === 'ro-font').map((a) => a.trackSetName);
      // Color and Layout weigh the same: Font's half of the hash is cut in two.
      const counts = tally(fromFont as string[]);
      expect(counts['ro-color']! + counts['ro-layout']!).to.equal(before.filter((b) => b.trackSetName === 'ro-font').length);
      expect(counts['ro-color']! / fromFont.length).to.be.within(0.45, 0.55);
    }
  });
});

describe('a MultiTrackSet controlled as a whole', () => {
  it('disabled: nobody gets a member, reason disabled', () => {
    const controls = new MemoryControls({ 'ro-experiments': { disabled: true } }, { sets: [Experiments] });
    const after = KEYS.slice(0, 200).map((key) => assign(Experiments, { key, controls }));
    expect(after.every((a) => a.trackSet === null && a.reason === 'disabled' && a.name === 'control')).to.equal(true);
  });

  it('pinned to <member>:<variant>: everyone gets it, reason pinned, and a bad pair is refused with a did-you-mean', () => {
    const controls = new MemoryControls({ 'ro-experiments': { pinned: 'ro-layout:grid' } }, { sets: [Experiments] });
    const after = KEYS.slice(0, 200).map((key) => assign(Experiments, { key, controls }));
    expect(after.every((a) => a.trackSetName === 'ro-layout' && a.name === 'grid' && a.reason === 'pinned' && a.track?.reason === 'pinned')).to.equal(
      true,
    );
    expect(() => controls.set('ro-experiments', { pinned: 'ro-layout:gird' })).to.throw(TracksError, 'did you mean "ro-layout:grid"?');
    expect(() => controls.set('ro-experiments', { coverage: 0.5 })).to.throw(TracksError, 'a MultiTrackSet takes no coverage');
  });
});

describe('static controlVariant', () => {
  it('names the control of a set without the automatic one, in describeSet', () => {
    const described = describeSet(Delta);
    expect(described.control).to.equal('delta_0');
    expect(described.variants.filter((v) => v.isControl).map((v) => v.name)).to.deep.equal(['delta_0']);
  });

  it('is checked strictly: a variant of the set, and only without the automatic control', () => {
    class Typo extends ParamTrackSet<{ delta: number }> {
      static override setName = 'ro-typo';
      static override params = [0, 1].map((delta) => ({ delta }));
      static override addControlTrack = false;
      static override controlVariant = 'delta_O';
      static override trackName = (p: { delta: number }): string => `delta_${p.delta}`;
      static override track = (): void => {};
    }
    expect(() => describeSet(Typo)).to.throw(
      TracksError,
      'track set "ro-typo": option controlVariant is invalid: "delta_O" (variants: delta_0, delta_1)',
    );
    class WithControl extends SimpleTrackSet {
      static override setName = 'ro-with-control';
      static override controlVariant = 'a';
      static aTrack(): void {}
    }
    expect(() => describeSet(WithControl)).to.throw(TracksError, 'set addControlTrack = false to name another');
    class Misspelt extends SimpleTrackSet {
      static override setName = 'ro-misspelt';
      static controlVarient = 'a';
      static aTrack(): void {}
    }
    expect(() => describeSet(Misspelt)).to.throw(TracksError, 'option controlVarient is unknown: did you mean controlVariant?');
  });
});
