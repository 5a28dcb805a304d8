// Run-time controls applied to a compiled set: the same set with another kill switch, pin or coverage.
import { coveredEnds } from './buckets.js';
import type { CompiledSet } from './compile.js';
import { closestName } from './did-you-mean.js';
import { show, TracksError } from './errors.js';
import type { Algorithm } from './track-set.js';

/**
 * What a run-time control changes in one set, overriding the class's statics while it is in
 * force. A field left out keeps the class's value. Controls are values: replace one to change it,
 * never mutate it (derived sets are cached by the control object).
 */
export interface SetControl {
  /** `true`: everyone gets control (reason `disabled`); `false`: the set runs even if the class says `disabled`. */
  readonly disabled?: boolean;
  /** A variant name: everyone gets it (reason `pinned`). */
  readonly pinned?: string;
  /** Fraction of eligible users put in the test, 0 to 1: range starts stay put, so no user moves between variants. */
  readonly coverage?: number;
  /**
   * Variants that take no new users (for a MultiTrackSet: member sets). The users the cookie or the
   * store remembers in one keep it; the hash's range of a paused variant is split among the open
   * variants in proportion to their ranges, inside that range, so no other user moves
   * (`pausedRoute` in buckets.ts). At least one variant stays open.
   */
  readonly paused?: readonly string[];
}

/**
 * Where `assign` and the middleware read the controls in force, by set name: synchronously, from
 * memory. A `Map<string, SetControl>` is one; so are the controls sources of tracks-ab.
 */
export interface ControlsView {
  get(setName: string): SetControl | undefined;
}

/** What a control is checked against: a compiled set, or the catalogue's description of one. */
export interface ControlTarget {
  readonly name: string;
  /** Variant names, in order. */
  readonly variants: readonly string[];
  readonly algorithm: Algorithm;
  /**
   * A MultiTrackSet's member names: the target is then a multi set, whose `variants` are
   * `<member>:<variant>` pairs (what `pinned` may name), whose `paused` names members, and which
   * takes no coverage.
   */
  readonly members?: readonly string[];
}

const FIELDS = ['disabled', 'pinned', 'coverage', 'paused'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `control` is not a well-formed control (wrong field names or types), or null when it is. */
export function controlShapeProblem(control: unknown): string | null {
  if (!isRecord(control)) return `control ${show(control)} is invalid (expected an object with disabled, pinned or coverage)`;
  for (const name of Object.keys(control)) {
    if ((FIELDS as readonly string[]).includes(name)) continue;
    const near = closestName(name, FIELDS);
    return `control ${name} is unknown (${near ? `did you mean ${near}? ` : ''}known: ${FIELDS.join(', ')})`;
  }
  const { disabled, pinned, coverage, paused } = control;
  if (disabled !== undefined && typeof disabled !== 'boolean') return `control disabled is invalid: ${show(disabled)} (expected true or false)`;
  if (pinned !== undefined && (typeof pinned !== 'string' || pinned === ''))
    return `control pinned is invalid: ${show(pinned)} (expected a variant name)`;
  if (coverage !== undefined && (typeof coverage !== 'number' || !(coverage >= 0 && coverage <= 1))) {
    return `control coverage is invalid: ${show(coverage)} (expected a number from 0 to 1)`;
  }
  if (paused !== undefined) {
    if (!Array.isArray(paused) || paused.some((v) => typeof v !== 'string' || v === '')) {
      return `control paused is invalid: ${show(paused)} (expected a list of variant names)`;
    }
    if (new Set(paused).size !== paused.length) return `control paused is invalid: ${show(paused)} (a variant is listed twice)`;
  }
  return null;
}

/** Why a name among `paused` (or `pinned`) is not one of `names`, with a did-you-mean, or null. */
function unknownName(field: string, value: string, names: readonly string[]): string {
  const near = closestName(value, names);
  return `control ${field} is invalid: ${show(value)} (${near ? `did you mean ${show(near)}? ` : ''}known: ${names.join(', ')})`;
}

/**
 * Why `control` cannot apply to `target` (its shape, a variant the set does not have, coverage on
 * a tracks 0.1.x set), or null when it can. A control is applied whole or not at all.
 */
export function controlProblem(target: ControlTarget, control: unknown): string | null {
  const shape = controlShapeProblem(control);
  if (shape !== null) return shape;
  const { pinned, coverage, paused } = control as SetControl;
  if (pinned !== undefined && !target.variants.includes(pinned)) {
    const near = closestName(pinned, target.variants);
    return `control pinned is invalid: ${show(pinned)} (${near ? `did you mean ${show(near)}? ` : ''}variants: ${target.variants.join(', ')})`;
  }
  if (coverage !== undefined && target.members !== undefined) {
    return `control coverage is invalid: ${coverage} (a MultiTrackSet takes no coverage: give it to its member sets)`;
  }
  if (coverage !== undefined && coverage !== 1 && target.algorithm === 'python') {
    return `control coverage is invalid: ${coverage} (algorithm 'python' splits every user equally, as tracks 0.1.x)`;
  }
  if (paused !== undefined && paused.length > 0) {
    const names = target.members ?? target.variants;
    const unknown = paused.find((name) => !names.includes(name));
    if (unknown !== undefined) return unknownName('paused', unknown, names);
    if (target.algorithm === 'python')
      return `control paused is invalid: ${show(paused)} (algorithm 'python' has no ranges to split, as tracks 0.1.x)`;
    if (paused.length >= names.length)
      return `control paused is invalid: ${show(paused)} (leave at least one ${target.members ? 'member' : 'variant'} open)`;
  }
  return null;
}

/** The error for a control refused by {@link controlProblem}, naming the set. */
export function controlError(setName: string, problem: string): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_CONTROL', `track set "${setName}": ${problem}`);
}

/**
 * The set as `control` changes it: the same variants, bounds, hash prefix and masked names (so the
 * cookie and the store read it alike), another `disabled`, `pinned` and covered range ends.
 * Coverage comes from the same `coveredEnds` as the static option, so range starts never move.
 * Throws a `TracksError` (`ERR_TRACKS_INVALID_CONTROL`) when the control cannot apply.
 */
export function controlledSet(set: CompiledSet, control: SetControl): CompiledSet {
  const problem = controlProblem({ name: set.name, variants: set.variants.map((v) => v.name), algorithm: set.algorithm }, control);
  if (problem !== null) throw controlError(set.name, problem);
  return Object.freeze({
    ...set,
    disabled: control.disabled ?? set.disabled,
    pinned: control.pinned === undefined ? set.pinned : set.byName.get(control.pinned)!,
    ends: control.coverage === undefined ? set.ends : coveredEnds(set.bounds, control.coverage),
    paused: control.paused === undefined || control.paused.length === 0 ? null : set.variants.map((v) => control.paused!.includes(v.name)),
  });
}

// Derived once per (control object, set): a control object is one version of a set's control.
const derived = new WeakMap<SetControl, WeakMap<CompiledSet, CompiledSet | TracksError>>();

/**
 * The rules `set` follows under `control` (the set itself when there is none), or the error that
 * refused the control. Cached per control object and set, so the request path derives nothing
 * after the first request of a control's version, and the same refusal is the same error object.
 */
export function rulesUnder(set: CompiledSet, control: SetControl | null | undefined): CompiledSet | TracksError {
  if (control === undefined || control === null) return set;
  // Not an object: nothing to cache it by (and nothing a control can be).
  if (typeof control !== 'object') return controlError(set.name, controlShapeProblem(control)!);
  let bySet = derived.get(control);
  if (bySet === undefined) derived.set(control, (bySet = new WeakMap()));
  let rules = bySet.get(set);
  if (rules === undefined) {
    try {
      rules = controlledSet(set, control);
    } catch (error) {
      rules = error instanceof TracksError ? error : controlError(set.name, String(error));
    }
    bySet.set(set, rules);
  }
  return rules;
}
