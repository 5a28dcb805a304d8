// A set's description as the run-time controls in force change it, so a report says disabled, pinned or paused, not running.
import type { MultiDescription, SetDescription } from '../engine/describe-set.js';
import { readControls, type ControlRecord } from '../postgres/controls-write.js';
import type { Queryable } from '../postgres/queryable.js';

/** The description with the controls in force applied, and the paused variants (members) by set name. */
export interface SetInForce<D extends SetDescription | MultiDescription> {
  readonly set: D;
  readonly paused: ReadonlyMap<string, readonly string[]>;
  /** A multi set disabled or pinned as a whole, in words; null otherwise. */
  readonly whole: string | null;
}

function overlay(set: SetDescription, record: ControlRecord | undefined): SetDescription {
  const c = record?.control;
  if (!c) return set;
  return { ...set, disabled: c.disabled ?? set.disabled, pinned: c.pinned ?? set.pinned };
}

/**
 * Reads the stored controls and applies them to `set` (and to each member of a multi set), so
 * the analysis reports `disabled` or `pinned` where the controls say so. A database without the
 * controls tables (never migrated to them) leaves the description as it is.
 */
export async function inForce<D extends SetDescription | MultiDescription>(client: Queryable, set: D, schema?: string): Promise<SetInForce<D>> {
  let records: Map<string, ControlRecord>;
  try {
    records = await readControls(client, { schema });
  } catch {
    return { set, paused: new Map(), whole: null };
  }
  const paused = new Map<string, readonly string[]>();
  const note = (name: string): void => {
    const list = records.get(name)?.control.paused;
    if (list && list.length > 0) paused.set(name, list);
  };
  note(set.name);
  if (set.kind !== 'multi') return { set: overlay(set, records.get(set.name)) as D, paused, whole: null };
  const own = records.get(set.name)?.control;
  const whole = own?.disabled ? 'disabled as a whole' : own?.pinned !== undefined ? `pinned as a whole to ${own.pinned}` : null;
  const members = set.members.map((m) => {
    note(m.set.name);
    return { ...m, set: overlay(m.set, records.get(m.set.name)) };
  });
  return { set: { ...set, members }, paused, whole };
}

/** The lines a report adds for what the controls say beyond its status: paused variants, a multi set controlled whole. */
export function controlLines(state: SetInForce<SetDescription | MultiDescription>): string[] {
  const lines: string[] = [];
  if (state.whole) lines.push(`${state.set.name}: ${state.whole} (runtime control)`);
  for (const [name, list] of state.paused) lines.push(`${name}: paused ${list.join(', ')} (no new users; the enrolled keep theirs)`);
  return lines;
}
