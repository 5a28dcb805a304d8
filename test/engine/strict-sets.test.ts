// Strict set classes: a misspelt option or a misnamed variant is refused at registration, with a did-you-mean.
import { expect } from 'chai';
import { closestName, editDistance } from '../../src/engine/did-you-mean.js';
import { SimpleTrackSet } from '../../src/index.js';
import { MEANT, Member, OPTIONS, REQUIRED, refusal, setClass, unambiguous, type Kind } from './strict-set-fixtures.js';

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
});
