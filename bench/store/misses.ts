// What a cache miss costs: one load (one query, one command) through the store client, on PGlite in-process, a PostgreSQL server and a Redis server.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SuiteOptions } from '../suite.js';
import { PostgresServer } from '../../test/support/postgres-server.js';
import { RedisServer } from '../../test/support/redis-server.js';

type Lib = typeof import('../../src/index.js');
type StoreLib = typeof import('../../src/postgres/index.js');
type RedisLib = typeof import('../../src/redis/index.js');
type AssignmentStore = import('../../src/assignment-store/index.js').AssignmentStore;

/** One row's figures: µs per load over rounds. */
export interface MissFigures {
  database: 'PGlite' | 'PostgreSQL' | 'Redis';
  row: { median: number; min: number; max: number; unit: string; rounds: number };
}

const ROUNDS = 5;

async function timeLoads(lib: Lib, store: AssignmentStore, users: number): Promise<MissFigures['row']> {
  const at = new Date();
  const keys = Array.from({ length: users }, (_, i) => `bench-user-${i}`);
  for (let i = 0; i < users; i += 500) {
    await store.save(
      keys
        .slice(i, i + 500)
        .flatMap((key) => ['delay', 'pricing', 'ranking'].map((setName) => ({ key, setName, variant: 'a', assignedAt: at, how: 'hash' as const }))),
    );
  }
  // No cache: every load is a miss, one query (one HGETALL) for the user's three sets.
  const storeClient = new lib.StoreClient(store, { cache: false, timeoutMs: 10_000 });
  for (const key of keys.slice(0, 100)) await storeClient.load(key); // warm-up: connections, plans, JIT
  const perRound = Math.floor(users / ROUNDS);
  const micros: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (const key of keys.slice(r * perRound, (r + 1) * perRound)) {
      const loaded = await storeClient.load(key);
      if (loaded?.size !== 3) throw new Error(`a load answered ${loaded === null ? 'unknown' : `${loaded.size} sets`}`);
    }
    micros.push(((performance.now() - started) * 1000) / perRound);
  }
  await storeClient.close();
  const sorted = [...micros].sort((a, b) => a - b);
  return { median: sorted[ROUNDS >> 1]!, min: sorted[0]!, max: sorted[ROUNDS - 1]!, unit: 'µs/load', rounds: ROUNDS };
}

/**
 * Loads `users` distinct users, one at a time, on PGlite (in this process), on PostgreSQL
 * (TRACKS_BENCH_DATABASE_URL, else a throw-away server on a loopback port, as the tests start)
 * and on Redis through ioredis (TRACKS_BENCH_REDIS_URL, else a throw-away redis-server, likewise).
 */
export async function measureMisses(options: SuiteOptions, users: number): Promise<MissFigures[]> {
  const require = createRequire(path.join(options.repoRoot, 'package.json'));
  const lib = require(path.join(options.repoRoot, 'dist/src/index.js')) as Lib;
  const storeLib = require(path.join(options.repoRoot, 'dist/src/postgres/index.js')) as StoreLib;
  const redisLib = require(path.join(options.repoRoot, 'dist/src/redis/index.js')) as RedisLib;
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = (await import('pg')).default;
  const out: MissFigures[] = [];

  options.log('store: cache misses on PGlite');
  const lite = await PGlite.create();
  try {
    await storeLib.migrate(lite);
    out.push({ database: 'PGlite', row: await timeLoads(lib, storeLib.postgresAssignmentStore(lite), users) });
  } finally {
    await lite.close();
  }

  options.log('store: cache misses on PostgreSQL');
  const given = process.env.TRACKS_BENCH_DATABASE_URL;
  const server = given ? null : await PostgresServer.start();
  const pool = new pg.Pool({ connectionString: given ?? server!.url(), max: 4 });
  try {
    await storeLib.migrate(pool);
    out.push({ database: 'PostgreSQL', row: await timeLoads(lib, storeLib.postgresAssignmentStore(pool), users) });
  } finally {
    await pool.end();
    await server?.stop();
  }

  options.log('store: cache misses on Redis');
  const { Redis } = await import('ioredis');
  const givenRedis = process.env.TRACKS_BENCH_REDIS_URL;
  const redisServer = givenRedis ? null : await RedisServer.start();
  const redis = new Redis(givenRedis ?? redisServer!.url(), { enableOfflineQueue: false, lazyConnect: true });
  try {
    await redis.connect();
    out.push({ database: 'Redis', row: await timeLoads(lib, redisLib.redisAssignmentStore(redis, { prefix: `bench-${process.pid}:` }), users) });
  } finally {
    redis.disconnect();
    await redisServer?.stop();
  }
  return out;
}
