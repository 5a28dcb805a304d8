// Python mode reproduces tracks 0.1.x; the 0.1.x integration tests, ported, pass in both modes.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet, variantsOf, type Algorithm, type TrackSetClass } from '../../src/index.js';
import { compile } from '../../src/engine/compile.js';
import { keyOf, makeMulti, makeSet, type FixtureKey } from '../support/sets.js';
import { seededRandom } from '../support/random.js';

interface FixtureSet {
  name: string;
  kind: 'simple' | 'param';
  variants: string[];
  addControlTrack: boolean;
  weight: number;
  order: string[];
  cases: { key: FixtureKey; variant: string }[];
}
interface FixtureMulti {
  name: string;
  sets: string[];
  ineligible: string[];
  cases: { key: FixtureKey; set: string; variant: string }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'python-compat.json'), 'utf8')) as {
  sets: FixtureSet[];
  multi: FixtureMulti[];
  masked: { name: string; masked: string }[];
};

function pythonSet(s: FixtureSet, eligible?: boolean): TrackSetClass {
  // Python methods are `<variant>_track`: declare them that way.
  return makeSet({ ...s, suffix: '_track', algorithm: 'python', eligible });
}

describe('python mode: tracks 0.1.x vectors', () => {
  for (const s of fixture.sets) {
    describe(`${s.kind} set "${s.name}"`, () => {
      const cls = pythonSet(s);

      it('orders variants as 0.1.x did', () => {
        expect(variantsOf(cls)).to.deep.equal(s.order);
      });

      it(`gives each of ${s.cases.length} string and integer keys its 0.1.x variant`, () => {
        for (const c of s.cases) {
          const a = assign(cls, { key: keyOf(c.key) });
          expect(a.name, `key ${JSON.stringify(c.key)}`).to.equal(c.variant);
          expect(a.reason).to.equal('hash');
        }
      });
    });
  }

  it("orders a simple set by method name '<variant>_track', which differs from the name order", () => {
    const ordering = fixture.sets.find((s) => s.name === 'ordering')!;
    expect(variantsOf(pythonSet(ordering))).to.deep.equal(['a0', 'aB', 'a_b', 'a', 'b']);
    expect(variantsOf(makeSet({ ...ordering, algorithm: 'v1' }))).to.deep.equal(['a', 'a0', 'aB', 'a_b', 'b']);
  });

  for (const m of fixture.multi) {
    const label = m.ineligible.length ? `${m.name} with ${m.ineligible.join(', ')} ineligible` : m.name;
    it(`picks the 0.1.x set and variant in MultiTrackSet ${label}`, () => {
      const members = m.sets.map((name) => {
        const s = fixture.sets.find((x) => x.name === name)!;
        return pythonSet(s, !m.ineligible.includes(name));
      });
      const multi = makeMulti(members, { algorithm: 'python' });
      for (const c of m.cases) {
        const a = assign(multi, { key: keyOf(c.key) });
        expect(a.setName).to.equal(m.name);
        expect(a.trackSetName, `key ${JSON.stringify(c.key)}`).to.equal(c.set);
        expect(a.name, `key ${JSON.stringify(c.key)}`).to.equal(c.variant);
      }
    });
  }

  it('masks names with the first 7 hex digits of md5', () => {
    const masks = new Map(fixture.masked.map((x) => [x.name, x.masked]));
    for (const s of fixture.sets) {
      const compiled = compile(pythonSet(s));
      if (compiled.kind !== 'set') throw new Error('expected a set');
      expect(compiled.masked, s.name).to.equal(masks.get(s.name));
      for (const v of compiled.variants) expect(v.masked, v.name).to.equal(masks.get(v.name));
    }
    for (const m of fixture.multi) {
      const members = m.sets.map((name) => pythonSet(fixture.sets.find((x) => x.name === name)!));
      expect(compile(makeMulti(members, { algorithm: 'python' })).masked).to.equal(masks.get(m.name));
    }
  });
});

// The integration tests of tracks 0.1.x, ported: each runs with the 'v1' default and with 'python'.
interface Coconut {
  name: string;
  price: number;
}
interface User {
  name: string;
  isVip: boolean;
}
interface Ctx {
  user: User;
}
const coconuts = (): Coconut[] => [
  { name: 'Cpt. Coco', price: 50 },
  { name: 'Lt. Coco', price: 20 },
];
const prices = (items: Coconut[]): number[] => items.map((c) => c.price);
const names = (items: Coconut[]): string[] => items.map((c) => c.name);

function pricingTracks(algorithm: Algorithm, withVips = false) {
  return class PricingTracks extends SimpleTrackSet<Ctx> {
    static override setName = 'pricing';
    static override algorithm = algorithm;
    static expensive_track(items: Coconut[]): void {
      for (const c of items) c.price += 1;
    }
    static cheap_track(items: Coconut[]): void {
      for (const c of items) c.price -= 1;
    }
    override isEligible(): boolean {
      return !(withVips && this.context.user.isVip);
    }
  };
}

function superNameTracks(algorithm: Algorithm, withVips = false) {
  return class SuperNameTracks extends SimpleTrackSet<Ctx> {
    static override setName = 'super_name';
    static override algorithm = algorithm;
    static changed_name_track(items: Coconut[]): void {
      for (const c of items) c.name = `Super ${c.name}`;
    }
    override isEligible(): boolean {
      return !(withVips && this.context.user.isVip);
    }
  };
}

function paramPricingTracks(algorithm: Algorithm) {
  return class ParamPricingTracks extends ParamTrackSet<{ priceDelta: number }> {
    static override setName = 'param_pricing';
    static override algorithm = algorithm;
    static override params = [-2, -1, 0, 1, 2].map((priceDelta) => ({ priceDelta }));
    static override addControlTrack = false;
    static override trackName = (p: { priceDelta: number }): string => `price_adjusted_by_${p.priceDelta}`;
    static override track = (p: { priceDelta: number }, items: Coconut[]): void => {
      for (const c of items) c.price += p.priceDelta;
    };
  };
}

const jerry: Ctx = { user: { name: 'Jerry', isVip: false } };
const ron: Ctx = { user: { name: 'Ron', isVip: true } };
const PRICE_OF: Record<string, number[]> = { control: [50, 20], cheap: [49, 19], expensive: [51, 21] };

for (const algorithm of ['v1', 'python'] as const) {
  describe(`tracks 0.1.x integration scenarios (algorithm ${algorithm})`, () => {
    const Pricing = pricingTracks(algorithm);

    it('pricing: 1000 visitors without a key see control, cheap and expensive at the right prices', () => {
      const seen = new Map<string, number[]>();
      for (let i = 0; i < 1000; i++) {
        const items = coconuts();
        const a = assign(Pricing);
        a.run(items);
        seen.set(a.name, prices(items));
        expect(prices(items)).to.deep.equal(PRICE_OF[a.name]);
      }
      expect([...seen.keys()].sort()).to.deep.equal(['cheap', 'control', 'expensive']);
    });

    it('param pricing: all five price deltas are seen, with the right prices', () => {
      const Params = paramPricingTracks(algorithm);
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const items = coconuts();
        const a = assign(Params);
        a.run(items);
        const delta = Number(a.name.slice('price_adjusted_by_'.length));
        expect(prices(items)).to.deep.equal([50 + delta, 20 + delta]);
        seen.add(a.name);
      }
      expect(seen.size).to.equal(5);
    });

    it('keys: each of users 0..10 always sees the same prices over 1000 visits', () => {
      const random = seededRandom(2024);
      const first = new Map<number, number[]>();
      for (let i = 0; i < 1000; i++) {
        const userId = Math.floor(random() * 11);
        const items = coconuts();
        assign(Pricing, { key: userId }).run(items);
        const seenBefore = first.get(userId);
        if (seenBefore) expect(prices(items), `user ${userId}`).to.deep.equal(seenBefore);
        else first.set(userId, prices(items));
      }
      expect(first.size).to.equal(11);
    });

    it('VIPs: Ron (a VIP) is never in the test and keeps the prices; Jerry sees all three', () => {
      const VipPricing = pricingTracks(algorithm, true);
      const jerrySaw = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const items = coconuts();
        const a = assign(VipPricing, { context: ron });
        a.run(items);
        expect(a.isEligible).to.equal(false);
        expect(prices(items)).to.deep.equal([50, 20]);
        const forJerry = assign(VipPricing, { context: jerry });
        expect(forJerry.isEligible).to.equal(true);
        jerrySaw.add(forJerry.name);
      }
      expect(jerrySaw.size).to.equal(3);
    });

    it('multi: pricing and super_name together show all five (set, variant) pairs with their effects', () => {
      const Multi = makeMulti([Pricing, superNameTracks(algorithm)], { algorithm });
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const items = coconuts();
        const m = assign(Multi);
        m.run(items);
        seen.add(`${m.trackSetName}:${m.name}`);
        if (m.trackSetName === 'pricing') {
          expect(prices(items)).to.deep.equal(PRICE_OF[m.name]);
          expect(names(items)).to.deep.equal(['Cpt. Coco', 'Lt. Coco']);
        } else {
          expect(prices(items)).to.deep.equal([50, 20]);
          const expected = m.name === 'changed_name' ? ['Super Cpt. Coco', 'Super Lt. Coco'] : ['Cpt. Coco', 'Lt. Coco'];
          expect(names(items)).to.deep.equal(expected);
        }
      }
      expect([...seen].sort()).to.deep.equal([
        'pricing:cheap',
        'pricing:control',
        'pricing:expensive',
        'super_name:changed_name',
        'super_name:control',
      ]);
    });

    it('multi weights: pricing at weight 9 and super_name at 1 share 1000 fixed users about 9:1', () => {
      const Heavy = class extends pricingTracks(algorithm) {
        static override setName = 'pricing';
        static override weight = 9;
      };
      const Light = class extends superNameTracks(algorithm) {
        static override setName = 'super_name';
        static override weight = 1;
      };
      class Weighted extends MultiTrackSet {
        static override algorithm = algorithm;
        static override trackSets = [Heavy, Light];
      }
      const counts = { pricing: 0, super_name: 0 } as Record<string, number>;
      for (let i = 0; i < 1000; i++) counts[assign(Weighted, { key: `user-${i}` }).trackSetName!]! += 1;
      expect(counts.pricing).to.be.within(850, 950);
      expect(counts.super_name).to.be.within(50, 150);
    });

    it('multi with VIPs: a VIP is in neither set and nothing changes', () => {
      const Multi = makeMulti([pricingTracks(algorithm, true), superNameTracks(algorithm, true)], { algorithm });
      for (let i = 0; i < 200; i++) {
        const items = coconuts();
        const m = assign(Multi, { key: `user-${i}`, context: ron });
        m.run(items);
        expect(m.isEligible).to.equal(false);
        expect(m.trackSet).to.equal(null);
        expect(prices(items)).to.deep.equal([50, 20]);
        expect(names(items)).to.deep.equal(['Cpt. Coco', 'Lt. Coco']);
      }
      expect(assign(Multi, { key: 'user-1', context: jerry }).isEligible).to.equal(true);
    });
  });
}
