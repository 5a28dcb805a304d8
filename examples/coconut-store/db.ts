// The coconut store's database: PGlite in a data dir by default, PostgreSQL at DATABASE_URL, the same SQL on both.
import fs from 'node:fs';
import path from 'node:path';
import { inTransaction, migrate, type Queryable } from 'tracks-ab/postgres';

/**
 * The store's own tables, beside those of tracks-ab (`migrate` from tracks-ab/postgres makes those).
 * Applied in order, each once, recorded in `coconut_migrations`; each step idempotent too.
 */
const STORE_MIGRATIONS: readonly { version: string; statements: readonly string[] }[] = [
  {
    version: '001-purchases',
    statements: [
      `create table if not exists purchases (
        id bigserial primary key,
        user_id text not null,
        coconut_id text not null,
        price numeric(10, 2) not null,
        created_at timestamptz not null default now()
      )`,
      // Answers "did this user buy at or after time t" with one index probe.
      'create index if not exists purchases_user_time on purchases (user_id, created_at)',
    ],
  },
];

/** Where PGlite keeps the data unless COCONUT_DATA_DIR says otherwise (gitignored). */
export const DEFAULT_DATA_DIR = path.join(__dirname, 'data', 'pglite');

/**
 * The database the environment names: the server at `DATABASE_URL` when set, else PGlite in
 * `COCONUT_DATA_DIR` (default {@link DEFAULT_DATA_DIR}). PGlite is one process's database: run one
 * of the Express, Koa and Fastify stores at a time on it, or give them all a `DATABASE_URL`.
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return { url: env.DATABASE_URL || undefined, dataDir: env.COCONUT_DATA_DIR || DEFAULT_DATA_DIR };
}

/** The conversion query the results read: one row per purchase, (user key, time). */
export const PURCHASES_AS_CONVERSIONS = { sql: 'select user_id, created_at from purchases' } as const;

/** One purchase of a coconut at the price the user was shown. */
export interface PurchaseRecord {
  userId: string;
  coconutId: string;
  /** The price paid, in the store's currency units. */
  price: number;
  /** When it happened; defaults to now. For tests and backfills. */
  at?: Date;
}

/** Where the store's data lives. */
export interface DatabaseOptions {
  /** A PostgreSQL server's URL; when given, `dataDir` is ignored. */
  url?: string;
  /** PGlite's data directory (created if missing), or `':memory:'` for a throwaway database. */
  dataDir?: string;
  /** An open database to use instead (tests hand in a PGlite instance); the caller closes it. */
  client?: Queryable;
}

/** An open store database. */
export interface StoreDatabase {
  /** The client every query goes through: a PGlite instance or a `pg` Pool. */
  readonly client: Queryable;
  /** `PGlite <dir>` or `PostgreSQL <host/db>`, for the start-up banner. */
  readonly description: string;
  /** Logs one purchase to `purchases`. */
  recordPurchase(purchase: PurchaseRecord): Promise<void>;
  /** Closes the database (the pool, or PGlite's files). */
  close(): Promise<void>;
}

async function openClient(options: DatabaseOptions): Promise<{ client: Queryable; description: string; close(): Promise<void> }> {
  if (options.client) return { client: options.client, description: 'the given client', close: () => Promise.resolve() };
  if (options.url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection's error (the server restarted) must not crash the store; the next query reconnects.
    pool.on('error', (error) => console.error('database connection lost:', error.message));
    const url = new URL(options.url);
    return { client: pool, description: `PostgreSQL ${url.host}${url.pathname}`, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = options.dataDir ?? ':memory:';
  if (dir !== ':memory:') fs.mkdirSync(path.resolve(dir), { recursive: true });
  const db = dir === ':memory:' ? await PGlite.create() : await PGlite.create(path.resolve(dir));
  return { client: db, description: `PGlite ${dir}`, close: () => db.close() };
}

/** Applies the store's migrations not yet recorded, in one transaction. */
async function migrateStore(client: Queryable): Promise<void> {
  await inTransaction(client, async (tx) => {
    await tx.query('create table if not exists coconut_migrations (version text primary key, applied_at timestamptz not null default now())');
    const { rows } = await tx.query<{ version: string }>('select version from coconut_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const step of STORE_MIGRATIONS) {
      if (done.has(step.version)) continue;
      for (const statement of step.statements) await tx.query(statement);
      await tx.query('insert into coconut_migrations (version) values ($1)', [step.version]);
    }
  });
}

/**
 * Opens the store's database (a PostgreSQL server at `url`, else PGlite in `dataDir`) and brings it
 * to the current schema: the tables of tracks-ab (assignments, aliases, exposures) and the store's
 * own (`purchases`). Safe on every start.
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: 'data/pglite' });
 * await db.recordPurchase({ userId: 'u1', coconutId: 'c3', price: 12 });
 */
export async function openDatabase(options: DatabaseOptions): Promise<StoreDatabase> {
  const opened = await openClient(options);
  const { client, description } = opened;
  const close = () => opened.close();
  try {
    await migrate(client);
    await migrateStore(client);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    client,
    description,
    async recordPurchase(p) {
      if (!Number.isFinite(p.price)) throw new TypeError(`purchase price is invalid: ${p.price}`);
      await client.query('insert into purchases (user_id, coconut_id, price, created_at) values ($1, $2, $3, $4)', [
        p.userId,
        p.coconutId,
        p.price,
        p.at ?? new Date(),
      ]);
    },
    close,
  };
}
