// Contract: a hook that throws, rejects, or answers with a promise is reported and handled as failing; nothing goes unhandled.
import { expect } from 'chai';
import { SimpleTrackSet, type Options } from '../../src/index.js';
import { waitFor, type RouteSpec } from './app-spec.js';
import { setCookiesNamed } from './cookies.js';
import type { Harness } from './harness.js';
import { BrokenTracks, DelayTracks, PricingTracks, view, type AssignmentView } from './sets.js';
import { guardUnhandledRejections } from '../support/rejection-guard.js';

/** A set whose eligibility answer comes from the request's context: the hook under test. */
class HookedTracks extends SimpleTrackSet<{ answer: () => unknown }> {
  static override setName = 'hooked';
  static aTrack(): void {}
  override isEligible(): boolean {
    return this.context.answer() as boolean;
  }
}

const ROUTES: RouteSpec[] = [
  { path: '/hooked', handler: (t) => view(t.get(HookedTracks)) },
  { path: '/broken', handler: (t) => view(t.get(BrokenTracks)) },
];

/** The ways a hook can fail. `async` ones answer with a thenable where a value was expected. */
const FAILURES: Array<{ kind: string; async: boolean; hook: () => unknown }> = [
  {
    kind: 'throws',
    async: false,
    hook: () => {
      throw new Error('hook threw');
    },
  },
  { kind: 'returns a rejected promise', async: true, hook: () => Promise.reject(new Error('hook rejected')) },
  { kind: 'returns a resolved promise', async: true, hook: () => Promise.resolve(true) },
  {
    kind: 'returns a thenable whose then throws',
    async: true,
    hook: () => ({
      then() {
        throw new Error('then threw');
      },
    }),
  },
];

type Both = { delay: AssignmentView; pricing: AssignmentView };

export function hookSpecs(h: Harness): void {
  describe('hooks that fail', () => {
    guardUnhandledRejections();

    /** Checks what onError received: `where`, and the async code when the hook answered with a thenable. */
    const reported = (async: boolean, where: string, setName: string | null = null): void => {
      expect(h.errors.map((e) => [e.info.where, e.info.setName])).to.deep.equal([[where, setName]]);
      const error = h.errors[0]!.error as { code?: string; where?: string };
      if (async) expect([error.code, error.where]).to.deep.equal(['ERR_TRACKS_ASYNC_HOOK', where]);
      else expect(error.code).to.equal(undefined);
      h.errors.length = 0;
    };

    for (const { kind, async, hook } of FAILURES) {
      describe(`a hook that ${kind}`, () => {
        it('as a key source: skipped, the next source answers, and with none the user gets control', async () => {
          const client = await h.start([DelayTracks], { key: [hook, { header: 'x-user-id' }] });
          expect((await client.get('/delay').set('x-user-id', 'mia').expect(200)).body).to.include({ key: 'mia', reason: 'hash' });
          reported(async, 'key');
          const none = await client.get('/delay').expect(200);
          expect(none.body).to.include({ name: 'control', reason: 'error', key: null });
          expect(none.headers['set-cookie']).to.equal(undefined);
          reported(async, 'key');
        });

        it('as context: control (reason error) for the sets that read it only', async () => {
          const client = await h.start([DelayTracks, PricingTracks], { context: hook });
          const body = (await client.get('/both').expect(200)).body as Both;
          expect([body.delay.name, body.delay.reason, body.pricing.reason]).to.deep.equal(['control', 'error', 'hash']);
          reported(async, 'context');
        });

        it('as isEligible: control with reason error, no exposure, nothing remembered', async () => {
          const client = await h.start([HookedTracks], { context: () => ({ answer: hook }) }, ROUTES);
          const res = await client.get('/hooked').expect(200);
          expect(res.body).to.include({ name: 'control', reason: 'error', isEligible: false, isExposure: false });
          expect(setCookiesNamed(res, 'tracks')).to.have.length(0);
          expect(h.events).to.deep.equal([]);
          reported(async, 'isEligible', 'hooked');
        });

        it('as override.allow: the override is refused', async () => {
          const client = await h.start([DelayTracks], { override: { allow: hook as () => boolean } });
          expect(((await client.get('/delay?tracks=delay:long').expect(200)).body as AssignmentView).reason).to.equal('hash');
          reported(async, 'override.allow');
        });

        it('as a bot detector: the visitor is taken for a person', async () => {
          const client = await h.start([DelayTracks], { bots: hook as () => boolean });
          expect(((await client.get('/delay').expect(200)).body as AssignmentView).reason).to.equal('hash');
          reported(async, 'bots');
        });

        it('as onError: swallowed, and the request goes on', async () => {
          const client = await h.start([BrokenTracks], { onError: hook }, ROUTES);
          for (let i = 0; i < 3; i++) expect((await client.get('/broken').expect(200)).body).to.include({ name: 'control', reason: 'error' });
        });

        it('as onExposure: the assignment stands, and a failure goes to onError', async () => {
          const client = await h.start([DelayTracks], { onExposure: hook as Options<unknown>['onExposure'] });
          const res = await client.get('/delay').expect(200);
          expect(res.body).to.include({ reason: 'hash' });
          expect(setCookiesNamed(res, 'tracks')).to.have.length(1);
          // An async onExposure is allowed: only its failure is reported (with the reason it failed with).
          if (kind === 'returns a resolved promise') return;
          await waitFor(() => h.errors.length > 0);
          expect(h.errors.map((e) => [e.info.where, e.info.setName])).to.deep.equal([['onExposure', 'delay']]);
        });
      });
    }
  });
}
