// Configuration errors of MultiTrackSets and of setDefaultAlgorithm: named, coded, thrown at first use.
import { expect } from 'chai';
import { assign, MultiTrackSet, setDefaultAlgorithm, SimpleTrackSet, TracksError, variantsOf } from '../../src/index.js';
import { expectSetError } from './set-error.js';

describe('configuration errors', () => {
  describe('MultiTrackSet', () => {
    class A extends SimpleTrackSet {
      static override setName = 'a';
      static xTrack(): void {}
    }
    class B extends SimpleTrackSet {
      static override setName = 'b';
      static yTrack(): void {}
    }

    it('rejects an empty trackSets list', () => {
      class None extends MultiTrackSet {
        static override setName = 'none';
      }
      expectSetError(None, 'track set "none"', 'option trackSets is invalid');
    });

    it('rejects two sets with the same name', () => {
      class AlsoA extends SimpleTrackSet {
        static override setName = 'a';
        static zTrack(): void {}
      }
      class Dupes extends MultiTrackSet {
        static override trackSets = [A, B, AlsoA];
      }
      expectSetError(Dupes, 'track set "Dupes"', 'option trackSets lists set "a" twice');
      class SameClass extends MultiTrackSet {
        static override setName = 'same-class';
        static override trackSets = [A, A];
      }
      expectSetError(SameClass, 'track set "same-class"', 'option trackSets lists set "a" twice');
    });

    it('rejects a MultiTrackSet inside another', () => {
      class Inner extends MultiTrackSet {
        static override trackSets = [A];
      }
      class Outer extends MultiTrackSet {
        static override setName = 'outer';
        static override trackSets = [Inner as never, B];
      }
      expectSetError(Outer, 'track set "outer"', 'cannot contain another MultiTrackSet');
    });

    it('reports a broken member set by its own name', () => {
      class Bad extends SimpleTrackSet {
        static override setName = 'bad-member';
        static override coverage = 3;
        static aTrack(): void {}
      }
      class WithBad extends MultiTrackSet {
        static override trackSets = [A, Bad];
      }
      expectSetError(WithBad, 'track set "bad-member"', 'option coverage is invalid');
    });

    it('rejects fractional set weights in python mode, which lists each set weight times', () => {
      class Fractional extends SimpleTrackSet {
        static override setName = 'fractional';
        static override weight = 2.5;
        static aTrack(): void {}
      }
      class Py extends MultiTrackSet {
        static override algorithm = 'python' as const;
        static override trackSets = [A, Fractional];
      }
      expectSetError(Py, 'track set "fractional"', 'option weight is invalid', "algorithm 'python'");
    });
  });

  describe('setDefaultAlgorithm', () => {
    it('rejects an unknown algorithm with ERR_TRACKS_INVALID_OPTION', () => {
      expect(() => setDefaultAlgorithm('v2' as never))
        .to.throw(TracksError, "option algorithm is invalid: \"v2\" (use 'v1' or 'python')")
        .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
    });

    it('refuses to change the default once a set was used, since that would move users', () => {
      class Used extends SimpleTrackSet {
        static override setName = 'used';
        static aTrack(): void {}
      }
      assign(Used, { key: 'k' });
      expect(() => setDefaultAlgorithm('python'))
        .to.throw(TracksError, 'cannot change after a set was used')
        .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
      expect(() => setDefaultAlgorithm('v1')).not.to.throw();
    });
  });

  it('variantsOf rejects a MultiTrackSet', () => {
    class Multi extends MultiTrackSet {
      static override trackSets = [
        class extends SimpleTrackSet {
          static override setName = 'only';
          static aTrack(): void {}
        },
      ];
    }
    expect(() => variantsOf(Multi as never)).to.throw(TracksError, 'variantsOf takes a SimpleTrackSet or ParamTrackSet');
  });
});
