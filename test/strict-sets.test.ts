// Strict set classes: a misspelt option, a misnamed variant or a control-only set is refused at registration.
import { expect } from 'chai';
import { warningsDuring } from './support/warnings.js';
import { tracks as expressTracks } from '../adapters/express.js';
import { compile } from '../src/engine/compile.js';
import { closestName, editDistance } from '../src/engine/did-you-mean.js';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet, TracksError, variantsOf, type AnySetClass } from '../src/index.js';

type Kind = 'simple' | 'param' | 'multi';

class Member extends SimpleTrackSet {
  static override setName = 'member';
  static aTrack(): void {}
}

/** A value each option might be given, so a misspelt static carries what the user meant. */
const MEANT: Record<string, unknown> = {
  setName: 'checkout',
  weight: 1000,
  addControlTrack: false,
  weights: { control: 1, a: 1, b: 2 },
  coverage: 0.5,
  disabled: true,
  pinned: 'a',
  algorithm: 'python',
  params: [{ n: 1 }, { n: 2 }],
  trackName: (p: { n: number }) => `n${p.n}`,
  track: () => 'ran',
  trackSets: [Member],
};

const SET_OPTIONS = ['setName', 'weight', 'addControlTrack', 'weights', 'coverage', 'disabled', 'pinned', 'algorithm'];
const OPTIONS: Record<Kind, readonly string[]> = {
  simple: SET_OPTIONS,
  param: [...SET_OPTIONS, 'params', 'trackName', 'track'],
  multi: ['trackSets', 'setName', 'algorithm'],
};
/** What a valid set of each kind needs besides the option under test. */
const REQUIRED: Record<Kind, readonly string[]> = {
  simple: ['setName'],
  param: ['setName', 'params', 'trackName', 'track'],
  multi: ['setName', 'trackSets'],
};
const BASES: Record<Kind, abstract new (...args: never) => unknown> = { simple: SimpleTrackSet, param: ParamTrackSet, multi: MultiTrackSet };

/** A set class of `kind` named CheckoutTracks with exactly these own statics (as a class body would define them). */
function setClass(kind: Kind, statics: Record<string, unknown>): AnySetClass {
  const base = BASES[kind] as unknown as new () => object;
  const cls = class extends base {};
  Object.defineProperty(cls, 'name', { value: 'CheckoutTracks' });
  if (kind === 'simple') Object.assign(statics, { aTrack: () => 'a', bTrack: () => 'b', ...statics });
  for (const [name, value] of Object.entries(statics)) Object.defineProperty(cls, name, { value, writable: true, configurable: true });
  return cls as unknown as AnySetClass;
}

/** The TracksError that registering `cls` throws (through `assign`, which compiles it). */
function refusal(cls: unknown): TracksError {
  try {
    assign(cls as AnySetClass, { key: 'k' });
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    expect((error as TracksError).code).to.equal('ERR_TRACKS_INVALID_SET');
    return error as TracksError;
  }
  throw new Error('expected the set to be refused');
}

/** One or two letters off: a letter dropped, two swapped, one doubled, another case; two dropped. */
function misspellings(option: string): Array<[string, string]> {
  const mid = Math.floor(option.length / 2);
  const found: Array<[string, string]> = [
    ['drop', option.slice(0, mid) + option.slice(mid + 1)],
    ['swap', option.slice(0, mid - 1) + option[mid] + option[mid - 1] + option.slice(mid + 1)],
    ['double', option.slice(0, 2) + option.slice(1)],
    ['case', option === option.toLowerCase() ? option[0]!.toUpperCase() + option.slice(1) : option.toLowerCase()],
  ];
  // Two edits only for names long enough that two edits still say which one was meant.
  if (option.length >= 6) found.push(['drop two', option[0] + option.slice(2, -1)]);
  return found;
}

/** The misspellings that point at `option` alone: none is another option, or as near to one. */
function unambiguous(kind: Kind, option: string): Array<[string, string]> {
  const lower = (s: string): string => s.toLowerCase();
  return misspellings(option).filter(([, wrong]) => {
    if (OPTIONS[kind].includes(wrong)) return false;
    const mine = editDistance(lower(wrong), lower(option));
    return OPTIONS[kind].every((other) => other === option || editDistance(lower(wrong), lower(other)) > mine);
  });
}

describe('strict set classes', () => {
  describe('the edit distance', () => {
    it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
      expect(editDistance('', '')).to.equal(0);
      expect(editDistance('abc', '')).to.equal(3);
      expect(editDistance('kitten', 'sitting')).to.equal(3);
      expect(editDistance('weigth', 'weight')).to.equal(1);
      expect(editDistance('disable', 'disabled')).to.equal(1);
      // Optimal string alignment: a swapped pair is not edited again (true Damerau-Levenshtein says 2).
      expect(editDistance('ca', 'abc')).to.equal(3);
    });

    it('suggests the nearest name ignoring case, within two edits and a third of its length', () => {
      expect(closestName('setname', ['setName', 'weight'])).to.equal('setName');
      expect(closestName('weigths', ['weight', 'weights'])).to.equal('weights');
      expect(closestName('weigth', ['weight', 'weights'])).to.equal('weight');
      expect(closestName('trak', ['track'])).to.equal('track');
      expect(closestName('stack', ['track'])).to.equal(null);
      expect(closestName('currency', ['coverage', 'weight'])).to.equal(null);
      expect(closestName('weight', ['weight'])).to.equal(null);
    });
  });

  describe('misspelt options', () => {
    const cases = (Object.keys(OPTIONS) as Kind[]).flatMap((kind) =>
      OPTIONS[kind].flatMap((option) => unambiguous(kind, option).map(([how, wrong]) => ({ kind, option, how, wrong }))),
    );

    it('covers every option of every kind with one- and two-letter mistakes', () => {
      for (const kind of Object.keys(OPTIONS) as Kind[]) {
        for (const option of OPTIONS[kind])
          expect(
            cases.filter((c) => c.kind === kind && c.option === option),
            `${kind} ${option}`,
          ).to.have.length.of.at.least(4);
      }
      expect(cases.filter((c) => c.how === 'drop two')).to.have.length.of.at.least(15);
      // 22 options over the three kinds; `wight` is left out, as near to weight as to weights.
      expect(cases).to.have.length(105);
    });

    for (const { kind, option, how, wrong } of cases) {
      it(`refuses ${wrong} on a ${kind} set (${how}), suggesting ${option}`, () => {
        const statics = Object.fromEntries(REQUIRED[kind].filter((name) => name !== option).map((name) => [name, MEANT[name]]));
        statics[wrong] = MEANT[option];
        const label = option === 'setName' ? 'CheckoutTracks' : 'checkout';
        expect(refusal(setClass(kind, statics)).message).to.equal(`track set "${label}": option ${wrong} is unknown: did you mean ${option}?`);
      });
    }

    it('refuses the mistakes of the issue: disable, weigths, weigth, setname', () => {
      const expected: Array<[string, unknown, string]> = [
        ['disable', true, 'track set "checkout": option disable is unknown: did you mean disabled?'],
        ['weigths', { control: 1, a: 1, b: 1 }, 'track set "checkout": option weigths is unknown: did you mean weights?'],
        ['weigth', 1000, 'track set "checkout": option weigth is unknown: did you mean weight?'],
      ];
      for (const [wrong, value, message] of expected)
        expect(refusal(setClass('simple', { setName: 'checkout', [wrong]: value })).message).to.equal(message);
      class CheckoutTracks extends SimpleTrackSet {
        static setname = 'checkout';
        static oneClickTrack(): void {}
      }
      expect(refusal(CheckoutTracks).message).to.equal('track set "CheckoutTracks": option setname is unknown: did you mean setName?');
    });

    it('refuses an unknown static that is near no option, listing the options and how to name a helper', () => {
      const message = refusal(setClass('simple', { setName: 'checkout', currency: 'NZD' })).message;
      expect(message).to.include('track set "checkout": option currency is unknown (options of a SimpleTrackSet: setName, weight, addControlTrack');
      expect(message).to.include("a helper's name starts with _");
      expect(refusal(setClass('multi', { setName: 'all', trackSets: [Member], label: 'x' })).message).to.include(
        'options of a MultiTrackSet: trackSets, setName, algorithm',
      );
    });

    it("names the kind an option belongs to when it is another kind's", () => {
      expect(refusal(setClass('simple', { setName: 'checkout', params: [{ n: 1 }] })).message).to.equal(
        'track set "checkout": option params is unknown on a SimpleTrackSet: it is an option of ParamTrackSet',
      );
      expect(refusal(setClass('simple', { setName: 'checkout', track: () => 1 })).message).to.include('option track is unknown on a SimpleTrackSet');
      expect(refusal(setClass('multi', { setName: 'all', trackSets: [Member], weight: 10 })).message).to.equal(
        'track set "all": option weight is unknown on a MultiTrackSet: it is an option of SimpleTrackSet and ParamTrackSet',
      );
    });

    it('refuses isEligible declared static, which is never called', () => {
      class Vip extends SimpleTrackSet {
        static override setName = 'vip';
        static aTrack(): void {}
        static isEligible(): boolean {
          return false;
        }
      }
      expect(refusal(Vip).message).to.include('static method isEligible is never called: isEligible is an instance method');
    });

    it('refuses an instance method that misspells isEligible, which would leave everyone eligible', () => {
      class Vip extends SimpleTrackSet<{ vip: boolean }> {
        static override setName = 'vip';
        static aTrack(): void {}
        isEligable(): boolean {
          return !this.context.vip;
        }
      }
      expect(refusal(Vip).message).to.equal('track set "vip": method isEligable is not isEligible: did you mean isEligible?');
    });
  });

  describe('misnamed variants', () => {
    const nearMisses: Array<[string, string]> = [
      ['shortTrak', 'shortTrack'],
      ['shortTrck', 'shortTrack'],
      ['shortTarck', 'shortTrack'],
      ['shortTrackk', 'shortTrack'],
      ['longTracks', 'longTrack'],
      ['short_trak', 'short_track'],
      ['short_tracks', 'short_track'],
      ['short_Trak', 'short_track'],
      ['shortTRACK', 'shortTrack'],
      ['shorttrack', 'shortTrack'],
      ['shortTRak', 'shortTrack'],
    ];
    for (const [wrong, right] of nearMisses) {
      it(`refuses static method ${wrong}, suggesting ${right}`, () => {
        const message = refusal(setClass('simple', { setName: 'delay', [wrong]: () => 'slow' })).message;
        expect(message).to.match(new RegExp(`^track set "delay": static method ${wrong} is not a variant: did you mean ${right}\\? `));
        expect(message).to.include("a helper's name starts with _");
      });
    }

    it('refuses a static ending in Track that is not a function', () => {
      expect(refusal(setClass('simple', { setName: 'delay', soundTrack: 'not a function' })).message).to.equal(
        'track set "delay": static soundTrack is not a variant: variants are static methods named <variant>Track or <variant>_track',
      );
    });

    it('refuses variant methods on a ParamTrackSet or a MultiTrackSet, which take their variants elsewhere', () => {
      const param = { setName: 'pricing', params: MEANT.params, trackName: MEANT.trackName, track: MEANT.track, cheapTrack: () => -1 };
      expect(refusal(setClass('param', param)).message).to.include(
        "static method cheapTrack is not a variant: a ParamTrackSet's variants come from option params",
      );
      expect(refusal(setClass('multi', { setName: 'all', trackSets: [Member], xTrack: () => 1 })).message).to.include(
        "a MultiTrackSet's variants are those of its trackSets",
      );
    });

    it('refuses a simple set whose only variant would be the automatic control', () => {
      class Forgot extends SimpleTrackSet {
        static override setName = 'forgot';
        static helper(): void {}
      }
      expect(refusal(Forgot).message).to.equal(
        'track set "forgot": it has no variants besides the automatic control: no static method is named <variant>Track or <variant>_track',
      );
      const emptyParams = setClass('param', { setName: 'empty', params: [], trackName: MEANT.trackName, track: MEANT.track });
      expect(refusal(emptyParams).message).to.equal('track set "empty": it has no variants besides the automatic control: option params is empty');
    });
  });

  describe('helpers', () => {
    it('accepts static methods that look like no variant and no option', () => {
      class Banner extends SimpleTrackSet {
        static override setName = 'banner';
        static formatPrice(cents: number): string {
          return (cents / 100).toFixed(2);
        }
        static priceFor(): number {
          return 499;
        }
        static trackless(): number {
          return 0;
        }
        static stack(): number[] {
          return [];
        }
        static getTracker(): null {
          return null;
        }
        static isTracked(): boolean {
          return false;
        }
        static greenTrack(): string {
          return `from ${this.formatPrice(this.priceFor())}`;
        }
      }
      expect(variantsOf(Banner)).to.deep.equal(['control', 'green']);
      expect(assign(Banner, { key: 'k' }).name).to.be.oneOf(['control', 'green']);
    });

    it('ignores every static whose name starts with _, values and misspelt-looking methods alike', () => {
      class Cached extends SimpleTrackSet {
        static override setName = 'cached';
        static _currency = 'NZD';
        static _cache = new Map<string, number>();
        static _shortTrak(): void {}
        static get _now(): number {
          return 0;
        }
        static aTrack(): string {
          return this._currency;
        }
      }
      expect(variantsOf(Cached)).to.deep.equal(['control', 'a']);
    });

    it('keeps a method ending in Track a variant, even when its name starts with _', () => {
      class Underscored extends SimpleTrackSet {
        static override setName = 'underscored';
        static _hiddenTrack(): void {}
      }
      expect(variantsOf(Underscored)).to.deep.equal(['control', '_hidden']);
    });

    it('accepts instance methods other than isEligible, and helpers on a ParamTrackSet and a MultiTrackSet', () => {
      class Vip extends SimpleTrackSet<{ vip: boolean }> {
        static override setName = 'vip-helpers';
        static aTrack(): void {}
        isVip(): boolean {
          return this.context.vip;
        }
        override isEligible(): boolean {
          return !this.isVip();
        }
      }
      expect(assign(Vip, { key: 'k', context: { vip: true } }).isEligible).to.equal(false);
      class Pricing extends ParamTrackSet<{ delta: number }> {
        static override setName = 'pricing-helpers';
        static override params = [{ delta: -1 }, { delta: 1 }];
        static override addControlTrack = false;
        static label(delta: number): string {
          return `by_${delta}`;
        }
        static override trackName = (p: { delta: number }): string => Pricing.label(p.delta);
        static override track = (p: { delta: number }): number => p.delta;
      }
      expect(variantsOf(Pricing)).to.deep.equal(['by_-1', 'by_1']);
      class All extends MultiTrackSet {
        static override setName = 'all-helpers';
        static override trackSets = [Member];
        static describe(): string {
          return 'one member';
        }
      }
      expect(assign(All, { key: 'k' }).trackSetName).to.equal('member');
    });
  });

  describe('the class chain', () => {
    it("checks the statics of the user's own base classes, up to the library's", () => {
      class Base extends SimpleTrackSet {
        static disable = true;
      }
      class Checkout extends Base {
        static override setName = 'checkout-chain';
        static aTrack(): void {}
      }
      expect(refusal(Checkout).message).to.equal('track set "checkout-chain": option disable is unknown: did you mean disabled?');
    });

    it('takes variants and helpers from a base class', () => {
      class Base extends SimpleTrackSet {
        static _unit = 'ms';
        static shortTrack(): void {}
      }
      class Delay extends Base {
        static override setName = 'delay-chain';
        static longTrack(): void {}
      }
      expect(variantsOf(Delay)).to.deep.equal(['control', 'long', 'short']);
    });
  });

  describe('where a set is registered', () => {
    class Misspelt extends SimpleTrackSet {
      static override setName = 'misspelt';
      static disable = true;
      static aTrack(): void {}
    }
    const message = 'track set "misspelt": option disable is unknown: did you mean disabled?';

    it('refuses it in tracks([...]), assign and compile alike, every time', () => {
      expect(() => expressTracks([Misspelt])).to.throw(TracksError, message);
      expect(() => assign(Misspelt, { key: 1 })).to.throw(TracksError, message);
      expect(() => compile(Misspelt)).to.throw(TracksError, message);
      expect(() => compile(Misspelt)).to.throw(TracksError, message);
    });

    it('refuses a misspelt member set when its MultiTrackSet is registered', () => {
      class All extends MultiTrackSet {
        static override setName = 'all-misspelt';
        static override trackSets = [Member, Misspelt];
      }
      expect(() => expressTracks([All])).to.throw(TracksError, message);
    });
  });

  describe('a set without its own setName', () => {
    it('warns once per class, naming it, with code TRACKS_AB_NO_SET_NAME', async () => {
      class CheckoutTracks extends SimpleTrackSet {
        static oneClickTrack(): void {}
      }
      const warnings = await warningsDuring(() => {
        expressTracks([CheckoutTracks]);
        assign(CheckoutTracks, { key: 1 });
        assign(CheckoutTracks, { key: 2 });
        expressTracks([CheckoutTracks]);
      });
      expect(warnings).to.have.length(1);
      expect(warnings[0]!.name).to.equal('TracksAbWarning');
      expect((warnings[0] as Error & { code?: string }).code).to.equal('TRACKS_AB_NO_SET_NAME');
      expect(warnings[0]!.message).to.include('track set class CheckoutTracks has no static setName').and.include('minifier');
    });

    it('warns for a subclass that only inherits its parent’s setName, which names the parent', async () => {
      class Parent extends SimpleTrackSet {
        static override setName = 'parent-warning';
        static aTrack(): void {}
      }
      class Kid extends Parent {}
      const warnings = await warningsDuring(() => assign(Kid, { key: 1 }));
      expect(warnings.map((w) => w.message)).to.have.length(1);
      expect(warnings[0]!.message).to.include('Kid');
    });

    it('gives no warning for a set with its own setName, nor for a MultiTrackSet named by its members', async () => {
      class Named extends SimpleTrackSet {
        static override setName = 'named-no-warning';
        static aTrack(): void {}
      }
      class Other extends ParamTrackSet<{ n: number }> {
        static override setName = 'other-no-warning';
        static override params = [{ n: 1 }];
        static override trackName = (p: { n: number }): string => `n${p.n}`;
        static override track = (): void => {};
      }
      class Both extends MultiTrackSet {
        static override trackSets = [Named, Other];
      }
      const warnings = await warningsDuring(() => {
        expressTracks([Both]);
        assign(Both, { key: 'k' });
      });
      expect(warnings).to.deep.equal([]);
      expect(assign(Both, { key: 'k' }).setName).to.equal('named-no-warning/other-no-warning');
    });

    it('falls back to console.warn in a runtime without process', () => {
      class NoProcess extends SimpleTrackSet {
        static aTrack(): void {}
      }
      const host = globalThis as { process?: unknown };
      const saved = host.process;
      const original = console.warn;
      const lines: unknown[][] = [];
      console.warn = (...args: unknown[]) => void lines.push(args);
      host.process = undefined;
      try {
        assign(NoProcess, { key: 1 });
      } finally {
        host.process = saved;
        console.warn = original;
      }
      expect(lines).to.have.length(1);
      expect(String(lines[0]![0])).to.match(/^TracksAbWarning \[TRACKS_AB_NO_SET_NAME\]: track set class NoProcess has no static setName/);
    });
  });
});
