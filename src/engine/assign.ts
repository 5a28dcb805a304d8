// Pure assignment: from a compiled set, a key and a context to a variant and the reason for it.
import { Assignment, MultiAssignment, type AssignmentOf } from './assignment.js';
import { BUCKETS, bucketOf, rangeIndex } from './buckets.js';
import { compile, type CompiledMulti, type CompiledSet } from './compile.js';
import { rulesUnder, type ControlsView } from './controlled-set.js';
import { TracksError } from './errors.js';
import { hashWithPrefix } from './hash.js';
import { md5Mod } from './md5.js';
import { serializeKey } from './serialize-key.js';
import { AsyncHookError, callSafely, isThenable, settleQuietly, syncAnswer } from './thenable.js';
import type { AnySetClass, ContextOf, TrackSet, TrackSetClass } from './track-set.js';

/** What `assign` takes besides the set. */
export interface AssignOptions<Context = unknown> {
  /**
   * Any JSON-like value; the same key always gets the same variant. null/undefined: random. A
   * promise is refused (`AsyncHookError`, `ERR_TRACKS_ASYNC_HOOK`): await it first.
   */
  key?: unknown;
  /** Handed to the set's `isEligible` as `this.context`. */
  context?: Context;
  /**
   * Called when `isEligible` throws or returns a promise (an `AsyncHookError`, code
   * `ERR_TRACKS_ASYNC_HOOK`). With it, the user gets control (reason `error`); without it, the
   * error propagates. A promise `onError` returns is never left unhandled.
   */
  onError?: (error: unknown, setName: string) => unknown;
  /**
   * Run-time controls by set name (a `Map<string, SetControl>`, or a controls source): they
   * override the set's `disabled`, `pinned` and `coverage` statics. A control the set cannot take
   * (an unknown variant…) is ignored and given to `onError`; without `onError` it throws.
   */
  controls?: ControlsView;
}

/**
 * Runs the set's `isEligible` over `context`. Only sets that override it pay for an instance.
 * A promise (or other thenable) is not an answer: its rejection is handled, and this throws
 * `AsyncHookError` (`ERR_TRACKS_ASYNC_HOOK`), as if `isEligible` had thrown.
 */
export function checkEligible(set: CompiledSet, context: unknown): boolean {
  if (!set.checksEligibility) return true;
  const instance = new (set.cls as unknown as new (context: unknown) => TrackSet<unknown>)(context);
  return syncAnswer<unknown>(instance.isEligible(), 'isEligible', set.name) === true;
}

/**
 * The variant index the algorithm gives `key` (the serialised key, or null for no key), or -1
 * when the key's bucket falls outside the covered part of its variant's range.
 */
export function hashIndex(set: CompiledSet, key: string | null): number {
  // `set` may be a controlled set (controlled-set.ts): same bounds and prefix, its own ends.
  if (set.algorithm === 'python') {
    const n = set.variants.length;
    return key === null ? Math.floor(Math.random() * n) : md5Mod(set.name + ':' + key, n);
  }
  const bucket = key === null ? Math.floor(Math.random() * BUCKETS) : bucketOf(hashWithPrefix(set.prefix, key));
  const i = rangeIndex(set.bounds, bucket);
  return bucket < set.ends[i]! ? i : -1;
}

/**
 * The assignment from the set's rules and the hash alone: disabled, pinned, coverage, hash.
 * `rules` is the set under the run-time controls in force (`rulesUnder`), the set itself when
 * none is; the assignment always names `set`. One allocation, the result itself.
 */
export function assignByRule(set: CompiledSet, key: string | null, rules: CompiledSet = set): Assignment {
  if (rules.disabled) return new Assignment(set, set.control, 'disabled', true, key);
  if (rules.pinned) return new Assignment(set, rules.pinned, 'pinned', true, key);
  const index = hashIndex(rules, key);
  if (index < 0) return new Assignment(set, set.control, 'coverage', true, key);
  return new Assignment(set, set.variants[index]!, key === null ? 'random' : 'hash', true, key);
}

/**
 * Chooses a member of a multi set among those `eligible` says yes to, by weight and key.
 * Returns the member's position, or -1 when none is eligible.
 */
export function chooseMember(multi: CompiledMulti, key: string | null, eligible: (member: CompiledSet) => boolean): number {
  const members = multi.members;
  // Eligibility is asked once per member; a bit mask keeps the answers without allocating.
  let mask = 0;
  let total = 0;
  const many = members.length > 30;
  const answers: boolean[] | null = many ? [] : null;
  for (let i = 0; i < members.length; i++) {
    const ok = eligible(members[i]!);
    if (answers) answers.push(ok);
    else if (ok) mask |= 1 << i;
    if (ok) total += members[i]!.weight;
  }
  if (total === 0) return -1;
  const isIn = (i: number): boolean => (answers ? answers[i]! : (mask & (1 << i)) !== 0);
  if (multi.algorithm === 'python') {
    // tracks 0.1.x listed each eligible set `weight` times and took md5 modulo the list's length.
    let slot = key === null ? Math.floor(Math.random() * total) : md5Mod(multi.name + ':' + key, total);
    for (let i = 0; i < members.length; i++) {
      if (!isIn(i)) continue;
      slot -= members[i]!.weight;
      if (slot < 0) return i;
    }
    return -1;
  }
  const bucket = key === null ? Math.floor(Math.random() * BUCKETS) : bucketOf(hashWithPrefix(multi.prefix, key));
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < members.length; i++) {
    if (!isIn(i)) continue;
    cumulative += members[i]!.weight;
    last = i;
    if (bucket < Math.round((BUCKETS * cumulative) / total)) return i;
  }
  return last;
}

function keyOf(key: unknown): string | null {
  if (key === null || key === undefined) return null;
  // A promise serialises as "{}": everyone would share one key. Its rejection is handled here.
  if (isThenable(key)) {
    settleQuietly(key);
    throw new AsyncHookError('key');
  }
  return serializeKey(key);
}

function eligibleOrError(set: CompiledSet, context: unknown, onError: AssignOptions['onError']): boolean | 'error' {
  try {
    return checkEligible(set, context);
  } catch (error) {
    if (!onError) throw error;
    // onError failing must not turn a handled failure into a thrown one.
    callSafely(() => onError(error, set.name));
    return 'error';
  }
}

/** The set under the control in force for it; a control it cannot take goes to `onError` (or throws). */
function rulesOf(set: CompiledSet, controls: ControlsView | undefined, onError: AssignOptions['onError']): CompiledSet {
  if (controls === undefined) return set;
  const rules = rulesUnder(set, controls.get(set.name));
  if (!(rules instanceof TracksError)) return rules;
  if (!onError) throw rules;
  onError(rules, set.name);
  return set;
}

function assignSet(set: CompiledSet, key: string | null, context: unknown, onError: AssignOptions['onError'], controls?: ControlsView): Assignment {
  const rules = rulesOf(set, controls, onError);
  // A kill switch or a pinned winner applies to everyone, so eligibility is not even asked.
  if (rules.disabled || rules.pinned) return assignByRule(set, key, rules);
  const eligible = eligibleOrError(set, context, onError);
  if (eligible !== true) return new Assignment(set, set.control, eligible === 'error' ? 'error' : 'ineligible', false, key);
  return assignByRule(set, key, rules);
}

function assignMulti(
  multi: CompiledMulti,
  key: string | null,
  context: unknown,
  onError: AssignOptions['onError'],
  controls?: ControlsView,
): MultiAssignment {
  let failed = false;
  const index = chooseMember(multi, key, (member) => {
    const ok = eligibleOrError(member, context, onError);
    if (ok === 'error') failed = true;
    return ok === true;
  });
  if (index < 0) return new MultiAssignment(multi, null, null, failed ? 'error' : 'ineligible');
  const member = multi.members[index]!;
  return new MultiAssignment(multi, member.cls, assignByRule(member, key, rulesOf(member, controls, onError)), key === null ? 'random' : 'hash');
}

/**
 * Assigns a user to a set (or a MultiTrackSet) by key, without any cookie or request: the pure
 * engine under the adapters.
 * @example
 * const delay = assign(DelayTracks, { key: user.id, context: { user } })
 * await delay.run()
 * log(user.id, delay.name)  // 'control' | 'short' | 'long'
 */
export function assign<S extends AnySetClass>(set: S, options: AssignOptions<ContextOf<S>> = {}): AssignmentOf<S> {
  const compiled = compile(set);
  const key = keyOf(options.key);
  const result =
    compiled.kind === 'multi'
      ? assignMulti(compiled, key, options.context, options.onError, options.controls)
      : assignSet(compiled, key, options.context, options.onError, options.controls);
  return result as AssignmentOf<S>;
}

/** The variant names of a set, in order (control first when the set has one). */
export function variantsOf(set: TrackSetClass): string[] {
  const compiled = compile(set);
  if (compiled.kind !== 'set') throw new TracksError('ERR_TRACKS_INVALID_SET', 'variantsOf takes a SimpleTrackSet or ParamTrackSet');
  return compiled.variants.map((v) => v.name);
}
