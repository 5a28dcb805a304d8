// Run-time controls of a MultiTrackSet as a whole: disabled, pinned to one member's variant, members paused.
import { Assignment, MultiAssignment } from './assignment.js';
import type { CompiledMulti, CompiledSet, CompiledVariant } from './compile.js';
import { controlError, controlProblem, controlShapeProblem, type ControlTarget, type SetControl } from './controlled-set.js';
import { TracksError } from './errors.js';

/** What the control in force for a multi set says. */
export interface MultiRules {
  /** Everyone gets no member (reason `disabled`): every member's read gives control. */
  readonly disabled: boolean;
  /** Everyone gets this member and variant (reason `pinned`), nothing logged. */
  readonly pinned: { readonly member: CompiledSet; readonly variant: CompiledVariant } | null;
  /** Members that take no new users; the users remembered in one keep it. */
  readonly paused: ReadonlySet<CompiledSet>;
}

/** A multi set with no control in force. */
export const OPEN_MULTI: MultiRules = Object.freeze({ disabled: false, pinned: null, paused: new Set<CompiledSet>() });

/** What a control of a multi set is checked against: its members, and `<member>:<variant>` pairs to pin. */
export function multiTarget(multi: CompiledMulti): ControlTarget {
  return {
    name: multi.name,
    variants: multi.members.flatMap((m) => m.variants.map((v) => `${m.name}:${v.name}`)),
    algorithm: multi.algorithm,
    members: multi.members.map((m) => m.name),
  };
}

const derived = new WeakMap<SetControl, WeakMap<CompiledMulti, MultiRules | TracksError>>();

function rulesOf(multi: CompiledMulti, control: SetControl): MultiRules {
  const problem = controlProblem(multiTarget(multi), control);
  if (problem !== null) throw controlError(multi.name, problem);
  let pinned: MultiRules['pinned'] = null;
  if (control.pinned !== undefined) {
    for (const member of multi.members) {
      const variant = member.variants.find((v) => `${member.name}:${v.name}` === control.pinned);
      if (variant) pinned = { member, variant };
    }
  }
  const paused = new Set(multi.members.filter((m) => control.paused?.includes(m.name) === true));
  return Object.freeze({ disabled: control.disabled === true, pinned, paused });
}

/**
 * The rules a multi set follows under `control` (open without one), or the error that refused it;
 * derived once per control object and multi set, like `rulesUnder` for a set.
 */
export function multiRulesUnder(multi: CompiledMulti, control: SetControl | null | undefined): MultiRules | TracksError {
  if (control === undefined || control === null) return OPEN_MULTI;
  if (typeof control !== 'object') return controlError(multi.name, controlShapeProblem(control)!);
  let byMulti = derived.get(control);
  if (byMulti === undefined) derived.set(control, (byMulti = new WeakMap()));
  let rules = byMulti.get(multi);
  if (rules === undefined) {
    try {
      rules = rulesOf(multi, control);
    } catch (error) {
      rules = error instanceof TracksError ? error : controlError(multi.name, String(error));
    }
    byMulti.set(multi, rules);
  }
  return rules;
}

/** Whether a member takes no new users: paused in its multi set, or itself disabled or pinned (`memberRules`: the member under its controls). */
export function memberClosed(multiRules: MultiRules, member: CompiledSet, memberRules: CompiledSet): boolean {
  return memberRules.disabled || memberRules.pinned !== null || multiRules.paused.has(member);
}

/** The assignment a multi set disabled or pinned as a whole gives everyone (`key`: the user's, for the record), or null when it runs. */
export function settledMulti(multi: CompiledMulti, whole: MultiRules, key: string | null): MultiAssignment | null {
  if (whole.disabled) return new MultiAssignment(multi, null, null, 'disabled');
  if (!whole.pinned) return null;
  const { member, variant } = whole.pinned;
  return new MultiAssignment(multi, member.cls, new Assignment(member, variant, 'pinned', true, key), 'pinned');
}
