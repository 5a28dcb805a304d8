// Configuration errors: a wrong set throws at first use, naming the set and the option, with a code.
import { expect } from 'chai';
import { assign, ParamTrackSet, SimpleTrackSet, TrackSet } from '../../src/index.js';
import type { AnySetClass } from '../../src/index.js';
import { expectSetError } from './set-error.js';

describe('configuration errors', () => {
  describe('variants', () => {
    it('rejects a simple set with no variants', () => {
      class Empty extends SimpleTrackSet {
        static override setName = 'empty';
        static override addControlTrack = false;
      }
      expectSetError(Empty, 'track set "empty"', 'no variants', 'option addControlTrack', '<variant>Track');
    });

    it('rejects a param set with empty params and no control', () => {
      class Empty extends ParamTrackSet<{ n: number }> {
        static override setName = 'empty-params';
        static override addControlTrack = false;
        static override params = [];
        static override trackName = (p: { n: number }): string => `n${p.n}`;
        static override track = (): void => {};
      }
      expectSetError(Empty, 'track set "empty-params"', 'no variants', 'option params');
    });

    it('rejects two methods that name the same variant', () => {
      class Twice extends SimpleTrackSet {
        static override setName = 'twice';
        static fastTrack(): void {}
        static fast_track(): void {}
      }
      expectSetError(Twice, 'track set "twice"', 'variant name "fast" is used twice', 'fastTrack', 'fast_track');
    });

    it('reserves the name control for the automatic control, so ineligible users never run a body', () => {
      class Named extends ParamTrackSet<{ n: number }> {
        static override setName = 'named-control';
        static override addControlTrack = false;
        static override params = [{ n: 0 }, { n: 1 }];
        static override trackName = (p: { n: number }): string => (p.n === 0 ? 'control' : `n${p.n}`);
        static override track = (): void => {};
      }
      expectSetError(Named, 'track set "named-control"', 'variant name "control" is reserved', 'option addControlTrack');
    });

    it('rejects a controlTrack method next to the automatic control', () => {
      class Control extends SimpleTrackSet {
        static override setName = 'control-twice';
        static controlTrack(): void {}
      }
      expectSetError(Control, 'track set "control-twice"', '"control" is used twice', 'option addControlTrack', 'controlTrack');
    });

    it('rejects a trackName that gives two params the same name', () => {
      class Same extends ParamTrackSet<{ n: number }> {
        static override setName = 'same-names';
        static override params = [{ n: 1 }, { n: 2 }];
        static override trackName = (): string => 'same';
        static override track = (): void => {};
      }
      expectSetError(Same, 'track set "same-names"', '"same" is used twice', 'option trackName', '{"n":1}', '{"n":2}');
    });

    it('rejects an empty variant name', () => {
      class Blank extends ParamTrackSet<{ n: number }> {
        static override setName = 'blank';
        static override params = [{ n: 1 }];
        static override trackName = (): string => '';
        static override track = (): void => {};
      }
      expectSetError(Blank, 'track set "blank"', 'option trackName', 'empty variant name');
    });

    it('rejects a trackName that returns something other than a string', () => {
      class NotString extends ParamTrackSet<{ n: number }> {
        static override setName = 'not-string';
        static override params = [{ n: 1 }];
        static override trackName = ((p: { n: number }) => p.n) as unknown as (p: { n: number }) => string;
        static override track = (): void => {};
      }
      expectSetError(NotString, 'track set "not-string"', 'trackName', 'expected a string');
    });

    it('rejects a param set without params, trackName or track', () => {
      class NoParams extends ParamTrackSet {
        static override setName = 'no-params';
        static override params = 'abc' as unknown as unknown[];
      }
      expectSetError(NoParams, 'track set "no-params"', 'option params is invalid');
      class NoName extends ParamTrackSet {
        static override setName = 'no-name';
        static override params = [{}];
        static override track = (): void => {};
      }
      expectSetError(NoName, 'track set "no-name"', 'option trackName is missing');
      class NoTrack extends ParamTrackSet {
        static override setName = 'no-track';
        static override params = [{}];
        static override trackName = (): string => 'a';
      }
      expectSetError(NoTrack, 'track set "no-track"', 'option track is missing');
    });

    it('rejects two variants whose masked names collide', () => {
      // murmur3('v20644') and murmur3('v40145') share their first 7 hex digits, 02db843.
      class Clash extends SimpleTrackSet {
        static override setName = 'clash';
        static v20644Track(): void {}
        static v40145Track(): void {}
      }
      expectSetError(Clash, 'track set "clash"', 'same masked name 02db843', '"v20644"', '"v40145"');
    });
  });

  describe('options', () => {
    const withStatics = (statics: Record<string, unknown>, base: typeof SimpleTrackSet = SimpleTrackSet): AnySetClass => {
      const cls = class extends base {
        static aTrack(): void {}
        static bTrack(): void {}
      };
      for (const [name, value] of Object.entries(statics)) Object.defineProperty(cls, name, { value });
      return cls;
    };

    it('rejects a weight that is not a positive finite number', () => {
      for (const weight of [0, -1, NaN, Infinity, '100', null]) {
        expectSetError(withStatics({ setName: 'weighty', weight }), 'track set "weighty"', 'option weight is invalid');
      }
    });

    it('rejects weights that do not match the variants', () => {
      expectSetError(withStatics({ setName: 'w1', weights: { control: 1, a: 1 } }), 'track set "w1"', 'option weights is missing variant "b"');
      expectSetError(
        withStatics({ setName: 'w2', weights: { control: 1, a: 1, b: 1, c: 1 } }),
        'track set "w2"',
        'option weights names an unknown variant "c"',
        'control, a, b',
      );
      expectSetError(withStatics({ setName: 'w3', weights: 5 }), 'track set "w3"', 'option weights is invalid');
    });

    it('rejects a variant weight that is not a positive finite number', () => {
      for (const w of [0, -2, NaN, Infinity, '1']) {
        expectSetError(withStatics({ setName: 'w4', weights: { control: 1, a: w, b: 1 } }), 'track set "w4"', 'option weights.a is invalid');
      }
    });

    it('rejects a coverage outside [0, 1]', () => {
      for (const coverage of [-0.1, 1.01, 2, NaN, '0.5']) {
        expectSetError(withStatics({ setName: 'cov', coverage }), 'track set "cov"', 'option coverage is invalid', 'from 0 to 1');
      }
    });

    it('accepts coverage 0 and 1', () => {
      expect(assign(withStatics({ setName: 'cov0', coverage: 0 }), { key: 'k' }).reason).to.equal('coverage');
      expect(assign(withStatics({ setName: 'cov1', coverage: 1 }), { key: 'k' }).reason).to.equal('hash');
    });

    it('rejects a pinned variant that does not exist', () => {
      expectSetError(withStatics({ setName: 'pin', pinned: 'c' }), 'track set "pin"', 'option pinned is invalid', '"c"', 'control, a, b');
    });

    it('rejects a non-boolean addControlTrack or disabled', () => {
      expectSetError(withStatics({ setName: 'ctl', addControlTrack: 'yes' }), 'track set "ctl"', 'option addControlTrack is invalid');
      expectSetError(withStatics({ setName: 'dis', disabled: 1 }), 'track set "dis"', 'option disabled is invalid');
    });

    it('rejects an unknown algorithm', () => {
      expectSetError(withStatics({ setName: 'algo', algorithm: 'v2' }), 'track set "algo"', 'option algorithm is invalid', "'v1' or 'python'");
    });

    it('rejects per-variant weights and coverage in python mode, which split equally', () => {
      expectSetError(
        withStatics({ setName: 'py-w', algorithm: 'python', weights: { control: 1, a: 1, b: 2 } }),
        'track set "py-w"',
        'option',
        'weights',
        "algorithm 'python'",
      );
      expectSetError(withStatics({ setName: 'py-c', algorithm: 'python', coverage: 0.5 }), 'track set "py-c"', 'coverage', "algorithm 'python'");
    });

    it('rejects an empty set name', () => {
      const error = expectSetError(withStatics({ setName: '' }), 'track set', 'option setName is invalid');
      expect(error.message).to.include('give the class a static setName');
    });
  });

  describe('classes', () => {
    it('rejects something that is not a track set', () => {
      class Plain {}
      expectSetError(Plain, 'Plain', 'is not a track set', 'SimpleTrackSet');
      expectSetError(() => 1, 'function', 'is not a track set');
    });

    it('rejects a class that extends TrackSet directly', () => {
      class Direct extends TrackSet {
        static override setName = 'direct';
      }
      expectSetError(Direct, 'track set "direct"', 'extend SimpleTrackSet or ParamTrackSet');
    });

    it('keeps failing on every use, rather than caching a broken set', () => {
      const broken = withBadWeight();
      expectSetError(broken, 'track set "bad"', 'option weight');
      expectSetError(broken, 'track set "bad"', 'option weight');
    });

    function withBadWeight(): AnySetClass {
      return class extends SimpleTrackSet {
        static override setName = 'bad';
        static override weight = -5;
        static aTrack(): void {}
      };
    }
  });
});
