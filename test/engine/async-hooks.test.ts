// The engine's assign: an isEligible that answers with a promise is an error, never a silent "no", never unhandled.
import { expect } from 'chai';
import { AsyncHookError, MultiTrackSet, SimpleTrackSet, TracksError, assign } from '../../src/index.js';
import { guardUnhandledRejections } from '../support/rejection-guard.js';

class AsyncTracks extends SimpleTrackSet<{ fail: boolean }> {
  static override setName = 'async-eligibility';
  static aTrack(): void {}
  // What `async isEligible()` compiles to: the type says boolean, the value is a promise.
  override isEligible(): boolean {
    return (this.context.fail ? Promise.reject(new Error('lookup failed')) : Promise.resolve(true)) as unknown as boolean;
  }
}

class SyncTracks extends SimpleTrackSet {
  static override setName = 'sync-member';
  static bTrack(): void {}
}

class Both extends MultiTrackSet {
  static override setName = 'async-multi';
  static override trackSets = [AsyncTracks, SyncTracks];
}

describe('assign with an isEligible that returns a promise', () => {
  guardUnhandledRejections();

  for (const fail of [false, true]) {
    it(`gives control with reason error and reports ERR_TRACKS_ASYNC_HOOK to onError (${fail ? 'rejected' : 'resolved'})`, () => {
      const seen: Array<[unknown, string]> = [];
      const a = assign(AsyncTracks, { key: 'kim', context: { fail }, onError: (error, setName) => void seen.push([error, setName]) });
      expect([a.name, a.reason, a.isEligible, a.isExposure]).to.deep.equal(['control', 'error', false, false]);
      expect(seen).to.have.length(1);
      const [error, setName] = seen[0]!;
      expect(setName).to.equal('async-eligibility');
      expect(error).to.be.instanceOf(AsyncHookError).and.instanceOf(TracksError);
      expect(error).to.include({ code: 'ERR_TRACKS_ASYNC_HOOK', where: 'isEligible', setName: 'async-eligibility' });
    });
  }

  it('throws the AsyncHookError without onError, and still handles the rejection', () => {
    expect(() => assign(AsyncTracks, { key: 'kim', context: { fail: true } }))
      .to.throw(AsyncHookError)
      .with.property('code', 'ERR_TRACKS_ASYNC_HOOK');
  });

  it('leaves the other members of a MultiTrackSet to choose from', () => {
    const errors: string[] = [];
    const m = assign(Both, { key: 'kim', context: { fail: true }, onError: (_e, setName) => void errors.push(setName) });
    expect([m.trackSetName, m.reason]).to.deep.equal(['sync-member', 'hash']);
    expect(errors).to.deep.equal(['async-eligibility']);
  });

  it('swallows an onError that rejects or throws', () => {
    for (const onError of [
      () => Promise.reject(new Error('logger down')),
      (): never => {
        throw new Error('logger threw');
      },
    ]) {
      expect(assign(AsyncTracks, { key: 'kim', context: { fail: true }, onError }).reason).to.equal('error');
    }
  });
});
