// Contract: continuity that cannot be replayed. A visitor's variants go into the first account their anonymous id is carried into, and no other.
import { expect } from 'chai';
import { assign, MemoryAssignmentStore, SimpleTrackSet, StoreClient } from '../../src/index.js';
import type { Response, Test } from 'supertest';
import { carry, isBoundTo, readAnonymousId, readClaim, setCookiesNamed, tagOf, theSetCookie } from './cookies.js';
import type { RouteSpec } from './app-spec.js';
import { SECRET, type Harness } from './harness.js';
import { PricingTracks, view, type AssignmentView } from './sets.js';

/** Pricing with continuity off, as the docs ask of money tests. */
class StrictPricingTracks extends SimpleTrackSet {
  static override setName = 'strict-pricing';
  static override continuity = false;
  static cheapTrack(): number {
    return -1;
  }
  static expensiveTrack(): number {
    return 1;
  }
}

const ROUTES: readonly RouteSpec[] = [{ path: '/strict-pricing', handler: (t) => view(t.get(StrictPricingTracks)) }];

const pricingOf = (key: string): string => assign(PricingTracks, { key }).name;

/** `count` account keys whose own hash is not `cheap`, so that `cheap` can only come from the visitor. */
function accounts(prefix: string, count: number, set: typeof PricingTracks | typeof StrictPricingTracks = PricingTracks): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) if (assign(set, { key: `${prefix}-${i}` }).name !== 'cheap') found.push(`${prefix}-${i}`);
  return found;
}

interface Client {
  get(path: string): Test;
}

/** The attacker's first step: fresh anonymous visits until one lands in `cheap`; both cookies of that visit. */
async function rerollUntilCheap(client: Client, path = '/pricing'): Promise<{ cookies: string; id: string; response: Response }> {
  for (let i = 0; i < 60; i++) {
    const response = await client.get(path).expect(200);
    if ((response.body as AssignmentView).name === 'cheap') {
      return { cookies: carry(response), id: readAnonymousId(theSetCookie(response, 'tracks_id').value, [SECRET])!, response };
    }
  }
  throw new Error('no cheap visitor in 60 visits');
}

/** The contract's continuity specs. */
export function continuitySpecs(h: Harness): void {
  describe('continuity that cannot be replayed', () => {
    it('carries a re-rolled `cheap` into the first account only: the same cookie pair gives other accounts their own hash', async () => {
      const client = await h.start([PricingTracks], { key: { header: 'x-user-id' } });
      const { cookies, id } = await rerollUntilCheap(client);
      const [first, ...others] = accounts('replayed', 6);
      const carried = await client.get('/pricing').set('x-user-id', first!).set('Cookie', cookies).expect(200);
      expect(carried.body).to.include({ key: first, name: 'cheap', reason: 'sticky' });
      // The id cookie now names the account it went into.
      expect(readClaim(theSetCookie(carried, 'tracks_id').value, [SECRET])).to.equal(tagOf(first!, [SECRET]));
      expect(readAnonymousId(theSetCookie(carried, 'tracks_id').value, [SECRET])).to.equal(id);
      for (const other of others) {
        const replay = await client.get('/pricing').set('x-user-id', other).set('Cookie', cookies).expect(200);
        expect(replay.body, other).to.include({ key: other, name: pricingOf(other), reason: 'hash' });
        expect(isBoundTo(theSetCookie(replay, 'tracks').value, [SECRET], other)).to.equal(true);
        expect(setCookiesNamed(replay, 'tracks_id')).to.have.length(0);
      }
      // The first account keeps it, with the original pair or its own cookie.
      const again = await client.get('/pricing').set('x-user-id', first!).set('Cookie', cookies).expect(200);
      expect(again.body).to.include({ key: first, name: 'cheap', reason: 'sticky' });
    });

    it('gives the variant to exactly one of several accounts presenting the pair at once', async () => {
      const client = await h.start([PricingTracks], { key: { header: 'x-user-id' } });
      const { cookies } = await rerollUntilCheap(client);
      const keys = accounts('racing', 5);
      const answers = await Promise.all(keys.map((key) => client.get('/pricing').set('x-user-id', key).set('Cookie', cookies).expect(200)));
      const names = answers.map((res) => (res.body as AssignmentView).name);
      expect(names.filter((name) => name === 'cheap')).to.have.length(1);
    });

    it('refuses, on a server that never saw the login, an id cookie that names another account', async () => {
      const first = await h.start([PricingTracks], { key: { header: 'x-user-id' } });
      const { cookies } = await rerollUntilCheap(first);
      const [owner, other] = accounts('named', 2);
      const login = await first.get('/pricing').set('x-user-id', owner!).set('Cookie', cookies).expect(200);
      // Logged out again, the visitor keeps the named id cookie and gets a sticky cookie bound to it.
      const idCookie = `tracks_id=${theSetCookie(login, 'tracks_id').value}`;
      const loggedOut = await first.get('/pricing').set('Cookie', idCookie).expect(200);
      expect(loggedOut.body).to.include({ name: 'cheap', reason: 'hash' });
      const pair = `${idCookie}; tracks=${theSetCookie(loggedOut, 'tracks').value}`;
      // A second server (no memory of the first login, no store) still reads whose the id is.
      const second = await h.start([PricingTracks], { key: { header: 'x-user-id' } });
      const replay = await second.get('/pricing').set('x-user-id', other!).set('Cookie', pair).expect(200);
      expect(replay.body).to.include({ key: other, name: pricingOf(other!), reason: 'hash' });
      const back = await second.get('/pricing').set('x-user-id', owner!).set('Cookie', pair).expect(200);
      expect(back.body).to.include({ key: owner, name: 'cheap', reason: 'sticky' });
    });

    it('with a store, refuses the pair on every server once the id was carried into an account, and stores nothing for the others', async () => {
      const store = new MemoryAssignmentStore();
      const options = (): { key: { header: string }; store: StoreClient } => ({
        key: { header: 'x-user-id' },
        store: new StoreClient(store, { flushIntervalMs: 5, onError: () => undefined }),
      });
      const [one, two] = [await h.start([PricingTracks], options()), await h.start([PricingTracks], options())];
      const { cookies, id } = await rerollUntilCheap(one);
      const [owner, ...others] = accounts('stored', 4);
      const carried = await one.get('/pricing').set('x-user-id', owner!).set('Cookie', cookies).expect(200);
      expect(carried.body).to.include({ name: 'cheap', reason: 'sticky' });
      expect(await store.aliasOf(id)).to.equal(owner);
      for (const other of others) {
        const replay = await two.get('/pricing').set('x-user-id', other).set('Cookie', cookies).expect(200);
        expect(replay.body, other).to.include({ key: other, name: pricingOf(other), reason: 'hash' });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const other of others) {
        const stored = (await store.load(other)).get('pricing');
        expect(stored, other).to.deep.include({ variant: pricingOf(other), how: 'hash' });
      }
      expect((await store.load(owner!)).get('pricing')).to.deep.include({ variant: 'cheap', how: 'anonymous' });
    });

    it('carries nothing of a set with `static continuity = false`: the account is hashed by its own key', async () => {
      const client = await h.start([StrictPricingTracks], { key: { header: 'x-user-id' } }, ROUTES);
      const { cookies } = await rerollUntilCheap(client, '/strict-pricing');
      const [account] = accounts('strict', 1, StrictPricingTracks);
      const res = await client.get('/strict-pricing').set('x-user-id', account!).set('Cookie', cookies).expect(200);
      expect(res.body).to.include({ key: account, name: assign(StrictPricingTracks, { key: account }).name, reason: 'hash' });
      expect(isBoundTo(theSetCookie(res, 'tracks').value, [SECRET], account!)).to.equal(true);
    });
  });
}
