// The two databases the exposure tests run on: in-process PGlite and the PostgreSQL server at TRACKS_TEST_DATABASE_URL.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Queryable } from '../../../src/postgres/queryable.js';

/** One test's database: a client for the sink, its own schema, and a way to run statements on one connection. */
export interface TestDatabase {
  /** What the code under test gets: a pg Pool, or the PGlite instance. */
  readonly client: Queryable;
  /** A schema no other test uses. */
  readonly schema: string;
  /** A client on one connection, for what must run in one session (`migrate`'s transaction). */
  readonly session: Queryable;
  /** Drops the schema and closes the connections. */
  close(): Promise<void>;
}

/** Makes a fresh database for each test; `end` releases what the factory shares between them. */
export interface DatabaseFactory {
  open(): Promise<TestDatabase>;
  end(): Promise<void>;
}

let counter = 0;
const freshSchema = (): string => `exposures_${process.pid}_${++counter}`;

/** PGlite in memory: one instance for the whole run (it is slow to start), a schema per test. */
export function pgliteDatabase(): DatabaseFactory {
  let shared: Promise<PGlite> | null = null;
  return {
    async open() {
      shared ??= PGlite.create();
      const db = await shared;
      const schema = freshSchema();
      return {
        client: db,
        session: db,
        schema,
        close: async () => void (await db.query(`drop schema if exists ${schema} cascade`)),
      };
    },
    async end() {
      if (shared) await (await shared).close();
      shared = null;
    },
  };
}

/**
 * The PostgreSQL server named by TRACKS_TEST_DATABASE_URL: a Pool for the sink (as an app would),
 * one Client for the migration. Fails the test, rather than skipping it, when the variable is unset.
 */
export function serverDatabase(): DatabaseFactory {
  const open = async (): Promise<TestDatabase> => {
    const url = process.env.TRACKS_TEST_DATABASE_URL;
    if (!url) throw new Error('TRACKS_TEST_DATABASE_URL is not set: these tests need a PostgreSQL server');
    const schema = freshSchema();
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // As docs/schema.md asks of every app: a connection dying with the server is the pool's to replace,
    // not an uncaught 'error' (a write abandoned at its timeout may still hold one when the run ends).
    pool.on('error', () => undefined);
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    return {
      client: pool,
      session,
      schema,
      close: async () => {
        await session.query(`drop schema if exists ${schema} cascade`);
        await session.end();
        await pool.end();
      },
    };
  };
  return { open, end: () => Promise.resolve() };
}
