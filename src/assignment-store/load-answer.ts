// What a store's `load` answered, checked: a store outside its contract never reaches the request as anything but "unknown".
import { show } from '../engine/errors.js';
import type { RememberedAssignments, StoredAssignment } from './assignment-store.js';

/** A load's answer as the client takes it: the remembered assignments, and what was wrong with the answer, if anything. */
export interface CheckedAnswer {
  /** The well-formed assignments; null when the answer was no Map at all (the load counts as failed). */
  readonly assignments: RememberedAssignments | null;
  /** Why (part of) the answer was refused, for `onError`; null for a well-formed answer. */
  readonly problem: string | null;
}

function isStored(value: unknown): value is StoredAssignment {
  const v = value as Partial<StoredAssignment> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.variant === 'string' &&
    v.assignedAt instanceof Date &&
    !Number.isNaN(v.assignedAt.getTime()) &&
    (v.how === 'hash' || v.how === 'anonymous')
  );
}

/**
 * Checks what `load` resolved with. The contract is a Map of set name → `{ variant, assignedAt,
 * how }`; anything else (null, undefined, a plain object, an array) is refused whole, and a Map's
 * malformed entries are left out, so a request only ever sees well-formed records.
 */
export function checkAnswer(loaded: unknown): CheckedAnswer {
  if (!(loaded instanceof Map)) {
    return { assignments: null, problem: `the store's load answered ${show(loaded)}, not a Map of set name → assignment` };
  }
  let bad = 0;
  for (const [setName, record] of loaded as Map<unknown, unknown>) if (typeof setName !== 'string' || !isStored(record)) bad++;
  if (bad === 0) return { assignments: loaded as RememberedAssignments, problem: null };
  const good = new Map<string, StoredAssignment>();
  for (const [setName, record] of loaded as Map<unknown, unknown>) if (typeof setName === 'string' && isStored(record)) good.set(setName, record);
  return { assignments: good, problem: `the store's load answered ${bad} malformed record(s); they are ignored` };
}
