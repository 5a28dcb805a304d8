// The set-level rules around the hash: disabled (kill switch), pinned (rollout) and coverage.
import { expect } from 'chai';
import { assign, SimpleTrackSet } from '../../src/index.js';

const KEYS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

class Banner extends SimpleTrackSet {
  static override setName = 'banner';
  static blueTrack(): string {
    return 'blue';
  }
  static greenTrack(): string {
    return 'green';
  }
}

describe('disabled', () => {
  class Disabled extends Banner {
    static override setName = 'banner';
    static override disabled = true;
  }

  it('gives everyone control, logged as nothing', () => {
    for (const key of [...KEYS.slice(0, 200), null]) {
      const a = assign(Disabled, { key });
      expect(a.name).to.equal('control');
      expect(a.reason).to.equal('disabled');
      expect(a.isExposure).to.equal(false);
      expect(a.run()).to.equal(undefined);
    }
  });

  it('gives control even to a set without a control variant', () => {
    class NoControl extends SimpleTrackSet {
      static override setName = 'no-control';
      static override addControlTrack = false;
      static override disabled = true;
      static aTrack(): string {
        return 'a';
      }
    }
    const a = assign(NoControl, { key: 'k' });
    expect(a.name).to.equal('control');
    expect(a.run()).to.equal(undefined);
  });

  it('does not ask isEligible: the kill switch applies to everyone', () => {
    let asked = 0;
    class Watched extends Disabled {
      static override setName = 'watched-disabled';
      override isEligible(): boolean {
        asked++;
        return false;
      }
    }
    expect(assign(Watched, { key: 'k' }).reason).to.equal('disabled');
    expect(asked).to.equal(0);
  });
});

describe('pinned', () => {
  class Pinned extends Banner {
    static override setName = 'banner';
    static override pinned = 'green';
  }

  it('gives everyone the pinned variant, logged as nothing', () => {
    for (const key of [...KEYS.slice(0, 200), null]) {
      const a = assign(Pinned, { key });
      expect(a.name).to.equal('green');
      expect(a.reason).to.equal('pinned');
      expect(a.isExposure).to.equal(false);
      expect(a.run()).to.equal('green');
    }
  });

  it('yields to disabled', () => {
    class Both extends Pinned {
      static override setName = 'banner';
      static override disabled = true;
    }
    expect(assign(Both, { key: 'k' }).reason).to.equal('disabled');
  });
});

describe('coverage', () => {
  const atCoverage = (coverage: number): typeof Banner => {
    return class extends Banner {
      static override setName = 'banner';
      static override coverage = coverage;
    };
  };

  it('gives the uncovered users control, with reason coverage and no exposure', () => {
    const half = atCoverage(0.5);
    const reasons = new Map<string, number>();
    for (const key of KEYS) {
      const a = assign(half, { key });
      reasons.set(a.reason, (reasons.get(a.reason) ?? 0) + 1);
      if (a.reason === 'coverage') {
        expect(a.name).to.equal('control');
        expect(a.isEligible).to.equal(true);
        expect(a.isExposure).to.equal(false);
      }
    }
    expect(reasons.get('coverage')).to.be.within(900, 1100);
    expect(reasons.get('hash')).to.be.within(900, 1100);
  });

  it('keeps every covered user in the variant they have at full coverage', () => {
    const full = atCoverage(1);
    for (const coverage of [0.05, 0.3, 0.5, 0.99]) {
      const partial = atCoverage(coverage);
      for (const key of KEYS) {
        const a = assign(partial, { key });
        if (a.reason === 'hash') expect(a.name, `${key} at ${coverage}`).to.equal(assign(full, { key }).name);
      }
    }
  });

  it('only adds users as coverage rises', () => {
    const levels = [0.1, 0.2, 0.5, 0.8, 1].map(atCoverage);
    for (const key of KEYS) {
      let wasIn = false;
      for (const set of levels) {
        const isIn = assign(set, { key }).reason === 'hash';
        if (wasIn) expect(isIn, key).to.equal(true);
        wasIn = isIn;
      }
    }
  });

  it('puts nobody in the test at coverage 0', () => {
    const none = atCoverage(0);
    for (const key of KEYS.slice(0, 300)) expect(assign(none, { key }).reason).to.equal('coverage');
  });
});
