// Eligibility: isEligible over this.context keeps users out of a set (or a MultiTrackSet).
import { expect } from 'chai';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet } from '../../src/index.js';

interface User {
  name: string;
  isVip: boolean;
}
interface Ctx {
  user: User;
}
const ron: Ctx = { user: { name: 'Ron', isVip: true } };
const jerry: Ctx = { user: { name: 'Jerry', isVip: false } };

class VipFreeTracks extends SimpleTrackSet<Ctx> {
  static override setName = 'vip-free';
  static cheapTrack(): string {
    return 'cheap';
  }
  static expensiveTrack(): string {
    return 'expensive';
  }
  override isEligible(): boolean {
    return !this.context.user.isVip;
  }
}

/** Same name and variants as VipFreeTracks, without an isEligible override. */
class OpenTracks extends SimpleTrackSet<Ctx> {
  static override setName = 'vip-free';
  static cheapTrack(): string {
    return 'cheap';
  }
  static expensiveTrack(): string {
    return 'expensive';
  }
}

class NoControlTracks extends ParamTrackSet<{ delta: number }, Ctx> {
  static override setName = 'no-control';
  static override params = [{ delta: -1 }, { delta: 1 }];
  static override addControlTrack = false;
  static override trackName = (p: { delta: number }): string => `delta_${p.delta}`;
  static override track = (p: { delta: number }, price: number): number => price + p.delta;
  override isEligible(): boolean {
    return !this.context.user.isVip;
  }
}

describe('isEligible', () => {
  it('reads whatever the caller passed as this.context', () => {
    const seen: unknown[] = [];
    class Spy extends SimpleTrackSet<Ctx> {
      static override setName = 'spy';
      static aTrack(): void {}
      override isEligible(): boolean {
        seen.push(this.context);
        return true;
      }
    }
    assign(Spy, { key: 'k', context: jerry });
    expect(seen).to.deep.equal([jerry]);
    expect(seen[0]).to.equal(jerry);
  });

  it('gives ineligible users control, reported as ineligible', () => {
    for (let i = 0; i < 50; i++) {
      const a = assign(VipFreeTracks, { key: `user-${i}`, context: ron });
      expect(a.name).to.equal('control');
      expect(a.isEligible).to.equal(false);
      expect(a.reason).to.equal('ineligible');
      expect(a.run()).to.equal(undefined);
    }
  });

  it('gives control behaviour even to a set that has no control variant', () => {
    const a = assign(NoControlTracks, { key: 'user-1', context: ron });
    expect(a.name).to.equal('control');
    expect(a.isEligible).to.equal(false);
    expect(a.run(10)).to.equal(undefined);
    expect(a.maskedName).to.match(/^[0-9a-f]{7}$/);
  });

  it('neither logs an exposure nor gives a run id to an ineligible user', () => {
    const a = assign(VipFreeTracks, { key: 'user-1', context: ron });
    expect(a.isExposure).to.equal(false);
    expect(a.runId).to.equal(null);
    expect(a.toJSON()).to.include({ isEligible: false, reason: 'ineligible', runId: null });
  });

  it('hashes eligible users exactly as a set without isEligible would', () => {
    for (let i = 0; i < 200; i++) {
      const a = assign(VipFreeTracks, { key: `user-${i}`, context: jerry });
      expect(a.isEligible).to.equal(true);
      expect(a.reason).to.equal('hash');
      expect(a.name).to.equal(assign(OpenTracks, { key: `user-${i}`, context: jerry }).name);
    }
  });

  it('counts only a true answer as eligible', () => {
    class Truthy extends SimpleTrackSet {
      static override setName = 'truthy';
      static aTrack(): void {}
      override isEligible(): boolean {
        return 1 as unknown as boolean;
      }
    }
    expect(assign(Truthy, { key: 'k' }).isEligible).to.equal(false);
  });

  it('builds no instance for a set that keeps the default isEligible', () => {
    let built = 0;
    class Counted extends SimpleTrackSet {
      static override setName = 'counted';
      static aTrack(): void {}
      constructor(context: unknown) {
        super(context);
        built++;
      }
    }
    for (let i = 0; i < 10; i++) assign(Counted, { key: i });
    expect(built).to.equal(0);
  });

  it('builds one instance per assignment for a set that overrides isEligible', () => {
    let built = 0;
    class Counted extends SimpleTrackSet {
      static override setName = 'counted-eligible';
      static aTrack(): void {}
      constructor(context: unknown) {
        super(context);
        built++;
      }
      override isEligible(): boolean {
        return true;
      }
    }
    for (let i = 0; i < 10; i++) assign(Counted, { key: i });
    expect(built).to.equal(10);
  });

  describe('when it throws', () => {
    class Broken extends SimpleTrackSet {
      static override setName = 'broken';
      static aTrack(): string {
        return 'a';
      }
      override isEligible(): boolean {
        throw new Error('database down');
      }
    }

    it('lets the error propagate without onError', () => {
      expect(() => assign(Broken, { key: 'k' })).to.throw('database down');
    });

    it('gives control with reason error and reports to onError', () => {
      const errors: [unknown, string][] = [];
      const a = assign(Broken, { key: 'k', onError: (error, setName) => errors.push([error, setName]) });
      expect(a.name).to.equal('control');
      expect(a.reason).to.equal('error');
      expect(a.isEligible).to.equal(false);
      expect(a.isExposure).to.equal(false);
      expect(a.run()).to.equal(undefined);
      expect(errors).to.have.length(1);
      expect((errors[0]![0] as Error).message).to.equal('database down');
      expect(errors[0]![1]).to.equal('broken');
    });
  });
});

describe('MultiTrackSet eligibility', () => {
  class Pricing extends SimpleTrackSet<Ctx> {
    static override setName = 'pricing';
    static cheapTrack(): string {
      return 'cheap';
    }
    override isEligible(): boolean {
      return !this.context.user.isVip;
    }
  }
  class Names extends SimpleTrackSet<Ctx> {
    static override setName = 'super_name';
    static changedNameTrack(): string {
      return 'changed';
    }
    override isEligible(): boolean {
      return this.context.user.name !== 'Jerry';
    }
  }
  class Experiments extends MultiTrackSet {
    static override trackSets = [Pricing, Names];
  }

  it('chooses only among the sets the user is eligible for', () => {
    for (let i = 0; i < 200; i++) {
      expect(assign(Experiments, { key: `user-${i}`, context: jerry }).trackSetName).to.equal('pricing');
      expect(assign(Experiments, { key: `user-${i}`, context: ron }).trackSetName).to.equal('super_name');
    }
  });

  it('is ineligible and runs nothing when the user is eligible for no set', () => {
    const nobody: Ctx = { user: { name: 'Jerry', isVip: true } };
    const m = assign(Experiments, { key: 'user-1', context: nobody });
    expect(m.isEligible).to.equal(false);
    expect(m.trackSet).to.equal(null);
    expect(m.track).to.equal(null);
    expect(m.trackSetName).to.equal(null);
    expect(m.name).to.equal('control');
    expect(m.reason).to.equal('ineligible');
    expect(m.runId).to.equal(null);
    expect(m.run()).to.equal(undefined);
  });

  it('treats a member whose isEligible throws as ineligible, when onError is given', () => {
    class Broken extends SimpleTrackSet {
      static override setName = 'broken';
      static aTrack(): void {}
      override isEligible(): boolean {
        throw new Error('boom');
      }
    }
    class WithBroken extends MultiTrackSet {
      static override trackSets = [Broken, Pricing];
    }
    const errors: string[] = [];
    for (let i = 0; i < 50; i++) {
      const m = assign(WithBroken, { key: `user-${i}`, context: jerry, onError: (_e, setName) => errors.push(setName) });
      expect(m.trackSetName).to.equal('pricing');
    }
    expect(errors).to.have.length(50);
    expect(new Set(errors)).to.deep.equal(new Set(['broken']));
    const none = assign(WithBroken, { key: 'user-1', context: ron, onError: () => {} });
    expect(none.isEligible).to.equal(false);
    expect(none.reason).to.equal('error');
  });
});
