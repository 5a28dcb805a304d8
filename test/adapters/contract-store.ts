// Contract: the server-side assignment store, over real HTTP: loaded before the handler, for users only, first record wins.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { SimpleTrackSet, StoreClient, type StoreClientOptions, type StoreErrorInfo } from '../../src/index.js';
import type { RouteSpec } from './app-spec.js';
import { ControllableStore } from '../assignment-store/controllable-store.js';
import { carry, readAnonymousId, setCookiesNamed, theSetCookie } from './cookies.js';
import { expected, keysWhere } from './contract.js';
import { SECRET, type Harness } from './harness.js';
import {
  DelayReweighted,
  DelayTracks,
  DisabledTracks,
  Experiments,
  PinnedTracks,
  PricingTracks,
  view,
  type AssignmentView,
  type MultiView,
} from './sets.js';

/** Nobody is covered: every user gets control with reason `coverage`. */
class UncoveredTracks extends SimpleTrackSet {
  static override setName = 'uncovered';
  static override coverage = 0;
  static aTrack(): void {}
}

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A client as each server process would hold its own, writing promptly so tests can flush. */
function clientOf(store: ControllableStore, options: StoreClientOptions = {}): StoreClient {
  return new StoreClient(store, { flushIntervalMs: 5, onError: () => undefined, ...options });
}

const EXTRA_ROUTES: readonly RouteSpec[] = [
  { path: '/delay-v2', handler: (t) => view(t.get(DelayReweighted)) },
  {
    path: '/rules',
    handler: (t) => ({
      pinned: view(t.get(PinnedTracks)),
      disabled: view(t.get(DisabledTracks)),
      uncovered: view(t.get(UncoveredTracks)),
      delay: view(t.get(DelayTracks)),
    }),
  },
];

/** The contract's store specs. */
export function storeSpecs(h: Harness): void {
  describe('server-side store', () => {
    it('keeps a user on their stored variant on another server with no cookie, after the weights changed', async () => {
      const store = new ControllableStore();
      const [first, second] = [clientOf(store), clientOf(store)];
      const before = await h.start([DelayTracks], { key: { header: 'x-user-id' }, store: first });
      const after = await h.start([DelayReweighted], { key: { header: 'x-user-id' }, store: second }, EXTRA_ROUTES);
      const keys = keysWhere(10, (k) => expected(DelayTracks, k) !== expected(DelayReweighted, k));
      const enrolled = new Map<string, string>();
      for (const key of keys) {
        const res = await before.get('/delay').set('x-user-id', key).expect(200);
        expect(res.body).to.include({ reason: 'hash', name: expected(DelayTracks, key) });
        enrolled.set(key, (res.body as AssignmentView).name);
      }
      expect(await first.flush(5000)).to.equal(true);
      h.events.length = 0;
      for (const key of keys) {
        const later = await after.get('/delay-v2').set('x-user-id', key).expect(200);
        expect(later.body, key).to.include({ name: enrolled.get(key), reason: 'sticky' });
        // The stored record goes into the cookie, so this browser's next request needs no load.
        expect(theSetCookie(later, 'tracks').value).to.match(/^2~/);
        const again = await after.get('/delay-v2').set('x-user-id', key).set('Cookie', carry(later)).expect(200);
        expect(again.body).to.include({ name: enrolled.get(key), reason: 'sticky' });
        expect(setCookiesNamed(again, 'tracks')).to.have.length(0);
      }
      expect(h.events.map((e) => [e.variant, e.reason, e.firstExposure])).to.deep.equal(
        keys.flatMap((k) => [1, 2].map(() => [enrolled.get(k), 'sticky', false])),
      );
      expect(second.stats).to.include({ misses: 10, hits: 0 });
      expect(first.stats).to.include({ misses: 10, written: 10, dropped: 0 });
    });

    it('loads a user once per request, whatever the sets read, and never for anonymous visitors or bots', async () => {
      const store = new ControllableStore();
      const client = clientOf(store, { cache: false });
      const app = await h.start([DelayTracks, PricingTracks], { key: { header: 'x-user-id' }, store: client, bots: { detect: true, scope: 'all' } });
      await app.get('/both').set('x-user-id', 'ula').expect(200);
      expect(store.loads).to.equal(1);
      const visitor = app.agent();
      for (let i = 0; i < 5; i++) await visitor.get('/both').expect(200);
      await app.get('/both').set('User-Agent', GOOGLEBOT).expect(200);
      const bot = await app.get('/both').set('User-Agent', GOOGLEBOT).set('x-user-id', 'crawler-id').expect(200);
      expect((bot.body as { delay: AssignmentView }).delay.reason).to.equal('bot');
      expect(store.loads).to.equal(1);
      await client.flush(5000);
      expect(store.saves.reduce((a, b) => a + b, 0)).to.equal(2); // ula's two enrolments, nobody else's
    });

    it('saves hash enrolments only: never pinned, disabled, coverage, ineligible or forced results', async () => {
      const store = new ControllableStore();
      const client = clientOf(store);
      const sets = [PinnedTracks, DisabledTracks, UncoveredTracks, DelayTracks];
      const app = await h.start(sets, { key: { header: 'x-user-id' }, store: client, override: { allow: () => true } }, EXTRA_ROUTES);
      const vip = (await app.get('/rules').set('x-user-id', 'vera').set('x-vip', '1').expect(200)).body as Record<string, AssignmentView>;
      expect(Object.values(vip).map((a) => a.reason)).to.deep.equal(['pinned', 'disabled', 'coverage', 'ineligible']);
      const qa = (await app.get('/rules?tracks=delay:long').set('x-user-id', 'quinn').expect(200)).body as Record<string, AssignmentView>;
      expect(qa.delay).to.include({ reason: 'forced', name: 'long' });
      const plain = (await app.get('/rules').set('x-user-id', 'paul').expect(200)).body as { delay: AssignmentView };
      expect(plain.delay.reason).to.equal('hash');
      await client.flush(5000);
      expect([...(await store.inner.load('paul'))].map(([set, r]) => [set, r.variant, r.how])).to.deep.equal([['delay', plain.delay.name, 'hash']]);
      expect(store.inner.size).to.equal(1);
    });

    it('takes a stored record for a set the cookie lacks, and writes it into the cookie', async () => {
      const store = new ControllableStore();
      const client = clientOf(store);
      const app = await h.start([DelayTracks, PricingTracks], { key: { header: 'x-user-id' }, store: client });
      const first = await app.get('/delay').set('x-user-id', 'rita').expect(200);
      // Another server enrolled her in pricing meanwhile.
      const other = expected(PricingTracks as never, 'rita') === 'cheap' ? 'expensive' : 'cheap';
      await store.inner.save([{ key: 'rita', setName: 'pricing', variant: other, assignedAt: new Date(), how: 'hash' }]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const both = await app.get('/both').set('x-user-id', 'rita').set('Cookie', carry(first)).expect(200);
      const body = both.body as { delay: AssignmentView; pricing: AssignmentView };
      expect(body.delay).to.include({ reason: 'sticky', name: (first.body as AssignmentView).name });
      // The cache held rita's load from her first request (empty, plus her own delay); it is fresh, so a new server is asked.
      const fresh = await h.start([DelayTracks, PricingTracks], { key: { header: 'x-user-id' }, store: clientOf(store) });
      const elsewhere = await fresh.get('/both').set('x-user-id', 'rita').set('Cookie', carry(first)).expect(200);
      const there = elsewhere.body as { delay: AssignmentView; pricing: AssignmentView };
      expect(there.delay).to.include({ reason: 'sticky', name: body.delay.name });
      expect(there.pricing).to.include({ reason: 'sticky', name: other });
      const next = await fresh.get('/both').set('x-user-id', 'rita').set('Cookie', carry(elsewhere)).expect(200);
      expect((next.body as { pricing: AssignmentView }).pricing).to.include({ reason: 'sticky', name: other });
      expect(setCookiesNamed(next, 'tracks')).to.have.length(0);
      expect(store.loads).to.equal(2); // rita's first request, and the new server's first; none with a full cookie
    });

    it("remembers a MultiTrackSet's member and its variant across servers", async () => {
      const store = new ControllableStore();
      const first = clientOf(store);
      const a = await h.start([Experiments], { key: { header: 'x-user-id' }, store: first });
      const b = await h.start([Experiments], { key: { header: 'x-user-id' }, store: clientOf(store) });
      const there = (await a.get('/multi').set('x-user-id', 'mia').expect(200)).body as { multi: MultiView };
      await first.flush(5000);
      const back = (await b.get('/multi').set('x-user-id', 'mia').expect(200)).body as { multi: MultiView };
      expect(back.multi).to.include({ trackSetName: there.multi.trackSetName, name: there.multi.name, reason: 'sticky' });
      const records = await store.inner.load('mia');
      expect(records.get('experiments')?.variant).to.equal(there.multi.trackSetName);
    });

    it('saves an anonymous visitor’s variants when they log in, records the alias, and gives them on a second device', async () => {
      const store = new ControllableStore();
      const client = clientOf(store);
      const app = await h.start([DelayTracks, PricingTracks], { key: [{ session: 'userId' }], store: client });
      const phone = app.agent();
      const anonymous = await phone.get('/both').expect(200);
      const before = anonymous.body as { delay: AssignmentView; pricing: AssignmentView };
      const anonymousId = readAnonymousId(theSetCookie(anonymous, 'tracks_id').value, [SECRET])!;
      const [id] = keysWhere(1, (k) => expected(DelayTracks, k) !== before.delay.name);
      await phone.get(`/login?user=${id}`).expect(200);
      // Only delay is read at login: pricing is carried over with the rest of the visitor's cookie.
      expect((await phone.get('/delay').expect(200)).body).to.include({ key: id, name: before.delay.name, reason: 'sticky' });
      await client.flush(5000);
      const records = await store.inner.load(id!);
      expect([...records].map(([set, r]) => [set, r.variant, r.how]).sort()).to.deep.equal(
        [
          ['delay', before.delay.name, 'anonymous'],
          ['pricing', before.pricing.name, 'anonymous'],
        ].sort(),
      );
      expect(await store.inner.aliasOf(anonymousId)).to.equal(id);
      const laptop = (await h.start([DelayTracks, PricingTracks], { key: [{ session: 'userId' }], store: clientOf(store) })).agent();
      await laptop.get(`/login?user=${id}`).expect(200);
      const there = (await laptop.get('/both').expect(200)).body as { delay: AssignmentView; pricing: AssignmentView };
      expect(there.delay).to.include({ name: before.delay.name, reason: 'sticky' });
      expect(there.pricing).to.include({ name: before.pricing.name, reason: 'sticky' });
    });

    it('gives a user who logs in on a second device their stored variant over that device’s anonymous one', async () => {
      const store = new ControllableStore();
      const client = clientOf(store);
      const app = await h.start([DelayTracks], { key: [{ session: 'userId' }], store: client });
      const laptop = app.agent();
      await laptop.get('/login?user=sam').expect(200);
      const stored = ((await laptop.get('/delay').expect(200)).body as AssignmentView).name;
      expect(stored).to.equal(expected(DelayTracks, 'sam'));
      await client.flush(5000);
      // A phone whose anonymous visitor landed elsewhere (the anonymous id is random: try a few).
      let phone = app.agent();
      for (let i = 0; ((await phone.get('/delay').expect(200)).body as AssignmentView).name === stored; i++) {
        expect(i, 'an anonymous visitor in another variant').to.be.below(40);
        phone = app.agent();
      }
      await phone.get('/login?user=sam').expect(200);
      expect((await phone.get('/delay').expect(200)).body).to.include({ name: stored, reason: 'sticky' });
      expect((await phone.get('/delay').expect(200)).body).to.include({ name: stored, reason: 'sticky' });
      await client.flush(5000);
      expect((await store.inner.load('sam')).get('delay')).to.include({ variant: stored, how: 'hash' });
    });

    it('replaces a stored record whose variant was removed by the new hash, so other servers load it', async () => {
      const store = new ControllableStore();
      const keys = keysWhere(5, (k) => expected(DelayTracks, k) !== 'control');
      await store.inner.save(keys.map((key) => ({ key, setName: 'delay', variant: 'medium', assignedAt: new Date(0), how: 'hash' as const })));
      const app = await h.start([DelayTracks], { key: { header: 'x-user-id' }, store: clientOf(store) });
      for (const key of keys) {
        const res = await app.get('/delay').set('x-user-id', key).expect(200);
        expect(res.body).to.include({ name: expected(DelayTracks, key), reason: 'hash' });
      }
      // The replacements are written directly, not queued: wait for them (at most 2 s).
      for (let i = 0; i < 100; i++) {
        const loaded = await Promise.all(keys.map(async (key) => (await store.inner.load(key)).get('delay')?.variant));
        if (loaded.every((v, j) => v === expected(DelayTracks, keys[j]!))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const other = await h.start([DelayTracks], { key: { header: 'x-user-id' }, store: clientOf(store) });
      for (const key of keys) {
        expect((await store.inner.load(key)).get('delay'), key).to.include({ variant: expected(DelayTracks, key), how: 'hash' });
        const later = await other.get('/delay').set('x-user-id', key).expect(200);
        expect(later.body, key).to.include({ name: expected(DelayTracks, key), reason: 'sticky' });
      }
    });

    it('goes on with cookie and hash when the store fails or is slow, and tells onError', async () => {
      const failing = new ControllableStore();
      failing.failLoads = true;
      // A bare store: the middleware wraps it, and its failures reach the middleware's onError.
      const app = await h.start([DelayTracks], { key: { header: 'x-user-id' }, store: failing });
      const res = await app.get('/delay').set('x-user-id', 'fay').expect(200);
      expect(res.body).to.include({ reason: 'hash', name: expected(DelayTracks, 'fay') });
      const reported = h.errors.map((e) => e.info).filter((i): i is StoreErrorInfo => i.where === 'store');
      expect(reported.map((i) => [i.req, i.store])).to.deep.equal([[null, { operation: 'load', key: 'fay', reason: 'error' }]]);

      const slow = new ControllableStore();
      slow.loadDelayMs = 1500;
      const timeouts: unknown[] = [];
      const client = new StoreClient(slow, { timeoutMs: 30, onError: (_e, info) => void timeouts.push(info) });
      const patient = await h.start([DelayTracks], { key: { header: 'x-user-id' }, store: client });
      const started = performance.now();
      const answered = await patient.get('/delay').set('x-user-id', 'gus').expect(200);
      // The request did not wait for the store (1.5 s), only for its 30 ms timeout.
      expect(performance.now() - started).to.be.below(1000);
      expect(answered.body).to.include({ reason: 'hash', name: expected(DelayTracks, 'gus') });
      expect(timeouts).to.deep.equal([{ operation: 'load', key: 'gus', reason: 'timeout' }]);
    });
  });
}
