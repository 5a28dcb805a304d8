// The stores the multi-process and outage scenarios run on, PostgreSQL and Redis, behind one interface: the scenarios are written once.
import Redis from 'ioredis';
import pg from 'pg';
import type { AssignmentStore } from '../../src/assignment-store/assignment-store.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { redisAssignmentStore } from '../../src/redis/index.js';
import { testDatabaseUrl } from './postgres-hooks.js';
import { PostgresServer } from './postgres-server.js';
import { connected, redisClient } from './redis-clients.js';
import { testRedisUrl } from './redis-hooks.js';
import { RedisServer } from './redis-server.js';

/** One stored record as the scenarios compare them. */
export interface StoredRow {
  user_key: string;
  variant: string;
  how: string;
}

/** A store for a scenario: on the run's shared server (`open`) or on a server of its own that it may kill (`startOwn`). */
export interface ScenarioStore {
  /** `PostgreSQL` or `Redis`, as the suite titles say. */
  readonly name: 'PostgreSQL' | 'Redis';
  /** Makes a space of the scenario's own on the run's server and returns its URL (an app process opens a store on it with `openStore`). */
  open(): Promise<string>;
  /** Starts a server of its own (killing the run's shared server would fail every other suite), persistent as a store of record is. */
  startOwn(): Promise<void>;
  /** The store, on what `open` or `startOwn` made. */
  store(): AssignmentStore;
  /** Ends the own server as a crash would, and brings it back on the same data and port. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Every record of the set `setName` whose user key starts with `prefix`, sorted by user key. */
  records(setName: string, prefix: string): Promise<StoredRow[]>;
  /** How many records (any set) have a user key starting with `prefix`. */
  count(prefix: string): Promise<number>;
  /** The user key an anonymous id is aliased to, read from the database itself. */
  aliasOf(anonymousId: string): Promise<string | null>;
  close(): Promise<void>;
}

/** A store on the database at `url` (`postgres://…` or `redis://…`), for an app process; `close` ends its connections. */
export async function openStore(url: string): Promise<{ store: AssignmentStore; close(): Promise<void> }> {
  if (url.startsWith('redis:')) {
    const redis = await connected(redisClient(url));
    return { store: redisAssignmentStore(redis), close: async () => void (await redis.quit()) };
  }
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  pool.on('error', () => undefined);
  return { store: postgresAssignmentStore(pool), close: () => pool.end() };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

class PostgresScenarioStore implements ScenarioStore {
  readonly name = 'PostgreSQL';
  #pool: pg.Pool | null = null;
  #server: PostgresServer | null = null;
  #database: string | null = null;
  get #client(): pg.Pool {
    if (this.#pool === null) throw new Error('open() or startOwn() first');
    return this.#pool;
  }
  async open(): Promise<string> {
    this.#database = `tracks_scenario_${process.pid}`;
    await admin(`create database ${this.#database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${this.#database}`;
    await this.#connect(url.toString(), 2);
    return url.toString();
  }
  async startOwn(): Promise<void> {
    this.#server = await PostgresServer.start();
    await this.#connect(this.#server.url(), 10);
  }
  async #connect(url: string, max: number): Promise<void> {
    this.#pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 2000 });
    this.#pool.on('error', () => undefined); // idle connections die with the server; the pool reconnects
    await migrate(this.#pool);
  }
  store(): AssignmentStore {
    return postgresAssignmentStore(this.#client);
  }
  kill(): Promise<void> {
    return this.#server!.kill('SIGKILL'); // the postmaster, as a crash would; its backends follow
  }
  restart(): Promise<void> {
    return this.#server!.restart(); // same data dir, same port: crash recovery, then connections again
  }
  async records(setName: string, prefix: string): Promise<StoredRow[]> {
    const sql = `select user_key, variant, how from tracks_assignments where set_name = $1 and starts_with(user_key, $2) order by user_key`;
    return (await this.#client.query<StoredRow>(sql, [setName, prefix])).rows;
  }
  async count(prefix: string): Promise<number> {
    const sql = `select count(*)::int as n from tracks_assignments where starts_with(user_key, $1)`;
    return (await this.#client.query<{ n: number }>(sql, [prefix])).rows[0]!.n;
  }
  async aliasOf(anonymousId: string): Promise<string | null> {
    const { rows } = await this.#client.query<{ user_key: string }>('select user_key from tracks_aliases where anonymous_id = $1', [anonymousId]);
    return rows[0]?.user_key ?? null;
  }
  async close(): Promise<void> {
    await this.#pool?.end();
    await this.#server?.stop();
    if (this.#database !== null) await admin(`drop database if exists ${this.#database} with (force)`);
  }
}

// The keys and values redisAssignmentStore writes (docs/schema.md), read back by hand.
const RECORD = /^-?\d*\|-?\d+\|([ha])\|(.+)$/s;

class RedisScenarioStore implements ScenarioStore {
  readonly name = 'Redis';
  #redis: Redis | null = null;
  #server: RedisServer | null = null;
  get #client(): Redis {
    if (this.#redis === null) throw new Error('open() or startOwn() first');
    return this.#redis;
  }
  async open(): Promise<string> {
    const url = testRedisUrl();
    this.#redis = await connected(redisClient(url));
    await this.#redis.flushdb();
    return url;
  }
  async startOwn(): Promise<void> {
    this.#server = await RedisServer.start({ persistent: true });
    this.#redis = await connected(redisClient(this.#server.url()));
  }
  store(): AssignmentStore {
    return redisAssignmentStore(this.#client);
  }
  kill(): Promise<void> {
    return this.#server!.kill();
  }
  restart(): Promise<void> {
    return this.#server!.restart(); // same dir, same port: the append-only file is read back
  }
  async #userKeys(prefix: string): Promise<string[]> {
    // Test keys hold no glob character; SCAN's MATCH does not treat braces specially.
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, found] = await this.#client.scan(cursor, 'MATCH', `tracks:u:{${prefix}*`, 'COUNT', 1000);
      for (const key of found) keys.add(key);
      cursor = next;
    } while (cursor !== '0');
    return [...keys].sort();
  }
  async records(setName: string, prefix: string): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    for (const key of await this.#userKeys(prefix)) {
      const value = await this.#client.hget(key, setName);
      const match = value === null ? null : RECORD.exec(value);
      if (match) rows.push({ user_key: key.slice('tracks:u:{'.length, -1), variant: match[2]!, how: match[1] === 'h' ? 'hash' : 'anonymous' });
    }
    return rows.sort((a, b) => (a.user_key < b.user_key ? -1 : 1));
  }
  async count(prefix: string): Promise<number> {
    let n = 0;
    for (const key of await this.#userKeys(prefix)) n += await this.#client.hlen(key);
    return n;
  }
  aliasOf(anonymousId: string): Promise<string | null> {
    return this.#client.get(`tracks:alias:{${anonymousId}}`);
  }
  async close(): Promise<void> {
    this.#redis?.disconnect();
    await this.#server?.stop();
  }
}

/** A fresh instance of each store the scenarios run on. */
export function scenarioStores(): ScenarioStore[] {
  return [new PostgresScenarioStore(), new RedisScenarioStore()];
}
