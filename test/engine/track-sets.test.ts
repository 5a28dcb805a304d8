// SimpleTrackSet and ParamTrackSet: variant discovery, order, running variants, names and run ids.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Assignment, assign, murmur3, ParamTrackSet, SimpleTrackSet, variantsOf, type Reason } from '../../src/index.js';
import { compileTrackSet } from '../../src/engine/compile.js';
import { warningsDuring } from '../support/warnings.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Coconut {
  name: string;
  price: number;
}
const coconuts = (): Coconut[] => [
  { name: 'Cpt. Coco', price: 50 },
  { name: 'Lt. Coco', price: 20 },
];

class PricingTracks extends SimpleTrackSet {
  static override setName = 'pricing';
  static expensiveTrack(items: Coconut[]): Coconut[] {
    for (const c of items) c.price += 1;
    return items;
  }
  static cheapTrack(items: Coconut[]): Coconut[] {
    for (const c of items) c.price -= 1;
    return items;
  }
}

/** The first key (user-0, user-1…) that gets `variant` in `set`. */
function keyFor(set: Parameters<typeof assign>[0], variant: string): string {
  for (let i = 0; i < 10_000; i++) {
    const a = assign(set, { key: `user-${i}` }) as { name: string };
    if (a.name === variant) return `user-${i}`;
  }
  throw new Error(`no key gets ${variant}`);
}

describe('SimpleTrackSet', () => {
  it('makes a variant of every static method named <variant>Track or <variant>_track', () => {
    class Mixed extends SimpleTrackSet {
      static override setName = 'mixed';
      static fastTrack(): string {
        return 'fast';
      }
      static slow_track(): string {
        return 'slow';
      }
    }
    expect(variantsOf(Mixed)).to.deep.equal(['control', 'fast', 'slow']);
  });

  it('ignores helper methods, and statics named with a leading _ even when they end in Track', () => {
    class Noisy extends SimpleTrackSet {
      static override setName = 'noisy';
      static _soundTrack = 'not a function';
      static helper(): number {
        return 1;
      }
      static trackless(): number {
        return 2;
      }
      static realTrack(): string {
        return 'real';
      }
    }
    expect(variantsOf(Noisy)).to.deep.equal(['control', 'real']);
  });

  it('puts control first, then the other variants sorted by name', () => {
    class Unsorted extends SimpleTrackSet {
      static override setName = 'unsorted';
      static zebraTrack(): void {}
      static alphaTrack(): void {}
      static mikeTrack(): void {}
      static a_bTrack(): void {}
    }
    expect(variantsOf(Unsorted)).to.deep.equal(['control', 'a_b', 'alpha', 'mike', 'zebra']);
    expect(variantsOf(PricingTracks)).to.deep.equal(['control', 'cheap', 'expensive']);
  });

  it('has no control variant when addControlTrack is false', () => {
    class NoControl extends SimpleTrackSet {
      static override setName = 'no-control';
      static override addControlTrack = false;
      static bTrack(): void {}
      static aTrack(): void {}
    }
    expect(variantsOf(NoControl)).to.deep.equal(['a', 'b']);
  });

  it("inherits a parent set's variants, and a subclass's method replaces its parent's", () => {
    class Base extends SimpleTrackSet {
      static override setName = 'base';
      static sharedTrack(): string {
        return 'base shared';
      }
      static baseOnlyTrack(): string {
        return 'base only';
      }
    }
    class Child extends Base {
      static override setName = 'child';
      static override sharedTrack(): string {
        return 'child shared';
      }
      static childOnlyTrack(): string {
        return 'child only';
      }
    }
    expect(variantsOf(Child)).to.deep.equal(['control', 'baseOnly', 'childOnly', 'shared']);
    expect(variantsOf(Base)).to.deep.equal(['control', 'baseOnly', 'shared']);
    expect(assign(Child, { key: keyFor(Child, 'shared') }).run()).to.equal('child shared');
    expect(assign(Child, { key: keyFor(Child, 'baseOnly') }).run()).to.equal('base only');
  });

  it('defaults the set name to the class name (and warns that a minifier could rename it)', async () => {
    class CheckoutTracks extends SimpleTrackSet {
      static onePageTrack(): void {}
    }
    const warnings = await warningsDuring(() => expect(assign(CheckoutTracks, { key: 1 }).setName).to.equal('CheckoutTracks'));
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).to.deep.equal(['TRACKS_AB_NO_SET_NAME']);
  });

  it("does not inherit a parent's set name, so two sets never share a salt", async () => {
    class Parent extends SimpleTrackSet {
      static override setName = 'parent';
      static aTrack(): void {}
    }
    class Kid extends Parent {}
    const warnings = await warningsDuring(() => expect(assign(Kid, { key: 1 }).setName).to.equal('Kid'));
    expect(warnings).to.have.length(1);
  });

  it('runs the chosen variant with the caller arguments and returns its result', () => {
    const cheap = assign(PricingTracks, { key: keyFor(PricingTracks, 'cheap') });
    expect(cheap.run(coconuts())!.map((c) => c.price)).to.deep.equal([49, 19]);
    const expensive = assign(PricingTracks, { key: keyFor(PricingTracks, 'expensive') });
    expect(expensive.run(coconuts())!.map((c) => c.price)).to.deep.equal([51, 21]);
  });

  it('runs nothing for control', () => {
    const items = coconuts();
    const control = assign(PricingTracks, { key: keyFor(PricingTracks, 'control') });
    expect(control.run(items)).to.equal(undefined);
    expect(items.map((c) => c.price)).to.deep.equal([50, 20]);
  });

  it('calls a variant with the set class as this', () => {
    class Greeting extends SimpleTrackSet {
      static override setName = 'greeting';
      static override addControlTrack = false;
      static _prefix = 'Hello';
      static formalTrack(name: string): string {
        return `${this._prefix}, ${name}`;
      }
    }
    expect(assign(Greeting, { key: 'x' }).run('Ron')).to.equal('Hello, Ron');
  });

  it('returns the promise of an async variant, for the caller to await', async () => {
    const log: string[] = [];
    class SlowTracks extends SimpleTrackSet {
      static override setName = 'slow';
      static override addControlTrack = false;
      static async waitTrack(ms: number): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push('waited');
        return 'done';
      }
    }
    const pending = assign(SlowTracks, { key: 'u' }).run(5);
    expect(log).to.deep.equal([]);
    expect(await pending).to.equal('done');
    expect(log).to.deep.equal(['waited']);
  });
});

describe('ParamTrackSet', () => {
  class PriceDelta extends ParamTrackSet<{ delta: number }> {
    static override setName = 'price_delta';
    static override params = [2, -2, 0, 1, -1].map((delta) => ({ delta }));
    static override addControlTrack = false;
    static override trackName = (p: { delta: number }): string => `price_adjusted_by_${p.delta}`;
    static override track = (p: { delta: number }, items: Coconut[]): number[] => items.map((c) => c.price + p.delta);
  }

  it('makes one variant per params entry, named by trackName, in list order', () => {
    expect(variantsOf(PriceDelta)).to.deep.equal([
      'price_adjusted_by_2',
      'price_adjusted_by_-2',
      'price_adjusted_by_0',
      'price_adjusted_by_1',
      'price_adjusted_by_-1',
    ]);
  });

  it('puts control first when addControlTrack is true', () => {
    class WithControl extends ParamTrackSet<{ n: number }> {
      static override setName = 'with-control';
      static override params = [{ n: 2 }, { n: 1 }];
      static override trackName = (p: { n: number }): string => `n${p.n}`;
      static override track = (p: { n: number }): number => p.n;
    }
    expect(variantsOf(WithControl)).to.deep.equal(['control', 'n2', 'n1']);
  });

  it("calls track with the variant's params, then the caller's arguments", () => {
    for (const delta of [-2, -1, 0, 1, 2]) {
      const a = assign(PriceDelta, { key: keyFor(PriceDelta, `price_adjusted_by_${delta}`) });
      expect(a.run(coconuts())).to.deep.equal([50 + delta, 20 + delta]);
    }
  });
});

describe('masked names', () => {
  it('are the first 7 hex digits of the zero-padded MurmurHash3 of the name', () => {
    const a = assign(PricingTracks, { key: keyFor(PricingTracks, 'cheap') });
    expect(a.maskedSetName).to.equal(murmur3('pricing').toString(16).padStart(8, '0').slice(0, 7));
    expect(a.maskedName).to.equal(murmur3('cheap').toString(16).padStart(8, '0').slice(0, 7));
    expect(a.maskedName).to.match(/^[0-9a-f]{7}$/);
    // murmur3('expensive') is 0x0b4fc98d: the leading zero is kept.
    expect(assign(PricingTracks, { key: keyFor(PricingTracks, 'expensive') }).maskedName).to.equal('0b4fc98');
  });

  it("are md5's first 7 hex digits in python mode, as tracks 0.1.x", () => {
    class PythonPricing extends SimpleTrackSet {
      static override setName = 'pricing';
      static override algorithm = 'python' as const;
      static cheapTrack(): void {}
    }
    const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex').slice(0, 7);
    const a = assign(PythonPricing, { key: keyFor(PythonPricing, 'cheap') });
    expect(a.maskedSetName).to.equal(md5('pricing'));
    expect(a.maskedName).to.equal(md5('cheap'));
  });
});

describe('run ids', () => {
  it('gives each eligible assignment a fresh UUID', () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 100; i++) ids.add(assign(PricingTracks, { key: 'same-user' }).runId);
    expect(ids.size).to.equal(100);
    for (const id of ids) expect(id).to.match(UUID);
  });

  it('keeps the same id for every read of one assignment', () => {
    const a = assign(PricingTracks, { key: 'user-1' });
    expect(a.runId).to.equal(a.runId);
    expect(a.toJSON().runId).to.equal(a.runId);
  });

  it('is null for an ineligible user', () => {
    class Nobody extends SimpleTrackSet {
      static override setName = 'nobody';
      static aTrack(): void {}
      override isEligible(): boolean {
        return false;
      }
    }
    expect(assign(Nobody, { key: 'user-1' }).runId).to.equal(null);
  });
});

describe('Assignment', () => {
  it('counts as an exposure only when the user was really put in the test', () => {
    const set = compileTrackSet(PricingTracks);
    const exposure = (reason: Reason): boolean => new Assignment(set, set.variants[1]!, reason, true, 'k').isExposure;
    expect(exposure('hash')).to.equal(true);
    expect(exposure('random')).to.equal(true);
    expect(exposure('sticky')).to.equal(true);
    for (const reason of ['forced', 'ineligible', 'coverage', 'disabled', 'pinned', 'bot', 'excluded', 'error'] as const) {
      expect(exposure(reason), reason).to.equal(false);
    }
    expect(assign(PricingTracks, { key: 'user-1' }).isExposure).to.equal(true);
    expect(assign(PricingTracks).isExposure).to.equal(true);
  });

  it('gives the same variant to the same key, every time', () => {
    for (let i = 0; i < 100; i++) {
      expect(assign(PricingTracks, { key: `user-${i}` }).name).to.equal(assign(PricingTracks, { key: `user-${i}` }).name);
    }
  });

  it('serialises to a plain record for logs', () => {
    const a = assign(PricingTracks, { key: keyFor(PricingTracks, 'cheap') });
    expect(a.toJSON()).to.deep.equal({
      setName: 'pricing',
      name: 'cheap',
      isEligible: true,
      reason: 'hash',
      runId: a.runId,
      maskedSetName: a.maskedSetName,
      maskedName: a.maskedName,
    });
    expect(JSON.parse(JSON.stringify(a))).to.deep.equal(a.toJSON());
  });

  it('carries the serialised key it was derived from', () => {
    expect(assign(PricingTracks, { key: 42 }).key).to.equal('42');
    expect(assign(PricingTracks, { key: { b: 1, a: 2 } }).key).to.equal('{"a":2,"b":1}');
  });
});
