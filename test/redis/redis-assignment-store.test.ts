// redisAssignmentStore on a real Redis server, through ioredis 6 and 5: the store contract, the keys it writes, races, expiry and refusals.
import { expect } from 'chai';
import type Redis from 'ioredis';
import type Redis5 from 'ioredis5';
import type { AssignmentStore, UserAssignment } from '../../src/assignment-store/assignment-store.js';
import { TracksError } from '../../src/engine/errors.js';
import { redisAssignmentStore, type RedisClientLike } from '../../src/redis/index.js';
import { connected, IOREDIS, redisClient, type IoredisName } from '../support/redis-clients.js';
import { testRedisUrl } from '../support/redis-hooks.js';
import { runAssignmentStoreContract } from '../assignment-store/assignment-store-contract.js';

// Both majors of the peer range fit the structural client type, checked by the compiler.
const fits: Array<(client: Redis | Redis5) => RedisClientLike> = [(client) => client];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const record = (key: string, setName: string, variant: string, assignedAt = new Date(), how: UserAssignment['how'] = 'hash'): UserAssignment => ({
  key,
  setName,
  variant,
  assignedAt,
  how,
});

/** The server's count of calls per command since the last CONFIG RESETSTAT (`INFO commandstats`). */
async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const calls: Record<string, number> = {};
  for (const [, name, n] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[name!] = Number(n);
  return calls;
}

describe('redisAssignmentStore', () => {
  expect(fits).to.have.length(1);
  for (const which of Object.keys(IOREDIS) as IoredisName[]) {
    describe(`on Redis through ${which}`, () => {
      let redis: Redis;
      let store: AssignmentStore;
      before(async () => {
        redis = await connected(redisClient(testRedisUrl(), which));
        await redis.flushdb();
        store = redisAssignmentStore(redis);
      });
      after(() => redis?.disconnect());

      runAssignmentStoreContract(() => store);
    });
  }

  describe('its keys, scripts and options', () => {
    let redis: Redis;
    let store: AssignmentStore;
    before(async () => {
      redis = await connected(redisClient(testRedisUrl()));
      await redis.flushdb();
      store = redisAssignmentStore(redis);
    });
    after(() => redis?.disconnect());

    it('keeps a user in one hash, a field per set, with the values docs/schema.md describes', async () => {
      const assignedAt = new Date('2025-03-04T05:06:07.089Z');
      await store.save([record('row-1', 'delay', 'long|odd', assignedAt, 'anonymous'), record('row-1', 'pricing', 'cheap', assignedAt)]);
      expect(await redis.keys('tracks:u:*')).to.deep.equal(['tracks:u:{row-1}']);
      expect(await redis.hgetall('tracks:u:{row-1}')).to.deep.equal({
        delay: `|${assignedAt.getTime()}|a|long|odd`,
        pricing: `|${assignedAt.getTime()}|h|cheap`,
      });
      expect(await redis.pttl('tracks:u:{row-1}')).to.equal(-1);
      expect((await store.load('row-1')).get('delay')).to.deep.equal({ variant: 'long|odd', assignedAt, how: 'anonymous' });
      await store.alias([{ anonymousId: 'anon-row', key: 'row-1', aliasedAt: assignedAt }]);
      expect(await redis.get('tracks:alias:{anon-row}')).to.equal('row-1');
    });

    it('puts every key of a user in one cluster hash slot, whatever the key holds', async () => {
      for (const key of ['u-42', '', 'a}b', '{x}', '🥥']) {
        const slot = await redis.cluster('KEYSLOT', `tracks:u:{${key}}`).catch(() => null);
        // Not a cluster: CLUSTER KEYSLOT still answers on Redis 7; the tag is what decides the slot.
        if (slot !== null) expect(slot, key).to.equal(await redis.cluster('KEYSLOT', `tracks:other:{${key}}`));
      }
    });

    it('answers a load with one command, and saves many users with one script call each', async () => {
      await store.save([record('count-1', 'delay', 'long'), record('count-1', 'pricing', 'cheap')]);
      await redis.config('RESETSTAT');
      await store.load('count-1');
      const loaded = await commandCalls(redis);
      await redis.config('RESETSTAT');
      await store.save([record('count-2', 'delay', 'long'), record('count-3', 'delay', 'short'), record('count-2', 'pricing', 'cheap')]);
      const saved = await commandCalls(redis);
      // The server counts the commands a script runs too (time, pttl, hgetall, hset…): only evalsha came from the client.
      const fromScripts = new Set(['time', 'pttl', 'hgetall', 'hset', 'hdel', 'persist', 'pexpireat']);
      expect(loaded).to.deep.include({ hgetall: 1 });
      expect(Object.keys(loaded).filter((c) => !['hgetall', 'config|resetstat', 'info'].includes(c))).to.deep.equal([]);
      expect(saved).to.deep.include({ evalsha: 2 });
      expect(Object.keys(saved).filter((c) => !fromScripts.has(c) && !['evalsha', 'config|resetstat', 'info'].includes(c))).to.deep.equal([]);
    });

    it('keeps one whole record per user when two clients save conflicting batches at once', async () => {
      const other = await connected(redisClient(testRedisUrl().replace(/\/\d+$/, `/${(redis.options.db ?? 0).toString()}`)));
      try {
        const otherStore = redisAssignmentStore(other);
        const keys = Array.from({ length: 200 }, (_, i) => `race-${i}`);
        const batch = (key: string, variant: string, at: number): UserAssignment[] => [
          record(key, 'delay', variant, new Date(at)),
          record(key, 'pricing', variant, new Date(at)),
        ];
        // Each user saved by both at once, the order alternating: each client wins some users.
        await Promise.all(
          keys.flatMap((key, i) =>
            i % 2
              ? [otherStore.save(batch(key, 'b', 2)), store.save(batch(key, 'a', 1))]
              : [store.save(batch(key, 'a', 1)), otherStore.save(batch(key, 'b', 2))],
          ),
        );
        let fromA = 0;
        for (const key of keys) {
          const loaded = await store.load(key);
          const variants = [...loaded.values()].map((s) => [s.variant, s.assignedAt.getTime()]);
          expect(variants, key).to.have.length(2);
          expect(
            variants.every(([v, at]) => (v === 'a' && at === 1) || (v === 'b' && at === 2)),
            key,
          ).to.equal(true);
          if (loaded.get('delay')!.variant === 'a') fromA++;
        }
        console.log(
          `      ${keys.length} users saved by two clients at once: ${fromA} kept the first client's records, ${keys.length - fromA} the second's`,
        );
      } finally {
        other.disconnect();
      }
    });

    it('loads the script again when the server has forgotten it (SCRIPT FLUSH, or a restart)', async () => {
      await redis.script('FLUSH');
      await store.save([record('flushed-1', 'delay', 'long'), record('flushed-2', 'delay', 'short')]);
      expect((await store.load('flushed-2')).get('delay')?.variant).to.equal('short');
    });

    it('refuses a client without the commands it needs, and options it cannot honour, naming them', () => {
      expect(() => redisAssignmentStore({} as RedisClientLike))
        .to.throw(
          TracksError,
          /option client is invalid: \{\} \(redisAssignmentStore expects an ioredis client .* lacks hgetall, get, set, evalsha, eval, pipeline\)/,
        )
        .with.property('code', 'ERR_TRACKS_INVALID_OPTION');
      expect(() => redisAssignmentStore(redis, { prefix: 'app{1}:' })).to.throw(/option prefix is invalid: "app\{1\}:"/);
      expect(() => redisAssignmentStore(redis, { ttl: 5 } as object)).to.throw(/option ttl is unknown \(known: prefix, expire\)/);
      expect(() => redisAssignmentStore(redis, { expire: { delay: { afterMs: -1 } } })).to.throw(/option expire\["delay"\]\.afterMs is invalid: -1/);
      expect(() => redisAssignmentStore(redis, { expire: { delay: { at: new Date(NaN) } } })).to.throw(/option expire\["delay"\]\.at is invalid/);
      expect(() => redisAssignmentStore(redis, { expire: { delay: 5 } } as object)).to.throw(/option expire\["delay"\] is invalid: 5/);
    });

    it('keeps each prefix apart', async () => {
      const other = redisAssignmentStore(redis, { prefix: 'tenant-b:' });
      await other.save([record('row-1', 'delay', 'short')]);
      expect((await other.load('row-1')).get('delay')?.variant).to.equal('short');
      expect((await store.load('row-1')).get('delay')?.variant).to.equal('long|odd');
    });
  });

  describe('with sets whose records expire', () => {
    let redis: Redis;
    before(async () => {
      redis = await connected(redisClient(testRedisUrl()));
      await redis.flushdb();
    });
    after(() => redis?.disconnect());

    it('forgets a record once its time is up, and drops the user whose every record aged out', async () => {
      const store = redisAssignmentStore(redis, { expire: { delay: { afterMs: 400 }, pricing: { afterMs: 200 } } });
      const now = new Date();
      await store.save([record('exp-1', 'delay', 'long', now), record('exp-1', 'pricing', 'cheap', now)]);
      expect([...(await store.load('exp-1')).keys()]).to.have.members(['delay', 'pricing']);
      const ttl = await redis.pttl('tracks:u:{exp-1}');
      expect(ttl).to.be.within(1, 400);
      await sleep(250);
      expect([...(await store.load('exp-1')).keys()]).to.deep.equal(['delay']);
      await sleep(250);
      expect((await store.load('exp-1')).size).to.equal(0);
      expect(await redis.exists('tracks:u:{exp-1}')).to.equal(0);
    });

    it('keeps a user with a record kept for ever, deletes the aged-out fields at their next save, and lets a new record take an aged-out one’s place', async () => {
      const store = redisAssignmentStore(redis, { expire: { pricing: { afterMs: 150 } } });
      await store.save([record('mixed-1', 'delay', 'long'), record('mixed-1', 'pricing', 'cheap')]);
      expect(await redis.pttl('tracks:u:{mixed-1}')).to.equal(-1);
      await sleep(200);
      expect([...(await store.load('mixed-1')).keys()]).to.deep.equal(['delay']);
      expect(await redis.hlen('tracks:u:{mixed-1}')).to.equal(2);
      await store.save([record('mixed-1', 'pricing', 'expensive')]);
      expect((await store.load('mixed-1')).get('pricing')?.variant).to.equal('expensive');
      expect(await redis.pttl('tracks:u:{mixed-1}')).to.equal(-1);
    });

    it('writes nothing for a set that ended (expire.at in the past), and keeps the others', async () => {
      const store = redisAssignmentStore(redis, {
        expire: { old: { at: new Date(Date.now() - 1000) }, ending: { at: new Date(Date.now() + 60_000) } },
      });
      await store.save([record('ended-1', 'old', 'a'), record('ended-1', 'ending', 'b')]);
      expect(await redis.hkeys('tracks:u:{ended-1}')).to.deep.equal(['ending']);
      expect(await redis.pttl('tracks:u:{ended-1}')).to.be.within(50_000, 60_000);
      await store.save([record('ended-1', 'kept', 'c')]);
      expect(await redis.pttl('tracks:u:{ended-1}')).to.equal(-1);
    });
  });
});
