// Assignment by key with run-time controls and a store's records, without a request or cookie: the OpenFeature provider's path.
import { assignByRule, checkEligible, chooseMember } from '../engine/assign.js';
import { Assignment, MultiAssignment, memberAssignment } from '../engine/assignment.js';
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import { rulesInForce, type ControlsSource } from '../controls/controls.js';
import type { RememberedAssignments, UserAssignment } from '../assignment-store/assignment-store.js';

/** What one evaluation knows besides the key: the sets' context, the controls, what the store remembers. */
export interface RememberedInputs {
  /** The serialised key. */
  readonly key: string;
  readonly context: unknown;
  /** Told when an `isEligible` throws or answers with a promise; that set then gives control (reason `error`). */
  readonly onError: (error: unknown, setName: string) => void;
  readonly controls: ControlsSource | null;
  /** The key's records (null: no store, or unknown). */
  readonly records: RememberedAssignments | null;
}

/** The records an evaluation leaves to write: new enrolments by the hash, and replacements of records whose variant was removed. */
export interface Enrolments {
  readonly saves: UserAssignment[];
  readonly replaces: Array<UserAssignment & { replaces: string }>;
}

/** The assignment, and the records it leaves to write. */
export interface RememberedResult extends Enrolments {
  readonly result: Assignment | MultiAssignment;
}

function eligible(set: CompiledSet, inputs: RememberedInputs): boolean | 'error' {
  try {
    return checkEligible(set, inputs.context);
  } catch (error) {
    inputs.onError(error, set.name);
    return 'error';
  }
}

function enrol(out: Enrolments, owner: CompiledSet | CompiledMulti, variant: string, inputs: RememberedInputs): void {
  const record: UserAssignment = { key: inputs.key, setName: owner.name, variant, assignedAt: new Date(), how: 'hash' };
  const superseded = inputs.records?.get(owner.name);
  if (superseded === undefined) out.saves.push(record);
  else if (superseded.variant !== variant) out.replaces.push({ ...record, replaces: superseded.variant });
}

/** As the middleware resolves a set: controls (disabled, pinned), eligibility, the store's record, then coverage and the hash. */
function resolveSet(set: CompiledSet, inputs: RememberedInputs, out: Enrolments): Assignment {
  const rules = rulesInForce(inputs.controls, set);
  if (rules.disabled || rules.pinned) return assignByRule(set, inputs.key, rules);
  const ok = eligible(set, inputs);
  if (ok !== true) return new Assignment(set, set.control, ok === 'error' ? 'error' : 'ineligible', false, inputs.key);
  const stored = inputs.records?.get(set.name);
  const variant = stored === undefined ? undefined : set.byName.get(stored.variant);
  if (variant !== undefined) return new Assignment(set, variant, 'sticky', true, inputs.key);
  const assignment = assignByRule(set, inputs.key, rules);
  if (assignment.reason === 'hash') enrol(out, set, assignment.name, inputs);
  return assignment;
}

function resolveMulti(multi: CompiledMulti, inputs: RememberedInputs, out: Enrolments): MultiAssignment {
  const stored = inputs.records?.get(multi.name);
  let chosen = stored === undefined ? undefined : multi.members.find((m) => m.name === stored.variant);
  let reason: 'sticky' | 'hash' = 'sticky';
  if (chosen === undefined || eligible(chosen, inputs) !== true) {
    let failed = false;
    const index = chooseMember(multi, inputs.key, (member) => {
      const ok = eligible(member, inputs);
      failed ||= ok === 'error';
      return ok === true;
    });
    if (index < 0) return new MultiAssignment(multi, null, null, failed ? 'error' : 'ineligible');
    chosen = multi.members[index]!;
    reason = 'hash';
    enrol(out, multi, chosen.name, inputs);
  }
  return new MultiAssignment(multi, chosen.cls, resolveSet(chosen, inputs, out), reason);
}

/**
 * Assigns `compiled` (a set, a multi set, or a member of one: `parent`) as the middleware would
 * for a user with no cookie: run-time controls first, then eligibility, then what the store
 * remembers (reason `sticky`), then coverage and the hash, whose new enrolments are returned to save.
 */
export function assignRemembered(
  compiled: CompiledSet | CompiledMulti,
  parent: CompiledMulti | undefined,
  inputs: RememberedInputs,
): RememberedResult {
  const out: Enrolments = { saves: [], replaces: [] };
  if (compiled.kind === 'multi') return { ...out, result: resolveMulti(compiled, inputs, out) };
  if (parent === undefined) return { ...out, result: resolveSet(compiled, inputs, out) };
  // A member of a multi set: its variant when the multi set chose it, else control.
  const multi = resolveMulti(parent, inputs, out);
  return { ...out, result: memberAssignment(compiled, multi, inputs.key) };
}
