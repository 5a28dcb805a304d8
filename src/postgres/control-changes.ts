// Reading the history of run-time controls: who changed which set's control, when, from what to what.
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';

/** One recorded change of a set's control (`tracks_control_changes`, filled by a trigger). */
export interface ControlChangeRecord {
  readonly id: number;
  readonly setName: string;
  /** The control's columns before (null: there was no control) and after (null: it was removed). */
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  /** Who made it, as the writer said (`by`); null when nobody was named (a `reset`). */
  readonly changedBy: string | null;
  readonly note: string | null;
  readonly changedAt: Date;
}

/** Options of {@link readControlChanges}. */
export interface ControlChangesOptions {
  /** Schema of the tracks-ab tables (default `public`). */
  readonly schema?: string;
  /** Only this set's changes. */
  readonly setName?: string;
  /** At most this many, newest first (default 50). */
  readonly limit?: number;
}

interface ChangeRow {
  id: string | number;
  set_name: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_by: string | null;
  note: string | null;
  changed_at: Date | string;
}

/**
 * The latest changes of run-time controls, newest first: the console's "who changed what" list.
 * @example const [last] = await readControlChanges(pool, { setName: 'delay', limit: 1 })
 */
export async function readControlChanges(client: Queryable, options: ControlChangesOptions = {}): Promise<ControlChangeRecord[]> {
  const schema = schemaName(options.schema);
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 50)));
  const { rows } = await client.query<ChangeRow>(
    `select id, set_name, before, after, changed_by, note, changed_at from ${schema}.tracks_control_changes
     where $1::text is null or set_name = $1 order by changed_at desc, id desc limit $2`,
    [options.setName ?? null, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    setName: r.set_name,
    before: r.before,
    after: r.after,
    changedBy: r.changed_by,
    note: r.note,
    changedAt: r.changed_at instanceof Date ? r.changed_at : new Date(r.changed_at),
  }));
}
