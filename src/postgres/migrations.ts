// Creates and upgrades the tables of tracks-ab, idempotently, versioned in one table.
import { holdPGliteFolder } from './pglite-holder.js';
import { show, TracksError } from '../engine/errors.js';
import { CONTROL_CHANGES_MIGRATION } from './control-changes-schema.js';
import { CONTROLS_MIGRATION, ROLLOUT_MIGRATION } from './controls-schema.js';
import type { Queryable } from './queryable.js';
import { inTransaction } from './transaction.js';

/** One schema step: applied once, in order, and recorded by its version. */
export interface Migration {
  /** Unique and ordered: `001-assignments`, `002-exposures`… */
  readonly version: string;
  /** What it creates, for the log and `tracks-ab migrate`. */
  readonly description: string;
  /** Statements run in one transaction, `{schema}` replaced by the schema name; each idempotent (`if not exists`). */
  readonly statements: readonly string[];
}

/**
 * Every migration, in order. The schema they build is documented in docs/schema.md. A new step
 * is appended here with the next number; a released step is never edited.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: '001-assignments',
    description: 'remembered assignments by user key and set (first write wins), and aliases of anonymous ids',
    statements: [
      `create table if not exists {schema}.tracks_assignments (
        user_key text not null,
        set_name text not null,
        variant text not null,
        assigned_at timestamptz not null,
        how text not null check (how in ('hash', 'anonymous')),
        primary key (user_key, set_name)
      )`,
      `create table if not exists {schema}.tracks_aliases (
        anonymous_id text primary key,
        user_key text not null,
        aliased_at timestamptz not null
      )`,
      `create index if not exists tracks_aliases_user_key on {schema}.tracks_aliases (user_key)`,
    ],
  },
  {
    version: '002-exposures',
    description: 'exposure log: first exposures (one per user key, set and variant) and page views (one per run id)',
    statements: [
      `create table if not exists {schema}.tracks_exposures (
        user_key text,
        set_name text not null,
        variant text not null,
        run_id text not null,
        reason text not null,
        first_exposure boolean not null,
        multi_set_name text,
        exposed_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`,
      // One first exposure per user, set and variant, whichever process or retry writes it.
      'create unique index if not exists tracks_exposures_first on {schema}.tracks_exposures (set_name, user_key, variant)',
      // A keyless exposure has no user to be unique by (nulls are distinct): its run id keeps it once.
      'create unique index if not exists tracks_exposures_keyless on {schema}.tracks_exposures (run_id) where user_key is null',
      `create table if not exists {schema}.tracks_exposure_views (
        run_id text primary key,
        user_key text,
        set_name text not null,
        variant text not null,
        reason text not null,
        first_exposure boolean not null,
        multi_set_name text,
        exposed_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`,
      'create index if not exists tracks_exposure_views_set_time on {schema}.tracks_exposure_views (set_name, exposed_at)',
    ],
  },
  CONTROLS_MIGRATION,
  {
    version: '004-report-index',
    description: 'a covering index for the report and metric queries: the exposures of a set without reading the table',
    statements: [
      // The report queries read (user key, variant, time) of every exposure of one set or a multi set's
      // members (set_name = any(...)): with these columns included, an index-only scan once the table
      // holds many sets, where tracks_exposures_first lacks exposed_at and sends each row to the heap.
      'create index if not exists tracks_exposures_report on {schema}.tracks_exposures (set_name) include (user_key, variant, exposed_at)',
    ],
  },
  ROLLOUT_MIGRATION,
  CONTROL_CHANGES_MIGRATION,
];

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Schema (namespace) for the tables; default `public`. */
  schema?: string;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was already current). */
  applied: string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a schema name: it is spliced into SQL, so only plain lowercase identifiers pass. */
export function schemaName(schema: string | undefined, option = 'schema'): string {
  const name = schema ?? 'public';
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option ${option} is invalid: ${show(name)} (expected a lowercase SQL identifier)`);
  }
  return name;
}

// One lock for every tracks-ab migration in this database (an arbitrary constant key).
const MIGRATION_LOCK = 7308510561;

/**
 * Brings the database to the current schema. Safe to run on every start and from several
 * processes at once: an advisory lock held for the transaction serialises them, and each step is
 * recorded once. The whole run is one transaction on one connection (a pool lends one), so a
 * failed step leaves nothing half-made.
 */
export async function migrate(client: Queryable, options: MigrateOptions = {}): Promise<MigrateResult> {
  holdPGliteFolder(client);
  const schema = schemaName(options.schema);
  return inTransaction(client, async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // Created only when missing: `create schema if not exists` needs the right to create schemas
    // even when the schema is there, which an application's role often lacks for `public`.
    const { rows: found } = await tx.query('select 1 from pg_namespace where nspname = $1', [schema]);
    if (found.length === 0) await tx.query(`create schema if not exists ${schema}`);
    await tx.query(
      `create table if not exists ${schema}.tracks_migrations (version text primary key, description text not null, applied_at timestamptz not null default now())`,
    );
    const { rows } = await tx.query<{ version: string }>(`select version from ${schema}.tracks_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement.replaceAll('{schema}', schema));
      await tx.query(`insert into ${schema}.tracks_migrations (version, description) values ($1, $2)`, [migration.version, migration.description]);
      applied.push(migration.version);
    }
    return { applied };
  });
}
