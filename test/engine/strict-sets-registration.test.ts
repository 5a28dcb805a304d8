// Strict set classes: helpers, the class chain, where a set is registered, and the warning for a set without its own setName.
import { expect } from 'chai';
import { tracks as expressTracks } from '../../adapters/express.js';
import { compile } from '../../src/engine/compile.js';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet, TracksError, variantsOf } from '../../src/index.js';
import { warningsDuring } from '../support/warnings.js';
import { Member, refusal } from './strict-set-fixtures.js';

describe('strict set classes', () => {
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
