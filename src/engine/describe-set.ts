// describeSet: a set's configuration as a frozen, JSON-serialisable description for analysis, tools and QA pages.
import { BUCKETS } from './buckets.js';
import { compile, type CompiledMulti, type CompiledSet } from './compile.js';
import { ParamTrackSet, type Algorithm, type AnySetClass, type MultiTrackSetClass, type TrackSetClass } from './track-set.js';
import { variantWeights } from './variants.js';

/** A range of the 10,000-bucket space: `[start, end)`, of which `[start, coveredEnd)` is in the test. */
export interface BucketRange {
  readonly start: number;
  /** End of the covered part: buckets from here to `end` get control, unlogged (coverage < 1). */
  readonly coveredEnd: number;
  readonly end: number;
}

/** One variant of a described set. */
export interface VariantDescription {
  readonly name: string;
  readonly masked: string;
  /** Position in the set's variant list (control first when the set adds it). */
  readonly index: number;
  /** The configured weight (`static weights`), 1 each for the default equal split. */
  readonly weight: number;
  /** `weight / sum of weights`. */
  readonly share: number;
  /** The variant's bucket range; null with algorithm 'python', which takes md5 modulo the number of variants. */
  readonly buckets: BucketRange | null;
  /**
   * The fraction of the set's logged (hashed, in-test) users this variant should get: its covered
   * buckets over all covered buckets (`share` up to bucket rounding), `1 / variants` with 'python'.
   * What a sample-ratio check compares the observed split with.
   */
  readonly expectedShare: number;
  /** Whether this is the set's control: the one `addControlTrack` adds, or the one `static controlVariant` names. */
  readonly isControl: boolean;
}

/** A SimpleTrackSet or ParamTrackSet, described. */
export interface SetDescription {
  readonly kind: 'simple' | 'param';
  readonly name: string;
  readonly masked: string;
  readonly algorithm: Algorithm;
  /** Relative weight inside a MultiTrackSet (default 100). */
  readonly weight: number;
  readonly addControlTrack: boolean;
  /**
   * The control reports compare with: `control` (added by `addControlTrack`), or the variant named by
   * `static controlVariant`; null when the set has neither (ineligible users get an implicit control).
   */
  readonly control: string | null;
  readonly variants: readonly VariantDescription[];
  /** Fraction of eligible users put in the test (0 to 1). */
  readonly coverage: number;
  readonly disabled: boolean;
  /** The variant everyone gets, or null. */
  readonly pinned: string | null;
  /** Size of the bucket space the ranges live in (10,000); null with algorithm 'python'. */
  readonly bucketCount: number | null;
}

/** A member of a MultiTrackSet: the set and its part of the multi set's split. */
export interface MemberDescription {
  /** The member's `static weight`. */
  readonly weight: number;
  /** `weight / sum of the members' weights`: the chance a user eligible for every member gets this one. */
  readonly share: number;
  /** The member's buckets in the multi set's own hash (nothing is uncovered there: `coveredEnd = end`); null with 'python'. */
  readonly buckets: BucketRange | null;
  /**
   * The fraction of the multi set's logged users expected in this member when every user is eligible for
   * every member: its share of the multi set's buckets times the fraction of its own buckets that is
   * covered, normalised over the members that log exposures (0 for a disabled or pinned member).
   */
  readonly expectedShare: number;
  readonly set: SetDescription;
}

/** A MultiTrackSet, described. */
export interface MultiDescription {
  readonly kind: 'multi';
  readonly name: string;
  readonly masked: string;
  readonly algorithm: Algorithm;
  readonly members: readonly MemberDescription[];
  readonly bucketCount: number | null;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function describeCompiledSet(set: CompiledSet): SetDescription {
  const python = set.algorithm === 'python';
  const weights = python ? set.variants.map(() => 1) : variantWeights(set.cls, set.name, set.variants);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const covered = set.variants.reduce((sum, _v, i) => sum + (set.ends[i]! - set.bounds[i]!), 0);
  const variants = set.variants.map((v, i): VariantDescription => {
    const share = weights[i]! / total;
    const width = set.ends[i]! - set.bounds[i]!;
    return {
      name: v.name,
      masked: v.masked,
      index: v.index,
      weight: weights[i]!,
      share,
      buckets: python ? null : { start: set.bounds[i]!, coveredEnd: set.ends[i]!, end: set.bounds[i + 1]! },
      // With coverage 0 nobody is logged; the configured share is then the best statement of intent.
      expectedShare: python ? 1 / set.variants.length : covered > 0 ? width / covered : share,
      isControl: v === set.baseline,
    };
  });
  return {
    kind: set.cls.prototype instanceof ParamTrackSet ? 'param' : 'simple',
    name: set.name,
    masked: set.masked,
    algorithm: set.algorithm,
    weight: set.weight,
    addControlTrack: set.cls.addControlTrack,
    control: set.baseline?.name ?? null,
    variants,
    coverage: set.cls.coverage,
    disabled: set.disabled,
    pinned: set.pinned ? set.pinned.name : null,
    bucketCount: python ? null : BUCKETS,
  };
}

function describeCompiledMulti(multi: CompiledMulti): MultiDescription {
  const python = multi.algorithm === 'python';
  const total = multi.members.reduce((sum, m) => sum + m.weight, 0);
  // The same boundaries as chooseMember when every member is eligible: round(10000 * cumulative / total).
  let cumulative = 0;
  const ranges = multi.members.map((m, i) => {
    const start = Math.round((BUCKETS * cumulative) / total);
    cumulative += m.weight;
    const end = i === multi.members.length - 1 ? BUCKETS : Math.round((BUCKETS * cumulative) / total);
    return { start, coveredEnd: end, end };
  });
  const sets = multi.members.map(describeCompiledSet);
  const logged = multi.members.map((m, i) => {
    if (m.disabled || m.pinned) return 0;
    const chosen = python ? m.weight / total : (ranges[i]!.end - ranges[i]!.start) / BUCKETS;
    const coveredFraction = python ? 1 : m.variants.reduce((sum, _v, j) => sum + (m.ends[j]! - m.bounds[j]!), 0) / BUCKETS;
    return chosen * coveredFraction;
  });
  const loggedTotal = logged.reduce((sum, x) => sum + x, 0);
  const members = multi.members.map((m, i): MemberDescription => ({
    weight: m.weight,
    share: m.weight / total,
    buckets: python ? null : ranges[i]!,
    expectedShare: loggedTotal > 0 ? logged[i]! / loggedTotal : 0,
    set: sets[i]!,
  }));
  return { kind: 'multi', name: multi.name, masked: multi.masked, algorithm: multi.algorithm, members, bucketCount: python ? null : BUCKETS };
}

/**
 * Describes a set as plain data: what analysis, tools and the QA page read instead of the engine's
 * private tables. The result is deeply frozen and survives `JSON.stringify` unchanged.
 *
 * For a SimpleTrackSet or ParamTrackSet: name, masked name, kind, the variants in order with their
 * configured weights (1 each by default), normalised shares, bucket ranges and the share of logged
 * users each should get, coverage, disabled and pinned state, algorithm, and which variant is control.
 * For a MultiTrackSet: its name and algorithm, and each member described, with its weight and shares.
 * Throws a `TracksError` for a set that is not valid, as `assign` would.
 * @example
 * describeSet(CheckoutTracks).variants.map((v) => [v.name, v.share]) // [['control', 0.8], ['oneClick', 0.2]]
 */
export function describeSet(set: TrackSetClass): SetDescription;
export function describeSet(set: MultiTrackSetClass): MultiDescription;
export function describeSet(set: AnySetClass): SetDescription | MultiDescription;
export function describeSet(set: AnySetClass): SetDescription | MultiDescription {
  const compiled = compile(set);
  return deepFreeze(compiled.kind === 'multi' ? describeCompiledMulti(compiled) : describeCompiledSet(compiled));
}
