// Writing and listing controls in PostgreSQL: each change is checked whole against the catalogue, then stored in one statement.
import { controlError, controlProblem, type SetControl } from '../engine/controlled-set.js';
import { unknownSetError } from '../controls/memory-controls.js';
import { readCatalogue, type CatalogueSet, type ControlsStoreOptions } from './controls-catalogue.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';
import { inTransaction } from './transaction.js';

/** A change to a set's control: a value sets the field, `null` clears it (the class's static applies), absent keeps it. */
export interface ControlChange {
  disabled?: boolean | null;
  pinned?: string | null;
  coverage?: number | null;
  /** Variants (of a MultiTrackSet: members) that take no new users; an empty list or null opens them all. */
  paused?: readonly string[] | null;
  /** Adds these to the paused variants (members), inside the change's transaction. */
  pause?: readonly string[];
  /** Takes these off the paused variants (members). */
  resume?: readonly string[];
}

/** Options of `changeControl` and `removeControl`. */
export interface ControlWriteOptions extends ControlsStoreOptions {
  /** Who made the change, for `tracks-ab controls list` (the command line uses the login name). */
  by?: string | null;
  /** Why, for the same list. */
  note?: string | null;
}

/** A stored control and who last changed it. */
export interface ControlRecord {
  readonly setName: string;
  readonly control: SetControl;
  readonly updatedAt: Date;
  readonly updatedBy: string | null;
  readonly note: string | null;
}

/** One line of `listControls`: a catalogued set, its control, and what is in force for it. */
export interface ControlListing {
  readonly setName: string;
  /** The catalogue's description, or null for a control of a set no app published. */
  readonly set: CatalogueSet | null;
  readonly record: ControlRecord | null;
  /** The statics with the control applied (null without a catalogue entry). */
  readonly inForce: {
    readonly disabled: boolean;
    readonly pinned: string | null;
    readonly coverage: number;
    /** Paused variants (members); absent or empty when none is. */
    readonly paused?: readonly string[];
  } | null;
}

interface ControlRow {
  set_name: string;
  disabled: boolean | null;
  pinned: string | null;
  coverage: number | null;
  paused: string[] | null;
  updated_at: Date | string;
  updated_by: string | null;
  note: string | null;
}

// Serialises writers of controls (an arbitrary constant key), so a read-check-write never interleaves.
const CONTROLS_LOCK = 7308510562;

/** The control a row holds: its non-null columns. */
export function controlOfRow(row: Pick<ControlRow, 'disabled' | 'pinned' | 'coverage'> & { paused?: string[] | null }): SetControl {
  return {
    ...(row.disabled !== null && { disabled: row.disabled }),
    ...(row.pinned !== null && { pinned: row.pinned }),
    ...(row.coverage !== null && { coverage: Number(row.coverage) }),
    ...(row.paused && row.paused.length > 0 && { paused: row.paused }),
  };
}

function recordOf(row: ControlRow): ControlRecord {
  return {
    setName: row.set_name,
    control: controlOfRow(row),
    updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(row.updated_at),
    updatedBy: row.updated_by,
    note: row.note,
  };
}

const COLUMNS = 'set_name, disabled, pinned, coverage, paused, updated_at, updated_by, note';

/**
 * Changes a set's control, refused whole (a `TracksError`, `ERR_TRACKS_INVALID_CONTROL`, nothing
 * written) when the catalogue has no such set, or the control that would result names a variant
 * it does not have or is malformed. Every server sees the change within its bound (see
 * `postgresControls`). Returns the stored control.
 * @example await changeControl(pool, 'delay', { disabled: true }, { by: 'alice', note: 'slow pages' })
 */
export async function changeControl(
  client: Queryable,
  setName: string,
  change: ControlChange,
  options: ControlWriteOptions = {},
): Promise<ControlRecord> {
  const schema = schemaName(options.schema);
  return inTransaction(client, async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${CONTROLS_LOCK})`);
    const catalogue = await readCatalogue(tx, options);
    const target = catalogue.get(setName);
    if (!target) throw unknownSetError(setName, [...catalogue.keys()]);
    const { rows } = await tx.query<ControlRow>(`select ${COLUMNS} from ${schema}.tracks_controls where set_name = $1`, [setName]);
    const merged: Record<string, unknown> = { ...(rows[0] ? controlOfRow(rows[0]) : {}) };
    const { pause, resume, ...fields } = change;
    if (pause !== undefined || resume !== undefined) {
      const current = (merged.paused as string[] | undefined) ?? [];
      fields.paused = [...new Set([...current, ...(pause ?? [])])].filter((name) => !(resume ?? []).includes(name));
    }
    for (const [name, value] of Object.entries(fields)) {
      if (value === null || (name === 'paused' && Array.isArray(value) && value.length === 0)) delete merged[name];
      else if (value !== undefined) merged[name] = value;
    }
    const problem = controlProblem(target, merged);
    if (problem !== null) throw controlError(setName, problem);
    const control = merged as SetControl;
    const { rows: written } = await tx.query<ControlRow>(
      `insert into ${schema}.tracks_controls (${COLUMNS}) values ($1, $2, $3, $4, $5, now(), $6, $7)
       on conflict (set_name) do update set disabled = excluded.disabled, pinned = excluded.pinned, coverage = excluded.coverage,
         paused = excluded.paused,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by, note = excluded.note
       returning ${COLUMNS}`,
      [
        setName,
        control.disabled ?? null,
        control.pinned ?? null,
        control.coverage ?? null,
        control.paused ?? null,
        options.by ?? null,
        options.note ?? null,
      ],
    );
    return recordOf(written[0]!);
  });
}

/**
 * Deletes a set's control: the class's statics apply again. True when there was one. It takes the
 * writers' lock, as `changeControl` does: a change that read the row before the delete would
 * otherwise write the deleted fields (a pin) back.
 */
export async function removeControl(client: Queryable, setName: string, options: ControlsStoreOptions = {}): Promise<boolean> {
  const schema = schemaName(options.schema);
  return inTransaction(client, async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${CONTROLS_LOCK})`);
    const { rows } = await tx.query<{ set_name: string }>(`delete from ${schema}.tracks_controls where set_name = $1 returning set_name`, [setName]);
    return rows.length > 0;
  });
}

/** Every stored control, by set name. */
export async function readControls(client: Queryable, options: ControlsStoreOptions = {}): Promise<Map<string, ControlRecord>> {
  const schema = schemaName(options.schema);
  const { rows } = await client.query<ControlRow>(`select ${COLUMNS} from ${schema}.tracks_controls order by set_name`);
  return new Map(rows.map((r) => [r.set_name, recordOf(r)]));
}

/** The catalogue and the controls side by side, by set name: what `tracks-ab controls list` prints. */
export async function listControls(client: Queryable, options: ControlsStoreOptions = {}): Promise<ControlListing[]> {
  const [catalogue, records] = await Promise.all([readCatalogue(client, options), readControls(client, options)]);
  const names = [...new Set([...catalogue.keys(), ...records.keys()])].sort();
  return names.map((setName) => {
    const set = catalogue.get(setName) ?? null;
    const record = records.get(setName) ?? null;
    const c = record?.control ?? {};
    const inForce = set && {
      disabled: c.disabled ?? set.statics.disabled,
      pinned: c.pinned ?? set.statics.pinned,
      coverage: c.coverage ?? set.statics.coverage,
      paused: c.paused ?? [],
    };
    return { setName, set, record, inForce };
  });
}
