// StoreClient: loads bounded by a timeout and served from a bounded cache, writes queued and retried.
import { expect } from 'chai';
import type { UserAssignment } from '../../src/assignment-store/assignment-store.js';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import type { StoreFailure } from '../../src/assignment-store/store-client-options.js';
import { ControllableStore } from './controllable-store.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rec = (key: string, setName: string, variant: string): UserAssignment => ({ key, setName, variant, assignedAt: new Date(1000), how: 'hash' });
const variants = (m: ReadonlyMap<string, { variant: string }> | null | undefined): Record<string, string> | null =>
  m ? Object.fromEntries([...m].map(([s, a]) => [s, a.variant])) : null;

describe('StoreClient', () => {
  let store: ControllableStore;
  let failures: StoreFailure[];
  const clients: StoreClient[] = [];
  function client(options: ConstructorParameters<typeof StoreClient>[1] = {}): StoreClient {
    const c = new StoreClient(store, { onError: (_e, info) => void failures.push(info), ...options });
    clients.push(c);
    return c;
  }
  beforeEach(() => {
    store = new ControllableStore();
    failures = [];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close(100)));
  });

  describe('load', () => {
    it('answers a returning user from the cache without asking the store again', async () => {
      await store.inner.save([rec('u1', 'delay', 'long')]);
      const c = client();
      expect(c.cached('u1')).to.equal(undefined);
      expect(variants(await c.load('u1'))).to.deep.equal({ delay: 'long' });
      expect(variants(c.cached('u1'))).to.deep.equal({ delay: 'long' });
      expect(variants(await c.load('u1'))).to.deep.equal({ delay: 'long' });
      expect(store.loads).to.equal(1);
      expect(c.stats).to.deep.include({ hits: 2, misses: 1, cached: 1 });
    });

    it('asks the store again once the entry is older than cache.ttlMs', async () => {
      const c = client({ cache: { ttlMs: 30 } });
      await c.load('u1');
      await store.inner.save([rec('u1', 'delay', 'short')]);
      expect(variants(await c.load('u1'))).to.deep.equal({});
      await sleep(50);
      expect(variants(await c.load('u1'))).to.deep.equal({ delay: 'short' });
      expect(store.loads).to.equal(2);
    });

    it('shares one query among concurrent loads of the same key', async () => {
      store.loadDelayMs = 20;
      const c = client({ timeoutMs: 5000 });
      const answers = await Promise.all(Array.from({ length: 10 }, () => c.load('same')));
      expect(store.loads).to.equal(1);
      expect(new Set(answers).size).to.equal(1);
    });

    it('answers null without waiting for a slow store, tells onError once, and caches the late answer', async () => {
      await store.inner.save([rec('slow', 'delay', 'long')]);
      store.loadDelayMs = 300;
      const c = client({ timeoutMs: 30 });
      const started = Date.now();
      const answers = await Promise.all([c.load('slow'), c.load('slow')]);
      expect(Date.now() - started).to.be.below(300); // it did not wait for the store
      expect(answers).to.deep.equal([null, null]);
      expect(failures).to.deep.equal([{ operation: 'load', key: 'slow', reason: 'timeout' }]);
      expect(c.stats).to.deep.include({ timeouts: 2, loading: 1 });
      await sleep(350);
      expect(variants(c.cached('slow'))).to.deep.equal({ delay: 'long' });
    });

    it('answers null when the store fails, and reports the error, never rejecting', async () => {
      store.failLoads = true;
      const c = client();
      expect(await c.load('u1')).to.equal(null);
      expect(failures).to.deep.equal([{ operation: 'load', key: 'u1', reason: 'error' }]);
      expect(c.stats).to.deep.include({ errors: 1, cached: 0 });
      const throwing = new StoreClient(
        {
          ...store,
          load: () => {
            throw new Error('sync');
          },
          save: () => Promise.resolve(),
          alias: () => Promise.resolve(),
        } as never,
        { onError: () => undefined },
      );
      expect(await throwing.load('u1')).to.equal(null);
      await throwing.close();
    });
  });

  describe('save and alias', () => {
    it('shows its own saves at once, before they are written', async () => {
      const c = client({ flushIntervalMs: 60_000 });
      c.save([rec('new', 'delay', 'long')]);
      expect(store.saves).to.deep.equal([]);
      expect(variants(await c.load('new'))).to.deep.equal({ delay: 'long' });
      c.save([rec('new', 'pricing', 'cheap')]);
      expect(variants(c.cached('new'))).to.deep.equal({ delay: 'long', pricing: 'cheap' });
    });

    it('shows a save made while a load of that user was in flight', async () => {
      store.loadDelayMs = 40;
      const c = client({ timeoutMs: 5000, flushIntervalMs: 1 });
      const loading = c.load('racy');
      c.save([rec('racy', 'delay', 'short')]);
      await c.flush(1000); // written before the load's (older) snapshot answers
      expect(variants(await loading)).to.deep.equal({ delay: 'short' });
      expect(variants(c.cached('racy'))).to.deep.equal({ delay: 'short' });
    });

    it('keeps the first variant in its cache and does not write a set the user already has', async () => {
      await store.inner.save([rec('u1', 'delay', 'long')]);
      const c = client({ flushIntervalMs: 1 });
      await c.load('u1');
      c.save([rec('u1', 'delay', 'short'), rec('u2', 'delay', 'short'), rec('u2', 'delay', 'long')]);
      await c.flush();
      expect(variants(await c.load('u1'))).to.deep.equal({ delay: 'long' });
      expect(variants(await store.inner.load('u2'))).to.deep.equal({ delay: 'short' });
      expect(store.saves).to.deep.equal([1]);
    });

    it('writes many users in one batch', async () => {
      const c = client({ flushIntervalMs: 20 });
      for (let i = 0; i < 300; i++) c.save([rec(`u${i}`, 'delay', 'long')]);
      expect(await c.flush(1000)).to.equal(true);
      expect(store.saves).to.deep.equal([300]);
      expect(c.stats).to.deep.include({ queued: 0, written: 300 });
    });

    it('retries failed writes with back-off, loses nothing, and counts the retries', async () => {
      store.failWrites = 3;
      const c = client({ flushIntervalMs: 1, retryMs: 5 });
      c.save([rec('a', 'delay', 'long'), rec('b', 'delay', 'short')]);
      c.alias([{ anonymousId: 'anon-a', key: 'a', aliasedAt: new Date() }]);
      expect(await c.flush(2000)).to.equal(true);
      expect(variants(await store.inner.load('b'))).to.deep.equal({ delay: 'short' });
      expect(await store.aliasOf('anon-a')).to.equal('a');
      expect(c.stats).to.deep.include({ written: 3, failures: 3, retries: 3, dropped: 0 });
      expect(failures.map((f) => f.operation)).to.deep.equal(['write', 'write', 'write']);
    });

    it('drops saves past the queue bound, counts and reports them, and does not show them', async () => {
      store.failWrites = 1_000_000;
      const c = client({ maxQueue: 5, flushIntervalMs: 1, retryMs: 1000 });
      c.save(Array.from({ length: 8 }, (_, i) => rec(`q${i}`, 'delay', 'long')));
      expect(c.stats).to.deep.include({ queued: 5, dropped: 3 });
      expect(variants(await c.load('q7'))).to.deep.equal({});
      expect(variants(await c.load('q0'))).to.deep.equal({ delay: 'long' });
      const stats = await c.close(50);
      expect(stats).to.deep.include({ queued: 0, dropped: 8, written: 0 });
      expect(failures.filter((f) => f.operation === 'drop').reduce((n, f) => n + (f.operation === 'drop' ? f.count : 0), 0)).to.equal(8);
    });

    it('refuses malformed and forced records without throwing', () => {
      const c = client();
      c.save([{ ...rec('u1', 'delay', 'long'), how: 'forced' } as unknown as UserAssignment, rec('u1', '', 'long')]);
      c.alias([{ anonymousId: '', key: 'u1', aliasedAt: new Date() }]);
      expect(c.stats).to.deep.include({ invalid: 3, queued: 0 });
      expect(failures).to.deep.equal([
        { operation: 'save', reason: 'invalid' },
        { operation: 'save', reason: 'invalid' },
        { operation: 'alias', reason: 'invalid' },
      ]);
    });
  });

  describe('close', () => {
    it('writes what is queued, then answers loads with null and drops saves', async () => {
      const c = client({ flushIntervalMs: 60_000 });
      c.save([rec('last', 'delay', 'long')]);
      const stats = await c.close();
      expect(stats).to.deep.include({ written: 1, queued: 0 });
      expect(variants(await store.inner.load('last'))).to.deep.equal({ delay: 'long' });
      expect(await c.load('someone-else')).to.equal(null);
      c.save([rec('late', 'delay', 'long')]);
      expect(c.stats.dropped).to.equal(1);
    });
  });

  describe('options', () => {
    it('refuses bad options at start-up, in the house error shape', () => {
      expect(() => client({ timeoutMs: -1 })).to.throw(/^option store\.timeoutMs is invalid: -1 \(expected a number of at least 1\)$/);
      expect(() => client({ cache: { maxEntries: 1.5 } })).to.throw(/^option store\.cache\.maxEntries is invalid: 1\.5/);
      expect(() => client({ timeOut: 5 } as never)).to.throw(/^option store\.timeOut is unknown \(known: timeoutMs, cache,/);
      expect(() => client({ retryMs: 100, maxRetryMs: 10 })).to.throw(/^option store\.maxRetryMs is invalid: 10/);
      expect(() => new StoreClient({} as never)).to.throw(/^option store is invalid: \{\} \(expected an assignment store/);
    });

    it('runs without a cache when cache is false, asking the store every time', async () => {
      const c = client({ cache: false });
      await c.load('u1');
      await c.load('u1');
      expect(store.loads).to.equal(2);
      expect(c.stats.cached).to.equal(0);
    });
  });
});
