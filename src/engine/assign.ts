// Pure assignment: from a compiled set, a key and a context to a variant and the reason for it.
import { Assignment, MultiAssignment, type AssignmentOf } from './assignment.js';
import { BUCKETS, bucketOf, rangeIndex, splitPosition } from './buckets.js';
import { compile, type CompiledMulti, type CompiledSet } from './compile.js';
import { rulesUnder, type ControlsView } from './controlled-set.js';
import { TracksError } from './errors.js';
import { memberClosed, multiRulesUnder, OPEN_MULTI, settledMulti, type MultiRules } from './multi-rules.js';
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
  if (bucket >= set.ends[i]!) return -1;
  return set.paused !== null && set.paused[i] ? pausedRoute(set, i, bucket) : i;
}

/**
 * The open variant a bucket of paused variant `i` goes to: `splitPosition` over the paused
 * variant's covered buckets, weighted by the open variants' range sizes (their configured
 * weights, to the bucket), so the open variants keep their ratio and no user outside the paused
 * range moves.
 */
export function pausedRoute(set: CompiledSet, i: number, bucket: number): number {
  const paused = set.paused!;
  const weights = set.variants.map((_v, j) => (paused[j] ? 0 : set.bounds[j + 1]! - set.bounds[j]!));
  return splitPosition(bucket - set.bounds[i]!, set.ends[i]! - set.bounds[i]!, weights);
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
 * Returns the member's position, or -1 when none is eligible. A `closed` member (disabled, pinned
 * or paused: it takes no new users) keeps its part of the split, so no other user moves; the users
 * whose hash falls in it go to the open eligible members, that part cut in proportion to their
 * weights (`splitPosition`). When no eligible member is open, the closed one is returned: a caller
 * gives no member when it is paused in the multi set.
 */
export function chooseMember(
  multi: CompiledMulti,
  key: string | null,
  eligible: (member: CompiledSet) => boolean,
  closed?: (member: CompiledSet) => boolean,
): number {
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
  let chosen = -1;
  let position = 0;
  let length = 0;
  if (multi.algorithm === 'python') {
    // tracks 0.1.x listed each eligible set `weight` times and took md5 modulo the list's length.
    let slot = key === null ? Math.floor(Math.random() * total) : md5Mod(multi.name + ':' + key, total);
    for (let i = 0; i < members.length && chosen < 0; i++) {
      if (!isIn(i)) continue;
      if (slot < members[i]!.weight) [chosen, position, length] = [i, slot, members[i]!.weight];
      slot -= members[i]!.weight;
    }
  } else {
    const bucket = key === null ? Math.floor(Math.random() * BUCKETS) : bucketOf(hashWithPrefix(multi.prefix, key));
    let cumulative = 0;
    let start = 0;
    for (let i = 0; i < members.length && chosen < 0; i++) {
      if (!isIn(i)) continue;
      cumulative += members[i]!.weight;
      const end = Math.round((BUCKETS * cumulative) / total);
      if (bucket < end || cumulative >= total) [chosen, position, length] = [i, bucket - start, end - start];
      start = end;
    }
  }
  if (chosen < 0 || closed === undefined || !closed(members[chosen]!)) return chosen;
  const weights = members.map((m, i) => (i !== chosen && isIn(i) && !closed(m) ? m.weight : 0));
  // No open member to go to: the hash's member stays, and its own rules apply (control, the pinned variant).
  const open = splitPosition(position, length, weights);
  return open < 0 ? chosen : open;
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

/** The multi set under the control in force for it; a control it cannot take goes to `onError` (or throws). */
function multiRulesOf(multi: CompiledMulti, controls: ControlsView | undefined, onError: AssignOptions['onError']): MultiRules {
  if (controls === undefined) return OPEN_MULTI;
  const rules = multiRulesUnder(multi, controls.get(multi.name));
  if (!(rules instanceof TracksError)) return rules;
  if (!onError) throw rules;
  onError(rules, multi.name);
  return OPEN_MULTI;
}

function assignMulti(
  multi: CompiledMulti,
  key: string | null,
  context: unknown,
  onError: AssignOptions['onError'],
  controls?: ControlsView,
): MultiAssignment {
  const whole = multiRulesOf(multi, controls, onError);
  const settled = settledMulti(multi, whole, key);
  if (settled) return settled;
  let failed = false;
  const closed = (member: CompiledSet): boolean => memberClosed(whole, member, rulesOf(member, controls, onError));
  const index = chooseMember(
    multi,
    key,
    (member) => {
      const ok = eligibleOrError(member, context, onError);
      if (ok === 'error') failed = true;
      return ok === true;
    },
    closed,
  );
  if (index < 0 || whole.paused.has(multi.members[index]!)) return new MultiAssignment(multi, null, null, failed ? 'error' : 'ineligible');
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
