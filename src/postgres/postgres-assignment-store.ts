// The assignment store on PostgreSQL (a server through `pg`, or PGlite in-process): one table, first write wins.
import { holdPGliteFolder } from './pglite-holder.js';
import { invalidOption } from '../engine/option-checks.js';
import {
  checkAliases,
  checkBatch,
  type AliasRecord,
  type AssignmentOrigin,
  type UserAssignment,
  type AssignmentStore,
  type RememberedAssignments,
  type StoredAssignment,
  type SupersededAssignment,
} from '../assignment-store/assignment-store.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';

/** Options of `postgresAssignmentStore`. */
export interface PostgresStoreOptions {
  /** Schema holding the tables that `migrate` created; default `public`. */
  schema?: string;
}

interface AssignmentRow {
  set_name: string;
  variant: string;
  assigned_at: Date | string;
  how: AssignmentOrigin;
}

/** The first item of each id in a batch: the one that counts (first write wins within a batch too). */
function firstOfEach<T>(items: readonly T[], id: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const it = id(item);
    if (seen.has(it)) return false;
    seen.add(it);
    return true;
  });
}

// Records cannot hold a NUL (checkBatch refuses it), so it separates a key from a set name unambiguously.
const keyAndSet = (r: UserAssignment): string => `${r.key}\u0000${r.setName}`;
const anonymousIdOf = (r: AliasRecord): string => r.anonymousId;

/**
 * An {@link AssignmentStore} on any client with `query(text, params)`: a `pg` Pool or Client, or a
 * `PGlite` instance. Run `migrate(client, { schema })` first. A load is one query; a save is one
 * multi-row `insert … on conflict do nothing` per batch (columns passed as arrays and unnested,
 * so a batch of any size is five parameters, inserted in key order so that concurrent batches
 * cannot deadlock), which is what makes the first write win: a second server's record for the
 * same user and set finds the primary key taken and changes nothing.
 *
 * @example
 * import pg from 'pg';
 * import { migrate, postgresAssignmentStore } from 'tracks-ab/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('error', (error) => console.error('idle database connection failed', error));
 * await migrate(pool);
 * const store = postgresAssignmentStore(pool);
 */
export function postgresAssignmentStore(client: Queryable, options: PostgresStoreOptions = {}): AssignmentStore {
  holdPGliteFolder(client);
  if (typeof (client as Partial<Queryable> | null)?.query !== 'function') {
    throw invalidOption(
      'client',
      client,
      'postgresAssignmentStore expects a client with query(text, params): a pg Pool or Client, or a PGlite instance',
    );
  }
  const schema = schemaName(options.schema);
  const loadSql = `select set_name, variant, assigned_at, how from ${schema}.tracks_assignments where user_key = $1`;
  // Rows go in key order: two servers inserting overlapping batches in different orders would
  // each hold a row the other waits for (a deadlock); in one order, one simply waits for the other.
  const saveSql = `insert into ${schema}.tracks_assignments (user_key, set_name, variant, assigned_at, how)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) as r (user_key, set_name, variant, assigned_at, how)
    order by user_key, set_name
    on conflict (user_key, set_name) do nothing`;
  const aliasSql = `insert into ${schema}.tracks_aliases (anonymous_id, user_key, aliased_at)
    select * from unnest($1::text[], $2::text[], $3::timestamptz[]) as a (anonymous_id, user_key, aliased_at)
    order by anonymous_id
    on conflict (anonymous_id) do nothing`;
  const aliasOfSql = `select user_key from ${schema}.tracks_aliases where anonymous_id = $1`;
  // Compare and set: only a row that still holds the removed variant is replaced.
  const replaceSql = `update ${schema}.tracks_assignments as t set variant = r.variant, assigned_at = r.assigned_at, how = r.how
    from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) as r (user_key, set_name, variant, assigned_at, how, replaces)
    where t.user_key = r.user_key and t.set_name = r.set_name and t.variant = r.replaces`;

  return {
    async load(key: string): Promise<RememberedAssignments> {
      const { rows } = await client.query<AssignmentRow>(loadSql, [key]);
      const assignments = new Map<string, StoredAssignment>();
      for (const row of rows) {
        const assignedAt = row.assigned_at instanceof Date ? row.assigned_at : new Date(row.assigned_at);
        assignments.set(row.set_name, { variant: row.variant, assignedAt, how: row.how });
      }
      return assignments;
    },

    async save(records: readonly UserAssignment[]): Promise<void> {
      checkBatch(records);
      const batch = firstOfEach(records, keyAndSet);
      if (batch.length === 0) return;
      await client.query(saveSql, [
        batch.map((r) => r.key),
        batch.map((r) => r.setName),
        batch.map((r) => r.variant),
        // ISO strings: both drivers pass them through a timestamptz[] unchanged, to the millisecond.
        batch.map((r) => r.assignedAt.toISOString()),
        batch.map((r) => r.how),
      ]);
    },

    async alias(records: readonly AliasRecord[]): Promise<void> {
      checkAliases(records);
      const batch = firstOfEach(records, anonymousIdOf);
      if (batch.length === 0) return;
      await client.query(aliasSql, [batch.map((r) => r.anonymousId), batch.map((r) => r.key), batch.map((r) => r.aliasedAt.toISOString())]);
    },

    async replace(records: readonly SupersededAssignment[]): Promise<void> {
      checkBatch(records);
      const batch = firstOfEach(records, keyAndSet);
      if (batch.length === 0) return;
      await client.query(replaceSql, [
        batch.map((r) => r.key),
        batch.map((r) => r.setName),
        batch.map((r) => r.variant),
        batch.map((r) => r.assignedAt.toISOString()),
        batch.map((r) => r.how),
        batch.map((r) => r.replaces),
      ]);
    },

    async aliasOf(anonymousId: string): Promise<string | null> {
      const { rows } = await client.query<{ user_key: string }>(aliasOfSql, [anonymousId]);
      return rows[0]?.user_key ?? null;
    },
  };
}
