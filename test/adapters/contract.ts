// The adapter contract: one suite every framework adapter must pass, run by each framework's test file.
import { expect } from 'chai';
import { chiSquareSf } from '../../src/analysis/index.js';
import { assign } from '../../src/index.js';
import type { MakeApp } from './app-spec.js';
import { theSetCookie, setCookiesNamed, carry, readAnonymousId } from './cookies.js';
import { cookieSpecs } from './contract-cookies.js';
import { badInputSpecs } from './contract-bad-input.js';
import { exposureSpecs } from './contract-exposures.js';
import { failureSpecs } from './contract-failures.js';
import { identitySpecs } from './contract-identity.js';
import { continuitySpecs } from './contract-continuity.js';
import { persistenceSpecs } from './contract-persistence.js';
import { botSpecs } from './contract-bots.js';
import { hookSpecs } from './contract-hooks.js';
import { overrideSpecs } from './contract-override.js';
import { storeSpecs } from './contract-store.js';
import { refusalSpecs } from './contract-refusals.js';
import { Harness, SECRET } from './harness.js';
import {
  DelayReweighted,
  DelayTracks,
  DelayWithMedium,
  Experiments,
  PricingTracks,
  WeightedTracks,
  view,
  type AssignmentView,
  type MultiView,
} from './sets.js';

/** The variant the engine gives a non-VIP user with this key, as the adapters must too. */
export function expected(set: typeof DelayTracks | typeof DelayReweighted | typeof DelayWithMedium | typeof WeightedTracks, key: string): string {
  return assign(set as typeof DelayTracks, { key, context: { vip: false } }).name;
}

/** Keys `user-0`, `user-1`… for which `differs` holds. */
export function keysWhere(count: number, differs: (key: string) => boolean): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) if (differs(`user-${i}`)) found.push(`user-${i}`);
  return found;
}

/**
 * Runs the contract against one framework.
 * @example runAdapterContract('express 5', expressApp(express))
 */
export function runAdapterContract(name: string, makeApp: MakeApp): void {
  describe(`${name}: adapter contract`, function () {
    const h = new Harness(makeApp);
    beforeEach(() => h.reset());
    afterEach(() => h.closeAll());

    describe('stickiness', () => {
      it('keeps a visitor on one variant over 50 requests', async () => {
        const user = (await h.start([DelayTracks])).agent();
        const seen: AssignmentView[] = [];
        for (let i = 0; i < 50; i++) seen.push((await user.get('/delay').expect(200)).body as AssignmentView);
        expect(new Set(seen.map((a) => a.name)).size).to.equal(1);
        expect(new Set(seen.map((a) => a.key)).size).to.equal(1);
        expect(seen[0]!.reason).to.equal('hash');
        expect(seen.slice(1).every((a) => a.reason === 'sticky')).to.equal(true);
        expect(seen[0]!.name).to.equal(expected(DelayTracks, seen[0]!.key!));
      });

      it('spreads 1,000 users across variants as the weights say (chi-square, p > 0.001)', async function () {
        this.timeout(30_000);
        const client = await h.start([WeightedTracks], { key: { header: 'x-user-id' } }, [
          { path: '/weighted', handler: (t) => view(t.get(WeightedTracks)) },
        ]);
        const counts: Record<string, number> = { control: 0, a: 0, b: 0 };
        for (let start = 0; start < 1000; start += 50) {
          const keys = Array.from({ length: 50 }, (_, i) => `user-${start + i}`);
          const responses = await Promise.all(keys.map((key) => client.get('/weighted').set('x-user-id', key).expect(200)));
          responses.forEach((res, i) => {
            const body = res.body as AssignmentView;
            expect(body.name, keys[i]).to.equal(expected(WeightedTracks, keys[i]!));
            counts[body.name]! += 1;
          });
        }
        const want: Record<string, number> = { control: 500, a: 300, b: 200 };
        const stat = Object.keys(want).reduce((sum, v) => sum + (counts[v]! - want[v]!) ** 2 / want[v]!, 0);
        const p = chiSquareSf(stat, 2);
        expect(p, `counts ${JSON.stringify(counts)}`).to.be.greaterThan(0.001);
      });

      it('keeps users on their remembered variant when the weights change', async () => {
        const before = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
        const after = await h.start([DelayReweighted], { key: { header: 'x-user-id' } }, [
          { path: '/delay-v2', handler: (t) => view(t.get(DelayReweighted)) },
        ]);
        for (const key of keysWhere(10, (k) => expected(DelayTracks, k) !== expected(DelayReweighted, k))) {
          const first = await before.get('/delay').set('x-user-id', key).expect(200);
          const later = await after.get('/delay-v2').set('x-user-id', key).set('Cookie', carry(first)).expect(200);
          expect((later.body as AssignmentView).name, key).to.equal((first.body as AssignmentView).name);
          expect((later.body as AssignmentView).reason).to.equal('sticky');
          expect(setCookiesNamed(later, 'tracks')).to.have.length(0);
          const fresh = await after.get('/delay-v2').set('x-user-id', key).expect(200);
          expect((fresh.body as AssignmentView).name).to.equal(expected(DelayReweighted, key));
        }
      });

      it('keeps users on their remembered variant when a variant is added', async () => {
        const before = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
        const after = await h.start([DelayWithMedium], { key: { header: 'x-user-id' } }, [
          { path: '/delay-v2', handler: (t) => view(t.get(DelayWithMedium)) },
        ]);
        for (const key of keysWhere(10, (k) => expected(DelayTracks, k) !== expected(DelayWithMedium, k))) {
          const first = await before.get('/delay').set('x-user-id', key).expect(200);
          const later = await after.get('/delay-v2').set('x-user-id', key).set('Cookie', carry(first)).expect(200);
          expect((later.body as AssignmentView).name, key).to.equal((first.body as AssignmentView).name);
          expect((later.body as AssignmentView).reason).to.equal('sticky');
        }
      });

      it('puts each user in one member of a MultiTrackSet only, and keeps them there', async () => {
        const client = await h.start([Experiments], { key: { header: 'x-user-id' } });
        const chosen: Record<string, number> = { color: 0, layout: 0 };
        for (let i = 0; i < 60; i++) {
          const key = `user-${i}`;
          const res = await client.get('/multi').set('x-user-id', key).expect(200);
          const body = res.body as { color: AssignmentView; layout: AssignmentView; multi: MultiView };
          const inSets = [body.color, body.layout].filter((a) => a.reason !== 'excluded');
          expect(inSets, key).to.have.length(1);
          expect(body.multi.trackSetName).to.equal(inSets[0]!.setName);
          expect(body.multi.trackSetName).to.equal(assign(Experiments, { key }).trackSetName);
          chosen[inSets[0]!.setName]! += 1;
          const again = (await client.get('/multi').set('x-user-id', key).set('Cookie', carry(res)).expect(200)).body as typeof body;
          expect(again.multi.trackSetName).to.equal(body.multi.trackSetName);
          expect(again.multi.reason).to.equal('sticky');
          expect(again.multi.name).to.equal(body.multi.name);
        }
        expect(chosen.color).to.be.greaterThan(10);
        expect(chosen.layout).to.be.greaterThan(10);
      });
    });

    describe('keys', () => {
      it('reads the key from a cookie', async () => {
        const client = await h.start([DelayTracks], { key: { cookie: 'uid' } });
        const res = await client.get('/delay').set('Cookie', 'uid=alice').expect(200);
        expect(res.body).to.include({ key: 'alice', name: expected(DelayTracks, 'alice'), reason: 'hash' });
        expect(setCookiesNamed(res, 'tracks_id')).to.have.length(0);
      });

      it('reads the key from a header', async () => {
        const client = await h.start([DelayTracks], { key: { header: 'X-User-Id' } });
        const res = await client.get('/delay').set('x-user-id', 'bob').expect(200);
        expect(res.body).to.include({ key: 'bob', name: expected(DelayTracks, 'bob') });
      });

      it('reads the key from the session', async () => {
        const user = (await h.start([DelayTracks], { key: { session: 'userId' } })).agent();
        await user.get('/login?user=carol').expect(200);
        const res = await user.get('/delay').expect(200);
        expect(res.body).to.include({ key: 'carol', name: expected(DelayTracks, 'carol') });
        expect(setCookiesNamed(res, 'tracks_id')).to.have.length(0);
      });

      it('reads the key from a function of the request', async () => {
        const client = await h.start([DelayTracks], { key: () => 42 });
        const res = await client.get('/delay').expect(200);
        expect(res.body).to.include({ key: '42', name: expected(DelayTracks, '42') });
      });

      it('tries several sources in order and takes the first with a value', async () => {
        const client = await h.start([DelayTracks], {
          key: [{ session: 'userId' }, { cookie: 'uid' }, { header: 'x-user-id' }, () => 'from-function'],
        });
        const key = async (req: ReturnType<typeof client.get>) => ((await req.expect(200)).body as AssignmentView).key;
        expect(await key(client.get('/delay'))).to.equal('from-function');
        expect(await key(client.get('/delay').set('x-user-id', ''))).to.equal('from-function');
        expect(await key(client.get('/delay').set('x-user-id', 'dave'))).to.equal('dave');
        expect(await key(client.get('/delay').set('x-user-id', 'dave').set('Cookie', 'uid=erin'))).to.equal('erin');
        const user = client.agent();
        await user.get('/login?user=frank').expect(200);
        expect(await key(user.get('/delay').set('x-user-id', 'dave'))).to.equal('frank');
      });

      it('gives an anonymous visitor an id cookie once and reuses it', async () => {
        const user = (await h.start([DelayTracks, PricingTracks])).agent();
        const ids: string[] = [];
        const keys = new Set<string | null>();
        for (const path of ['/delay', '/pricing', '/both', '/delay', '/none', '/both', '/pricing', '/delay']) {
          const res = await user.get(path).expect(200);
          ids.push(...setCookiesNamed(res, 'tracks_id').map((c) => c.value));
          const body = res.body as Record<string, AssignmentView> & AssignmentView;
          keys.add(body.key ?? body.delay?.key ?? null);
        }
        keys.delete(null);
        expect(ids).to.have.length(1);
        // With a secret the id cookie is signed: `<uuid>.<signature>`, and the key is the uuid.
        expect(ids[0]).to.match(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        expect([...keys]).to.deep.equal([readAnonymousId(ids[0]!, [SECRET])]);
      });

      it('keeps the variant when an anonymous visitor logs in with an id that hashes elsewhere', async () => {
        const client = await h.start([DelayTracks], { key: [{ session: 'userId' }] });
        const user = client.agent();
        const anonymous = (await user.get('/delay').expect(200)).body as AssignmentView;
        expect(anonymous.reason).to.equal('hash');
        const [id] = keysWhere(1, (k) => expected(DelayTracks, k) !== anonymous.name);
        await user.get(`/login?user=${id}`).expect(200);
        const loggedIn = (await user.get('/delay').expect(200)).body as AssignmentView;
        expect(loggedIn).to.include({ key: id, name: anonymous.name, reason: 'sticky' });
        const stranger = client.agent();
        await stranger.get(`/login?user=${id}`).expect(200);
        expect(((await stranger.get('/delay').expect(200)).body as AssignmentView).name).to.equal(expected(DelayTracks, id!));
      });
    });

    describe('lazy reading', () => {
      it('writes no cookie and no cache header on a route that reads no set', async () => {
        const res = await (await h.start([DelayTracks])).get('/none').expect(200);
        expect(res.headers['set-cookie']).to.equal(undefined);
        expect(res.headers['cache-control']).to.equal(undefined);
        expect(h.events).to.have.length(0);
      });

      it('peeks without enrolling, logging or writing', async () => {
        const client = await h.start([DelayTracks, PricingTracks], { key: { header: 'x-user-id' } });
        const peeked = (await client.get('/peek').set('x-user-id', 'gina').expect(200)) as {
          body: { delay: AssignmentView };
          headers: Record<string, unknown>;
        };
        expect(peeked.headers['set-cookie']).to.equal(undefined);
        expect(h.events).to.have.length(0);
        const got = await client.get('/delay').set('x-user-id', 'gina').expect(200);
        expect(got.body).to.include({ name: peeked.body.delay.name, reason: 'hash' });
        expect(theSetCookie(got, 'tracks').value).to.not.equal('');
        const anonymous = await client.get('/peek').expect(200);
        expect(anonymous.headers['set-cookie']).to.equal(undefined);
      });

      it('names the set when a route reads one that is not registered', async () => {
        const client = await h.start([DelayTracks]);
        const res = await client.get('/unknown').expect(500);
        const body = res.body as { code: string; error: string };
        expect(body.code).to.equal('ERR_TRACKS_UNKNOWN_SET');
        expect(body.error).to.include('"unregistered-test"');
        await client.get('/delay').expect(200);
      });
    });

    overrideSpecs(h);
    exposureSpecs(h);
    cookieSpecs(h);
    badInputSpecs(h);
    failureSpecs(h);
    identitySpecs(h);
    continuitySpecs(h);
    persistenceSpecs(h);
    botSpecs(h);
    hookSpecs(h);
    storeSpecs(h);
    refusalSpecs(h);
  });
}
