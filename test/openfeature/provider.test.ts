// The OpenFeature provider, through @openfeature/server-sdk's own client: values, reasons, errors, hooks, exposures.
import { expect } from 'chai';
import { ErrorCode, OpenFeature, type Client, type EvaluationDetails, type FlagValue, type Hook } from '@openfeature/server-sdk';
import { REASONS, TracksProvider, type OpenFeatureOptions } from '../../adapters/openfeature.js';
import {
  assign,
  MemoryAssignmentStore,
  MemoryControls,
  SimpleTrackSet,
  StoreClient,
  TracksError,
  type ExposureEvent,
  type RequestErrorInfo,
} from '../../src/index.js';
import { BrokenTracks, DelayTracks, DisabledTracks, Experiments, LayoutTracks, PinnedTracks, PricingTracks, ColorTracks } from '../adapters/sets.js';
import { withoutUnhandledRejections } from '../support/rejection-guard.js';

class UncoveredTracks extends SimpleTrackSet {
  static override setName = 'uncovered';
  static override coverage = 0;
  static aTrack(): void {}
}

/** An isEligible that answers with a promise: a hook that is not synchronous, handled as failing. */
class PromisedTracks extends SimpleTrackSet {
  static override setName = 'promised';
  static aTrack(): void {}
  override isEligible(): boolean {
    return Promise.reject(new Error('eligibility looked up')) as unknown as boolean;
  }
}

const SETS = [DelayTracks, PricingTracks, Experiments, PinnedTracks, DisabledTracks, UncoveredTracks, BrokenTracks, PromisedTracks];

describe('TracksProvider through the OpenFeature server SDK', () => {
  const exposures: ExposureEvent<unknown>[] = [];
  const errors: Array<{ error: unknown; info: RequestErrorInfo<unknown> }> = [];
  let domain = 0;

  async function client(options: OpenFeatureOptions = {}): Promise<Client> {
    const name = `tracks-ab-test-${domain++}`;
    await OpenFeature.setProviderAndWait(
      name,
      new TracksProvider(SETS, {
        onExposure: (event) => void exposures.push(event),
        onError: (error, info) => void errors.push({ error, info }),
        ...options,
      }),
    );
    return OpenFeature.getClient(name);
  }

  beforeEach(() => {
    exposures.length = 0;
    errors.length = 0;
  });
  after(() => OpenFeature.close());

  it('gives the variant the engine gives the targeting key, as a SPLIT, with masked names and a run id', async () => {
    const flags = await client();
    for (let i = 0; i < 50; i++) {
      const key = `user-${i}`;
      const expected = assign(DelayTracks, { key, context: { vip: false } });
      const details = await flags.getStringDetails('delay', 'fallback', { targetingKey: key, vip: false });
      expect([details.value, details.variant, details.reason, details.errorCode]).to.deep.equal([expected.name, expected.name, 'SPLIT', undefined]);
      expect(details.flagMetadata).to.include({ reason: 'hash', maskedSetName: expected.maskedSetName, maskedName: expected.maskedName });
      expect(details.flagMetadata.runId).to.match(/^[0-9a-f-]{36}$/);
    }
    expect(exposures).to.have.length(50);
    expect(exposures[0]).to.include({ setName: 'delay', key: 'user-0', reason: 'hash', multiSetName: null });
    expect(exposures[0]!.req).to.deep.include({ targetingKey: 'user-0', vip: false });
  });

  it('hands the evaluation context to isEligible, or what the context option makes of it', async () => {
    const vip = await (await client()).getStringDetails('delay', 'fallback', { targetingKey: 'vera', vip: true });
    expect([vip.value, vip.reason, vip.flagMetadata.reason]).to.deep.equal(['control', 'DEFAULT', 'ineligible']);
    const mapped = await client({ context: (ctx) => ({ vip: ctx.tier === 'gold' }) });
    expect((await mapped.getStringDetails('delay', 'fallback', { targetingKey: 'vera', tier: 'gold' })).flagMetadata.reason).to.equal('ineligible');
    expect((await mapped.getStringDetails('delay', 'fallback', { targetingKey: 'vera', tier: 'tin' })).flagMetadata.reason).to.equal('hash');
    expect(exposures.map((e) => e.key)).to.deep.equal(['vera']);
  });

  it('maps pinned, disabled and coverage to STATIC, DISABLED and DEFAULT, and logs none of them', async () => {
    const flags = await client();
    const reasons = [];
    for (const flag of ['pinned', 'disabled', 'uncovered']) {
      const details = await flags.getStringDetails(flag, 'fallback', { targetingKey: 'walt' });
      reasons.push([flag, details.value, details.reason, details.flagMetadata.reason]);
    }
    expect(reasons).to.deep.equal([
      ['pinned', 'b', 'STATIC', 'pinned'],
      ['disabled', 'control', 'DISABLED', 'disabled'],
      ['uncovered', 'control', 'DEFAULT', 'coverage'],
    ]);
    expect(exposures).to.deep.equal([]);
  });

  it('evaluates a MultiTrackSet and its members as the adapters do', async () => {
    const flags = await client();
    for (let i = 0; i < 20; i++) {
      const key = `user-${i}`;
      const multi = assign(Experiments, { key });
      const details = await flags.getStringDetails('experiments', 'fallback', { targetingKey: key });
      expect([details.value, details.flagMetadata.trackSetName]).to.deep.equal([multi.name, multi.trackSetName]);
      for (const member of [ColorTracks, LayoutTracks]) {
        const chosen = multi.trackSetName === member.setName;
        const got = await flags.getStringDetails(member.setName, 'fallback', { targetingKey: key });
        expect([got.value, got.flagMetadata.reason], `${key} ${member.setName}`).to.deep.equal(
          chosen ? [multi.name, 'hash'] : ['control', 'excluded'],
        );
      }
    }
    expect(exposures.every((e) => e.multiSetName === 'experiments')).to.equal(true);
    expect(exposures).to.have.length(40);
  });

  it('answers FLAG_NOT_FOUND, TYPE_MISMATCH and TARGETING_KEY_MISSING with the caller’s default', async () => {
    const flags = await client();
    const cases: Array<[string, Promise<EvaluationDetails<FlagValue>>]> = [
      ['unknown', flags.getStringDetails('nope', 'fallback', { targetingKey: 'xavi' })],
      ['unknown boolean', flags.getBooleanDetails('nope', true, { targetingKey: 'xavi' })],
      ['boolean', flags.getBooleanDetails('delay', true, { targetingKey: 'xavi' })],
      ['number', flags.getNumberDetails('delay', 7, { targetingKey: 'xavi' })],
      ['object', flags.getObjectDetails('delay', { a: 1 }, { targetingKey: 'xavi' })],
      ['no key', flags.getStringDetails('delay', 'fallback', { vip: false })],
    ];
    const got = [];
    for (const [label, pending] of cases) {
      const details = await pending;
      got.push([label, details.value, details.errorCode, details.reason]);
    }
    expect(got).to.deep.equal([
      ['unknown', 'fallback', ErrorCode.FLAG_NOT_FOUND, 'ERROR'],
      ['unknown boolean', true, ErrorCode.FLAG_NOT_FOUND, 'ERROR'],
      ['boolean', true, ErrorCode.TYPE_MISMATCH, 'ERROR'],
      ['number', 7, ErrorCode.TYPE_MISMATCH, 'ERROR'],
      ['object', { a: 1 }, ErrorCode.TYPE_MISMATCH, 'ERROR'],
      ['no key', 'fallback', ErrorCode.TARGETING_KEY_MISSING, 'ERROR'],
    ]);
    expect((await flags.getStringDetails('delay', 'fallback', { targetingKey: '' })).reason).to.equal('SPLIT');
    expect(exposures.map((e) => e.key)).to.deep.equal(['']);
  });

  it('turns a throwing isEligible, context or onExposure into a reported error, never a throw', async () => {
    const broken = await (await client()).getStringDetails('broken', 'fallback', { targetingKey: 'yuri' });
    expect([broken.value, broken.errorCode, broken.reason]).to.deep.equal(['fallback', ErrorCode.GENERAL, 'ERROR']);
    const badContext = await (
      await client({
        context: () => {
          throw new Error('no context');
        },
      })
    ).getStringDetails('delay', 'fallback', { targetingKey: 'yuri' });
    expect([badContext.value, badContext.errorCode]).to.deep.equal(['fallback', ErrorCode.GENERAL]);
    const badLog = await (
      await client({
        onExposure: () => {
          throw new Error('log down');
        },
      })
    ).getStringDetails('pricing', 'fallback', { targetingKey: 'yuri' });
    expect([badLog.value, badLog.reason]).to.deep.equal([assign(PricingTracks, { key: 'yuri' }).name, 'SPLIT']);
    expect(errors.map((e) => [e.info.where, e.info.setName, (e.error as Error).message])).to.deep.equal([
      ['isEligible', 'broken', 'isEligible exploded'],
      ['context', null, 'no context'],
      ['onExposure', 'pricing', 'log down'],
    ]);
  });

  it('handles hooks that answer with a promise as failing (ERR_TRACKS_ASYNC_HOOK), and leaves no rejection unhandled', async () => {
    await withoutUnhandledRejections(async () => {
      const promised = await (await client()).getStringDetails('promised', 'fallback', { targetingKey: 'yann' });
      expect([promised.value, promised.errorCode, promised.reason]).to.deep.equal(['fallback', ErrorCode.GENERAL, 'ERROR']);
      const asyncContext = await (
        await client({ context: () => Promise.resolve({ vip: false }) })
      ).getStringDetails('delay', 'fallback', {
        targetingKey: 'yann',
      });
      expect([asyncContext.value, asyncContext.errorCode]).to.deep.equal(['fallback', ErrorCode.GENERAL]);
      expect(errors.map((e) => [e.info.where, e.info.setName, (e.error as { code?: string }).code])).to.deep.equal([
        ['isEligible', 'promised', 'ERR_TRACKS_ASYNC_HOOK'],
        ['context', null, 'ERR_TRACKS_ASYNC_HOOK'],
      ]);
      errors.length = 0;
      // An onError and an onExposure that reject: the evaluation stands, the exposure's failure is reported, nothing escapes.
      const rejecting = await client({
        onExposure: () => Promise.reject(new Error('log down')),
        onError: (error, info) => {
          errors.push({ error, info });
          return Promise.reject(new Error('onError down'));
        },
      });
      const details = await rejecting.getStringDetails('pricing', 'fallback', { targetingKey: 'yann' });
      expect([details.value, details.reason]).to.deep.equal([assign(PricingTracks, { key: 'yann' }).name, 'SPLIT']);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(errors.map((e) => [e.info.where, e.info.setName, (e.error as Error).message])).to.deep.equal([['onExposure', 'pricing', 'log down']]);
    });
  });

  it('reports every exposure as persisted (the targeting key is the identity), and maps every tracks-ab reason', async () => {
    await (await client()).getStringDetails('delay', 'fallback', { targetingKey: 'zack', vip: false });
    expect(exposures.map((e) => [e.key, e.assignment.persisted, e.assignment.isExposure])).to.deep.equal([['zack', true, true]]);
    // `unidentified` (a peek before a visitor has an id) cannot come out of an evaluation, which needs a targeting key: it would be DEFAULT.
    expect(REASONS.unidentified).to.equal('DEFAULT');
    expect(Object.keys(REASONS).sort()).to.deep.equal(
      ['hash', 'random', 'sticky', 'forced', 'pinned', 'disabled', 'ineligible', 'coverage', 'excluded', 'bot', 'unidentified', 'error'].sort(),
    );
  });

  it('lets client hooks see the details, and the error of a failed evaluation', async () => {
    const seen: string[] = [];
    const hook: Hook = {
      after: (hookContext, details) =>
        void seen.push(`after ${hookContext.providerMetadata.name} ${details.flagKey}=${JSON.stringify(details.value)} ${details.reason}`),
      error: (hookContext, error) => void seen.push(`error ${hookContext.flagKey} ${(error as { code?: string }).code}`),
      finally: (hookContext, details) => void seen.push(`finally ${hookContext.flagKey} ${details.variant ?? '-'}`),
    };
    const flags = await client();
    flags.addHooks(hook);
    const pinned = await flags.getStringValue('pinned', 'fallback', { targetingKey: 'zoe' });
    await flags.getStringValue('nope', 'fallback', { targetingKey: 'zoe' });
    expect(pinned).to.equal('b');
    expect(seen).to.deep.equal(['after tracks-ab pinned="b" STATIC', 'finally pinned b', 'error nope FLAG_NOT_FOUND', 'finally nope -']);
  });

  it('refuses bad sets and options at construction, with TracksError', () => {
    expect(() => new TracksProvider([])).to.throw(TracksError, 'option sets is invalid');
    expect(() => new TracksProvider([DelayTracks], { onExposures: () => {} } as OpenFeatureOptions))
      .to.throw(TracksError, 'option onExposures is unknown')
      .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
    expect(() => new TracksProvider([DelayTracks], { context: 'vip' as unknown as () => unknown })).to.throw(
      TracksError,
      'option context is invalid: "vip"',
    );
  });

  it('refuses a promise as targeting key (it would serialise as one key for everyone), and so does assign', async () => {
    const flags = await client();
    const promised = Promise.resolve('user-1') as unknown as string;
    const details = await flags.getStringDetails('delay', 'fallback', { targetingKey: promised, vip: false });
    expect([details.value, details.errorCode]).to.deep.equal(['fallback', ErrorCode.INVALID_CONTEXT]);
    expect(errors.map((e) => [e.info.where, (e.error as TracksError).code])).to.deep.equal([['key', 'ERR_TRACKS_ASYNC_HOOK']]);
    expect(exposures).to.have.length(0);
    const rejected = Promise.reject(new Error('lookup failed'));
    expect(() => assign(DelayTracks, { key: rejected, context: { vip: false } }))
      .to.throw(TracksError)
      .with.property('code', 'ERR_TRACKS_ASYNC_HOOK');
    // The rejection was handled: nothing unhandled reaches the process.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('applies run-time controls: a kill switch and a pin reach every evaluation', async () => {
    const controls = new MemoryControls();
    const flags = await client({ controls });
    expect((await flags.getStringDetails('pricing', 'fallback', { targetingKey: 'kim' })).reason).to.equal('SPLIT');
    controls.set('pricing', { disabled: true });
    const disabled = await flags.getStringDetails('pricing', 'fallback', { targetingKey: 'kim' });
    expect([disabled.value, disabled.reason, disabled.flagMetadata.reason]).to.deep.equal(['control', 'DISABLED', 'disabled']);
    controls.set('pricing', { pinned: 'cheap' });
    const pinned = await flags.getStringDetails('pricing', 'fallback', { targetingKey: 'kim' });
    expect([pinned.value, pinned.reason]).to.deep.equal(['cheap', 'STATIC']);
    expect(exposures.map((e) => e.reason)).to.deep.equal(['hash']);
    expect(() => new TracksProvider([DelayTracks], { controls: {} as MemoryControls })).to.throw(TracksError, 'option controls is invalid');
  });

  it('with a store, remembers variants and reports one first exposure per user and set, on every server', async () => {
    const store = new MemoryAssignmentStore();
    const one = await client({ store: new StoreClient(store, { flushIntervalMs: 5 }) });
    const two = await client({ store: new StoreClient(store, { flushIntervalMs: 5 }) });
    const first = await one.getStringDetails('pricing', 'fallback', { targetingKey: 'lee' });
    const again = await one.getStringDetails('pricing', 'fallback', { targetingKey: 'lee' });
    expect([first.flagMetadata.reason, again.flagMetadata.reason, again.value]).to.deep.equal(['hash', 'sticky', first.value]);
    for (let i = 0; i < 100 && (await store.load('lee')).size === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const elsewhere = await two.getStringDetails('pricing', 'fallback', { targetingKey: 'lee' });
    expect([elsewhere.value, elsewhere.flagMetadata.reason]).to.deep.equal([first.value, 'sticky']);
    expect(exposures.map((e) => [e.key, e.variant, e.firstExposure])).to.deep.equal([
      ['lee', first.value, true],
      ['lee', first.value, false],
      ['lee', first.value, false],
    ]);
    expect((await store.load('lee')).get('pricing')).to.deep.include({ variant: first.value, how: 'hash' });
  });
});
