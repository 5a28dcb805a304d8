// Contract: keys no database can hold are refused at the source, and a store answering outside its contract never fails a request.
import { expect } from 'chai';
import { MAX_KEY_LENGTH, StoreClient, type RememberedAssignments } from '../../src/index.js';
import { headerOf } from './app-spec.js';
import { ControllableStore } from '../assignment-store/controllable-store.js';
import { carry, setCookiesNamed } from './cookies.js';
import { expected } from './contract.js';
import type { Harness } from './harness.js';
import { DelayTracks, PricingTracks, type AssignmentView } from './sets.js';

/** A store whose `load` answers `answer()` (or throws it), whatever the contract says; writes go to memory. */
class LawlessStore extends ControllableStore {
  constructor(readonly answer: () => unknown) {
    super();
  }
  override load(): Promise<RememberedAssignments> {
    this.loads++;
    return this.answer() as Promise<RememberedAssignments>;
  }
}

/** What a store's `load` may do outside its contract, each a way it broke apps before. */
const ANSWERS: Record<string, () => unknown> = {
  'resolves null': () => Promise.resolve(null),
  'resolves undefined': () => Promise.resolve(undefined),
  'resolves a plain object': () => Promise.resolve({ delay: { variant: 'long', assignedAt: new Date(), how: 'hash' } }),
  'resolves an array': () => Promise.resolve([['delay', { variant: 'long' }]]),
  'resolves a Map of malformed records': () =>
    Promise.resolve(
      new Map<unknown, unknown>([
        ['delay', null],
        [7, {}],
        ['pricing', { variant: 3 }],
      ]),
    ),
  rejects: () => Promise.reject(new Error('the store is down')),
  throws: () => {
    throw new Error('the store threw');
  },
  'answers a thenable that never settles': () => ({ then: () => undefined }),
  'answers a thenable whose then throws': () => ({
    then: () => {
      throw new Error('a broken thenable');
    },
  }),
};

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** The contract's refusal specs: the key rule on every source, and stores outside their contract. */
export function refusalSpecs(h: Harness): void {
  describe('the key rule', () => {
    const hostile: Record<string, { cookie?: string; header?: string }> = {
      'a NUL character from a cookie': { cookie: 'uid=evil%00key' },
      [`a key longer than ${MAX_KEY_LENGTH} characters from a header`]: { header: 'k'.repeat(MAX_KEY_LENGTH + 1) },
      'an unpaired surrogate from a key function': { header: 'lone-surrogate' },
    };
    // A key function turns the header `lone-surrogate` into a key with an unpaired surrogate (no HTTP input can carry one), `replacement` into one with U+FFFD.
    const keyFunction = (req: unknown): string | undefined => {
      const value = headerOf(req, 'x-user-id');
      return value === 'lone-surrogate' ? 'user\uD800' : value === 'replacement' ? 'user\uFFFD' : value;
    };

    for (const [label, input] of Object.entries(hostile)) {
      it(`refuses ${label}: the request goes on unidentified, onError gets ERR_TRACKS_INVALID_KEY, nothing is loaded, saved or logged`, async () => {
        const store = new ControllableStore();
        const app = await h.start([DelayTracks, PricingTracks], {
          key: [{ cookie: 'uid' }, keyFunction],
          store,
        });
        let req = app.get('/both');
        if (input.cookie !== undefined) req = req.set('Cookie', input.cookie);
        if (input.header !== undefined) req = req.set('x-user-id', input.header);
        const res = await req.expect(200);
        const body = res.body as { delay: AssignmentView; pricing: AssignmentView };
        expect([body.delay.reason, body.pricing.reason]).to.deep.equal(['error', 'error']);
        expect([body.delay.key, body.pricing.key]).to.deep.equal([null, null]);
        expect(h.errors.map((e) => [e.info.where, codeOf(e.error)])).to.deep.equal([['key', 'ERR_TRACKS_INVALID_KEY']]);
        expect(h.events).to.deep.equal([]);
        expect(setCookiesNamed(res, 'tracks')).to.have.length(0);
        expect(store.loads).to.equal(0);
        expect(store.saves).to.deep.equal([]);
      });
    }

    it('takes the next source when one gives a refused key, and keeps keys that differ only by U+FFFD apart', async () => {
      const store = new ControllableStore();
      const app = await h.start([DelayTracks], { key: [{ cookie: 'uid' }, keyFunction], store });
      const res = await app.get('/delay').set('Cookie', 'uid=evil%00key').set('x-user-id', 'replacement').expect(200);
      expect(res.body).to.include({ key: 'user\uFFFD', reason: 'hash', name: expected(DelayTracks, 'user\uFFFD') });
      expect(h.errors.map((e) => codeOf(e.error))).to.deep.equal(['ERR_TRACKS_INVALID_KEY']);
      expect(h.events.map((e) => e.key)).to.deep.equal(['user\uFFFD']);
    });
  });

  describe('a store answering outside its contract', () => {
    for (const [label, answer] of Object.entries(ANSWERS)) {
      it(`goes on with cookie and hash when load ${label}, and tells onError`, async () => {
        const store = new LawlessStore(answer);
        const app = await h.start([DelayTracks, PricingTracks], {
          key: { header: 'x-user-id' },
          store: new StoreClient(store, {
            timeoutMs: 50,
            writeTimeoutMs: 200,
            flushIntervalMs: 5,
            onError: (error, info) => void h.errors.push({ error, info: { where: 'store', setName: null, req: null, store: info } }),
          }),
        });
        const key = `lawless-${label.length}`;
        // Without a cookie, then with the cookie the first answer wrote: the store is asked both times.
        const first = await app.get('/delay').set('x-user-id', key).expect(200);
        expect(first.body).to.include({ reason: 'hash', name: expected(DelayTracks, key) });
        const second = await app.get('/both').set('x-user-id', key).set('Cookie', carry(first)).expect(200);
        const both = second.body as { delay: AssignmentView; pricing: AssignmentView };
        expect(both.delay).to.include({ reason: 'sticky', name: expected(DelayTracks, key) });
        expect(both.pricing.reason).to.equal('hash');
        expect(store.loads).to.be.at.least(1);
        expect(h.errors.length, 'onError is told').to.be.at.least(1);
        expect(h.errors.every((e) => e.info.where === 'store')).to.equal(true);
      });
    }
  });
}
