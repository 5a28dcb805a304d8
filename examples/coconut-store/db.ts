// SQLite storage for the coconut store: schema migration, exposure and purchase logging, and the results query.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run. Each step
 * is also idempotent on its own (`IF NOT EXISTS`), so a half-applied database is repaired too.
 * Times are integer milliseconds since the Unix epoch (UTC), so they sort and compare exactly.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS test_runs (
    id             INTEGER PRIMARY KEY,
    user_id        TEXT    NOT NULL,
    set_name       TEXT    NOT NULL,
    variant        TEXT    NOT NULL,
    run_id         TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    first_exposure INTEGER NOT NULL CHECK (first_exposure IN (0, 1)),
    created_at     INTEGER NOT NULL
  );
  -- Finds each user's first exposure per set (the attribution rule) without a sort.
  CREATE INDEX IF NOT EXISTS test_runs_set_user_time ON test_runs (set_name, user_id, created_at, id);
  CREATE TABLE IF NOT EXISTS purchases (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    coconut_id TEXT    NOT NULL,
    price      REAL    NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- Answers "did this user buy at or after time t" with one index probe.
  CREATE INDEX IF NOT EXISTS purchases_user_time ON purchases (user_id, created_at);
  `,
  `
  -- The exposure log writes batches and retries a failed one: recordExposures looks the run id up first.
  CREATE INDEX IF NOT EXISTS test_runs_run_id ON test_runs (run_id);
  `,
];

/** The schema version a migrated database reports in `PRAGMA user_version`. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** One exposure: a user reading a set's assignment in a request (the engine's `onExposure` event). */
export interface ExposureRecord {
  userId: string;
  setName: string;
  variant: string;
  runId: string;
  /** Why the user got the variant (`hash`, `sticky`, …), as the engine reports it. */
  reason: string;
  /** The engine's flag; stored for audits. The results query finds first exposures from the data. */
  firstExposure: boolean;
  /** When it happened; defaults to now. For tests and backfills. */
  at?: Date | number;
}

/** One purchase of a coconut at the price the user was shown. */
export interface PurchaseRecord {
  userId: string;
  coconutId: string;
  /** The price paid, in the store's currency units. */
  price: number;
  /** When it happened; defaults to now. For tests and backfills. */
  at?: Date | number;
}

/** Counts for one variant of one set, ready for `analyzeSet` in stats.ts. */
export interface ResultsRow {
  setName: string;
  variant: string;
  /** Users whose first exposure in this set was this variant. */
  exposedUsers: number;
  /** Of those, users with a purchase at or after that first exposure. */
  convertedUsers: number;
  /** Of those, users later exposed to another variant of the same set too (stickiness broke). */
  mixedUsers: number;
}

/** An open store database with its prepared statements. */
export interface StoreDatabase {
  /** The underlying better-sqlite3 handle, for queries of the store's own. */
  readonly db: Database.Database;
  /** Logs one exposure to `test_runs`. */
  recordExposure(exposure: ExposureRecord): void;
  /**
   * Logs a batch of exposures to `test_runs` in one transaction, idempotently: an exposure whose run
   * id is already stored is skipped, so the exposure log can write a batch again after a failure.
   */
  recordExposures(exposures: readonly ExposureRecord[]): void;
  /** Logs one purchase to `purchases`. */
  recordPurchase(purchase: PurchaseRecord): void;
  /** Per set and variant: exposed and converted users, under the attribution rule of {@link openDatabase}. */
  resultsRows(): ResultsRow[];
  /** Closes the database (checkpointing the WAL). */
  close(): void;
}

/**
 * Brings a database to {@link SCHEMA_VERSION}; safe to call any number of times, and from
 * several processes (the version is read and written inside one immediate transaction).
 * @returns the schema version after migrating
 * @throws if the database was written by a newer schema than this code knows
 */
export function migrate(db: Database.Database): number {
  db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > MIGRATIONS.length) {
      throw new Error(`database ${db.name} has schema version ${current}; this code knows up to ${MIGRATIONS.length}`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!);
    }
    // user_version takes no bound parameters; the value is our own integer.
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return MIGRATIONS.length;
}

// Attribution: each user belongs, per set, to the variant of their FIRST exposure in that set
// (earliest created_at, then lowest id). Later exposures, even to another variant, change
// nothing; they are only counted as mixed. The user converted when any purchase of theirs has
// created_at >= that first exposure; purchases strictly before it do not count.
const RESULTS_SQL = `
  WITH ordered AS (
    SELECT set_name, user_id, variant, created_at,
           FIRST_VALUE(variant) OVER (PARTITION BY set_name, user_id ORDER BY created_at, id) AS first_variant
    FROM test_runs
  ),
  per_user AS (
    SELECT set_name, user_id, first_variant AS variant, MIN(created_at) AS first_at,
           MAX(variant <> first_variant) AS mixed
    FROM ordered
    GROUP BY set_name, user_id
  )
  SELECT u.set_name AS setName, u.variant AS variant,
         COUNT(*) AS exposedUsers,
         SUM(EXISTS (SELECT 1 FROM purchases p WHERE p.user_id = u.user_id AND p.created_at >= u.first_at))
           AS convertedUsers,
         SUM(u.mixed) AS mixedUsers
  FROM per_user u
  GROUP BY u.set_name, u.variant
  ORDER BY u.set_name, u.variant
`;

function toMillis(at: Date | number | undefined): number {
  const ms = at === undefined ? Date.now() : typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new TypeError(`time is invalid: ${String(at)}`);
  return Math.trunc(ms);
}

/**
 * Opens (creating if needed, with its parent directory) and migrates the store database at
 * `file`, in WAL mode. Pass `':memory:'` for a throwaway database.
 *
 * Attribution rule of {@link StoreDatabase.resultsRows}: per set, a user counts once, for the
 * variant they were first exposed to in that set; they count as converted when they made any
 * purchase at or after that first exposure (a purchase in the same millisecond counts; purchases
 * before it never do). So the variants' groups of users are disjoint, as the statistics assume.
 *
 * @example
 * const store = openDatabase('var/coconut-store.db');
 * store.recordExposure({ userId: 'u1', setName: 'delay', variant: 'long', runId, reason: 'hash', firstExposure: true });
 * store.recordPurchase({ userId: 'u1', coconutId: 'c3', price: 12 });
 * const rows = store.resultsRows();
 */
export function openDatabase(file: string): StoreDatabase {
  if (file !== ':memory:' && file !== '') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // safe with WAL: a crash may lose the last commits, never corrupts
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const insertExposure = db.prepare<[string, string, string, string, string, number, number]>(
    `INSERT INTO test_runs (user_id, set_name, variant, run_id, reason, first_exposure, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertExposureOnce = db.prepare<[string, string, string, string, string, number, number, string]>(
    `INSERT INTO test_runs (user_id, set_name, variant, run_id, reason, first_exposure, created_at)
     SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM test_runs WHERE run_id = ?)`,
  );
  const insertExposures = db.transaction((batch: readonly ExposureRecord[]) => {
    for (const e of batch) {
      insertExposureOnce.run(e.userId, e.setName, e.variant, e.runId, e.reason, e.firstExposure ? 1 : 0, toMillis(e.at), e.runId);
    }
  });
  const insertPurchase = db.prepare<[string, string, number, number]>(
    'INSERT INTO purchases (user_id, coconut_id, price, created_at) VALUES (?, ?, ?, ?)',
  );
  const selectResults = db.prepare<[], ResultsRow>(RESULTS_SQL);

  return {
    db,
    recordExposure(e) {
      insertExposure.run(e.userId, e.setName, e.variant, e.runId, e.reason, e.firstExposure ? 1 : 0, toMillis(e.at));
    },
    recordExposures(batch) {
      insertExposures(batch);
    },
    recordPurchase(p) {
      if (!Number.isFinite(p.price)) throw new TypeError(`purchase price is invalid: ${p.price}`);
      insertPurchase.run(p.userId, p.coconutId, p.price, toMillis(p.at));
    },
    resultsRows() {
      return selectResults.all();
    },
    close() {
      db.close();
    },
  };
}
