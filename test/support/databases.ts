// Runs a suite on both databases the store supports: PGlite in-process, and the test run's PostgreSQL server.
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Queryable } from '../../src/postgres/queryable.js';
import { testDatabaseUrl } from './postgres-hooks.js';

/** One suite's database: fresh for the suite, dropped after it. */
export interface TestDatabase {
  /** `PGlite` or `PostgreSQL`, as the suite titles say. */
  readonly name: 'PGlite' | 'PostgreSQL';
  /** The suite's client: the PGlite instance, or a `pg` Pool on the suite's own database. Ready in `before`. */
  readonly client: Queryable;
  /**
   * Another client on the same database, as a second server would hold: a new `pg` Pool on
   * PostgreSQL; on PGlite (one connection, in-process) the same instance. Closed after the suite.
   */
  connect(): Queryable;
  /** The suite database's URL, on PostgreSQL (null on PGlite). */
  readonly url: string | null;
}

let template: Promise<Blob> | null = null;

/**
 * A freshly created PGlite data dir, made once per machine and kept in .tmp/ (initdb in
 * WebAssembly takes seconds; loading the dump takes a fraction of that).
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    // The package exports no package.json: find it beside its entry point.
    const manifest = resolve(require.resolve('@electric-sql/pglite'), '../../package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const file = resolve(__dirname, `../../.tmp/pglite-${version}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await PGlite.create();
    const dump = await db.dumpDataDir('none');
    await db.close();
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${file}.${process.pid}`, file);
    return dump;
  })();
  return template;
}

let suites = 0;

class PgliteDatabase implements TestDatabase {
  readonly name = 'PGlite';
  readonly url = null;
  #db: PGlite | null = null;
  get client(): Queryable {
    if (this.#db === null) throw new Error('the database is ready in before(), not while the suite is declared');
    return this.#db;
  }
  connect(): Queryable {
    return this.client;
  }
  async open(): Promise<void> {
    this.#db = await PGlite.create({ loadDataDir: await pgliteTemplate() });
  }
  async close(): Promise<void> {
    await this.#db?.close();
    this.#db = null;
  }
}

class ServerDatabase implements TestDatabase {
  readonly name = 'PostgreSQL';
  #pools: pg.Pool[] = [];
  #database = `tracks_test_${process.pid}_${++suites}`;
  #url: string | null = null;
  get url(): string | null {
    return this.#url;
  }
  get client(): Queryable {
    const pool = this.#pools[0];
    if (pool === undefined) throw new Error('the database is ready in before(), not while the suite is declared');
    return pool;
  }
  connect(): Queryable {
    if (this.#url === null) throw new Error('the database is ready in before(), not while the suite is declared');
    const pool = new pg.Pool({ connectionString: this.#url, max: 10 });
    // A pool emits errors of idle connections (the server went away); unheard, they crash the process.
    pool.on('error', () => undefined);
    this.#pools.push(pool);
    return pool;
  }
  async open(): Promise<void> {
    const server = testDatabaseUrl();
    await this.#admin(server, `create database ${this.#database}`);
    const url = new URL(server);
    url.pathname = `/${this.#database}`;
    this.#url = url.toString();
    this.connect();
  }
  async close(): Promise<void> {
    await Promise.all(this.#pools.map((p) => p.end()));
    this.#pools = [];
    if (this.#url !== null) await this.#admin(testDatabaseUrl(), `drop database if exists ${this.#database} with (force)`);
    this.#url = null;
  }
  async #admin(url: string, sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/**
 * Declares `body` twice, in `describe('on PGlite')` and `describe('on PostgreSQL')`, each with a
 * fresh database: a new PGlite instance, or a new database on the run's server
 * (TRACKS_TEST_DATABASE_URL, started by the root hook). Use the database in hooks and tests, not
 * while declaring.
 *
 * @example
 * forEachDatabase((db) => {
 *   before(() => migrate(db.client));
 *   it('remembers a record', async () => { … db.client.query(…) … });
 * });
 */
export function forEachDatabase(body: (db: TestDatabase) => void): void {
  for (const db of [new PgliteDatabase(), new ServerDatabase()]) {
    describe(`on ${db.name}`, function () {
      before(async function () {
        this.timeout(120_000);
        await db.open();
      });
      after(async function () {
        this.timeout(30_000);
        await db.close();
      });
      body(db);
    });
  }
}
