// MultiTrackSet: mutual exclusion of sets, chosen by weight and key with the multi set's own salt.
import { expect } from 'chai';
import { assign, bucketOf, murmur3, MultiTrackSet, SimpleTrackSet } from '../../src/index.js';

class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static override weight = 1000;
  static cheapTrack(price: number): number {
    return price - 1;
  }
  static expensiveTrack(price: number): number {
    return price + 1;
  }
}
class SuperName extends SimpleTrackSet {
  static override setName = 'super_name';
  static changedNameTrack(name: string): string {
    return `Super ${name}`;
  }
}
class Experiments extends MultiTrackSet {
  static override trackSets = [Pricing, SuperName];
}
class Named extends MultiTrackSet {
  static override setName = 'experiments';
  static override trackSets = [Pricing, SuperName];
}

const KEYS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

describe('MultiTrackSet', () => {
  it("serialises to a plain record for logs, with the chosen set's assignment", () => {
    const m = assign(Experiments, { key: 'user-3' });
    const record = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
    expect(record).to.deep.equal({ setName: m.setName, trackSetName: m.trackSetName, reason: 'hash', track: m.track!.toJSON() });
    const none = assign(Experiments, { key: 'user-3', context: undefined }).toJSON();
    expect(Object.keys(none)).to.deep.equal(['setName', 'trackSetName', 'reason', 'track']);
  });

  it("is named by its sets' names joined by '/', unless it has its own name", () => {
    expect(assign(Experiments, { key: 'k' }).setName).to.equal('pricing/super_name');
    expect(assign(Named, { key: 'k' }).setName).to.equal('experiments');
  });

  it('exposes the chosen set class and its assignment', () => {
    const m = assign(Experiments, { key: 'user-1' });
    expect(m.isEligible).to.equal(true);
    expect([Pricing, SuperName]).to.include(m.trackSet);
    expect(m.trackSetName).to.equal(m.track!.setName);
    expect(m.name).to.equal(m.track!.name);
    expect(m.runId).to.equal(m.track!.runId);
    expect(m.reason).to.equal('hash');
  });

  it('assigns the variant inside the chosen set with that set’s own salt', () => {
    for (const key of KEYS.slice(0, 300)) {
      const m = assign(Experiments, { key });
      const direct = m.trackSet === Pricing ? assign(Pricing, { key }) : assign(SuperName, { key });
      expect(m.name, key).to.equal(direct.name);
      expect(m.track!.reason).to.equal('hash');
    }
  });

  it('chooses the set from the bucket of its own name and the key, by cumulative weight', () => {
    // pricing weighs 1000 and super_name 100: pricing owns buckets [0, 9091), super_name the rest.
    for (const key of KEYS.slice(0, 500)) {
      const bucket = bucketOf(murmur3(`pricing/super_name:${key}`));
      expect(assign(Experiments, { key }).trackSetName, key).to.equal(bucket < 9091 ? 'pricing' : 'super_name');
    }
  });

  it('chooses independently of the member sets’ own assignment', () => {
    const counts = new Map<string, number>();
    for (const key of KEYS) {
      const m = assign(Experiments, { key });
      const label = `${m.trackSetName}:${assign(Pricing, { key }).name}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    // Among users of either set, each pricing variant keeps about a third.
    for (const set of ['pricing', 'super_name']) {
      const total = ['control', 'cheap', 'expensive'].reduce((sum, v) => sum + (counts.get(`${set}:${v}`) ?? 0), 0);
      for (const v of ['control', 'cheap', 'expensive']) {
        expect((counts.get(`${set}:${v}`) ?? 0) / total, `${set}:${v}`).to.be.within(0.25, 0.42);
      }
    }
  });

  it('runs the chosen variant with the caller arguments', () => {
    let sawPricing = false;
    let sawName = false;
    for (const key of KEYS) {
      const m = assign(Experiments, { key });
      if (m.trackSet === Pricing && m.name === 'cheap') {
        expect(m.run(50)).to.equal(49);
        sawPricing = true;
      }
      if (m.trackSet === SuperName && m.name === 'changedName') {
        expect(m.run('Coco')).to.equal('Super Coco');
        sawName = true;
      }
    }
    expect(sawPricing && sawName).to.equal(true);
  });

  it('chooses at random, reason random, without a key', () => {
    const sets = new Set<string | null>();
    for (let i = 0; i < 300; i++) {
      const m = assign(Experiments);
      expect(m.reason).to.equal('random');
      expect(m.track!.reason).to.equal('random');
      sets.add(m.trackSetName);
    }
    expect(sets).to.deep.equal(new Set(['pricing', 'super_name']));
  });

  it('applies the chosen set’s own rules (coverage, disabled)', () => {
    class Off extends SimpleTrackSet {
      static override setName = 'off';
      static override disabled = true;
      static aTrack(): void {}
    }
    class WithOff extends MultiTrackSet {
      static override trackSets = [Off];
    }
    const m = assign(WithOff, { key: 'k' });
    expect(m.trackSetName).to.equal('off');
    expect(m.name).to.equal('control');
    expect(m.track!.reason).to.equal('disabled');
  });
});
