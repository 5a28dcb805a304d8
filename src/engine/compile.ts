// Validates a set class once and turns it into the frozen tables the assignment functions read.
import { boundsFor, coveredEnds } from './buckets.js';
import { setError, show, TracksError } from './errors.js';
import { hashPrefix, murmur3, type HashPrefix } from './hash.js';
import { md5Masked } from './md5.js';
import { hasOwnSetName, labelOf, setNameOf, warnNoSetName } from './set-name.js';
import { checkStatics } from './strict-statics.js';
import { checkWeight, paramVariants, simpleVariants, variantWeights } from './variants.js';
import {
  MultiTrackSet,
  ParamTrackSet,
  SimpleTrackSet,
  TrackSet,
  type AnySetClass,
  type Algorithm,
  type MultiTrackSetClass,
  type TrackSetClass,
} from './track-set.js';

/** One variant of a compiled set. `run` is null for control, which does nothing. */
export interface CompiledVariant {
  readonly name: string;
  readonly masked: string;
  /** Position in the set's variant list; -1 for the implicit control of a set without one. */
  readonly index: number;
  readonly run: ((...args: unknown[]) => unknown) | null;
}

/** A SimpleTrackSet or ParamTrackSet, validated. */
export interface CompiledSet {
  readonly kind: 'set';
  readonly cls: TrackSetClass;
  readonly name: string;
  readonly masked: string;
  readonly algorithm: Algorithm;
  readonly weight: number;
  readonly variants: readonly CompiledVariant[];
  /** The variant ineligible users get: the set's own control, or an implicit one. */
  readonly control: CompiledVariant;
  readonly byName: ReadonlyMap<string, CompiledVariant>;
  readonly byMasked: ReadonlyMap<string, CompiledVariant>;
  /** MurmurHash3 state after `name + ':'`. */
  readonly prefix: HashPrefix;
  readonly bounds: Int32Array;
  readonly ends: Int32Array;
  readonly disabled: boolean;
  readonly pinned: CompiledVariant | null;
  /** Per variant, whether a run-time control paused it (new users never get it); null when none is. */
  readonly paused: readonly boolean[] | null;
  /**
   * The variant reports compare the others with: the automatic control, or the one named by
   * `static controlVariant` (a ParamTrackSet's delta 0); null when the set has neither.
   */
  readonly baseline: CompiledVariant | null;
  /** False when the class keeps the default `isEligible`, so no instance is ever built. */
  readonly checksEligibility: boolean;
  /** Whether a logged-in user may keep the variant they had anonymously (`static continuity`). */
  readonly continuity: boolean;
}

/** A MultiTrackSet, validated. */
export interface CompiledMulti {
  readonly kind: 'multi';
  readonly cls: MultiTrackSetClass;
  readonly name: string;
  readonly masked: string;
  readonly algorithm: Algorithm;
  readonly members: readonly CompiledSet[];
  readonly prefix: HashPrefix;
  /** Whether a logged-in user may keep the member set chosen anonymously (`static continuity`). */
  readonly continuity: boolean;
}

/** A compiled set of either kind: what registries, cookies and the request layer handle alike. */
export type CompiledTrackSet = CompiledSet | CompiledMulti;

let defaultAlgorithm: Algorithm = 'v1';
let anyCompiled = false;
const cache = new WeakMap<object, CompiledTrackSet>();
let lastClass: object | null = null;
let lastCompiled: CompiledTrackSet | null = null;

/**
 * Makes every set without its own `static algorithm` use `algorithm`. Call it once at start-up,
 * before any set is used: afterwards it throws, since it would silently move users.
 */
export function setDefaultAlgorithm(algorithm: Algorithm): void {
  if (algorithm !== 'v1' && algorithm !== 'python') {
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option algorithm is invalid: ${show(algorithm)} (use 'v1' or 'python')`);
  }
  if (anyCompiled && algorithm !== defaultAlgorithm) {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      'option algorithm cannot change after a set was used: call setDefaultAlgorithm() at start-up, before any assignment',
    );
  }
  defaultAlgorithm = algorithm;
}

/** Masked name: 7 hex digits that hide a name ("cheap") from clients. md5 in python mode, as 0.1.x. */
export function maskName(name: string, algorithm: Algorithm): string {
  return algorithm === 'python' ? md5Masked(name) : murmur3(name).toString(16).padStart(8, '0').slice(0, 7);
}

function isSubclass(cls: unknown, base: abstract new (...args: never) => unknown): boolean {
  return typeof cls === 'function' && cls.prototype instanceof base;
}

/** Compiles (once per class) and returns the tables for a set or a multi set. */
export function compile(cls: AnySetClass): CompiledTrackSet {
  // Most calls in a row are for the same set: one comparison before the WeakMap lookup.
  if (cls === lastClass && lastCompiled) return lastCompiled;
  const hit = cache.get(cls);
  if (hit) {
    lastClass = cls;
    lastCompiled = hit;
    return hit;
  }
  let compiled: CompiledTrackSet;
  if (isSubclass(cls, MultiTrackSet)) compiled = compileMulti(cls as MultiTrackSetClass);
  else if (isSubclass(cls, TrackSet)) compiled = compileSet(cls as TrackSetClass);
  else {
    throw new TracksError('ERR_TRACKS_INVALID_SET', `${show(cls)} is not a track set: extend SimpleTrackSet, ParamTrackSet or MultiTrackSet`);
  }
  anyCompiled = true;
  cache.set(cls, compiled);
  return compiled;
}

/** Compiles a set that must not be a MultiTrackSet. */
export function compileTrackSet(cls: TrackSetClass): CompiledSet {
  const compiled = compile(cls);
  if (compiled.kind !== 'set') throw setError(compiled.name, 'a MultiTrackSet cannot be used here');
  return compiled;
}

function algorithmOf(name: string, algorithm: unknown): Algorithm {
  const value = algorithm ?? defaultAlgorithm;
  if (value !== 'v1' && value !== 'python') throw setError(name, `option algorithm is invalid: ${show(value)} (use 'v1' or 'python')`);
  return value;
}

function compileSet(cls: TrackSetClass): CompiledSet {
  const isParam = isSubclass(cls, ParamTrackSet);
  if (!isParam && !isSubclass(cls, SimpleTrackSet)) {
    throw setError(labelOf(cls), 'extend SimpleTrackSet or ParamTrackSet, not TrackSet itself');
  }
  checkStatics(cls, isParam ? 'param' : 'simple', labelOf(cls));
  const name = setNameOf(cls);
  const algorithm = algorithmOf(name, cls.algorithm);
  const raw = isParam ? paramVariants(cls, name) : simpleVariants(cls);
  if (!isParam) {
    const key = algorithm === 'python' ? 'pythonSortKey' : 'name';
    raw.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
  }
  if (cls.addControlTrack !== true && cls.addControlTrack !== false) {
    throw setError(name, `option addControlTrack is invalid: ${show(cls.addControlTrack)}`);
  }
  if (raw.length === 0 && cls.addControlTrack) {
    // Control alone is no test: every user would be logged as exposed to doing nothing.
    const missing = isParam ? 'option params is empty' : 'no static method is named <variant>Track or <variant>_track';
    throw setError(name, `it has no variants besides the automatic control: ${missing}`);
  }
  if (cls.addControlTrack) raw.unshift({ name: 'control', source: 'option addControlTrack', pythonSortKey: '', run: null });
  if (raw.length === 0) {
    throw setError(
      name,
      isParam
        ? 'it has no variants: option params is empty and option addControlTrack is false'
        : 'it has no variants: option addControlTrack is false and no static method is named <variant>Track',
    );
  }

  const variants: CompiledVariant[] = [];
  const byName = new Map<string, CompiledVariant>();
  const byMasked = new Map<string, CompiledVariant>();
  const sources = new Map<string, string>();
  for (const [index, v] of raw.entries()) {
    if (v.name === '') throw setError(name, `${v.source} gives an empty variant name`);
    const previous = sources.get(v.name);
    if (previous !== undefined) throw setError(name, `variant name "${v.name}" is used twice: by ${previous} and by ${v.source}`);
    sources.set(v.name, v.source);
    const variant: CompiledVariant = Object.freeze({ name: v.name, masked: maskName(v.name, algorithm), index, run: v.run });
    const clash = byMasked.get(variant.masked);
    if (clash) throw setError(name, `variants "${clash.name}" and "${v.name}" have the same masked name ${variant.masked}: rename one`);
    variants.push(variant);
    byName.set(variant.name, variant);
    byMasked.set(variant.masked, variant);
  }
  if (!cls.addControlTrack && byName.has('control')) {
    // Ineligible users get control and must run nothing; a variant of that name would run its body.
    throw setError(
      name,
      `variant name "control" is reserved for the automatic control: rename ${sources.get('control')}'s variant or set option addControlTrack`,
    );
  }
  const control = byName.get('control') ?? Object.freeze({ name: 'control', masked: maskName('control', algorithm), index: -1, run: null });

  checkWeight(name, cls.weight);
  const weights = variantWeights(cls, name, variants);
  const coverage = cls.coverage;
  if (typeof coverage !== 'number' || !(coverage >= 0 && coverage <= 1)) {
    throw setError(name, `option coverage is invalid: ${show(coverage)} (expected a number from 0 to 1)`);
  }
  if (algorithm === 'python' && (cls.weights !== undefined || coverage !== 1)) {
    throw setError(name, "options weights and coverage are not available with algorithm 'python' (tracks 0.1.x split equally)");
  }
  if (typeof cls.disabled !== 'boolean') throw setError(name, `option disabled is invalid: ${show(cls.disabled)}`);
  if (typeof cls.continuity !== 'boolean') throw setError(name, `option continuity is invalid: ${show(cls.continuity)} (expected true or false)`);
  let pinned: CompiledVariant | null = null;
  if (cls.pinned !== undefined) {
    pinned = byName.get(cls.pinned) ?? null;
    if (!pinned) throw setError(name, `option pinned is invalid: ${show(cls.pinned)} (variants: ${[...byName.keys()].join(', ')})`);
  }
  const bounds = boundsFor(weights);
  const baseline = baselineOf(cls, name, byName);
  if (!hasOwnSetName(cls)) warnNoSetName(cls);
  return Object.freeze({
    kind: 'set',
    cls,
    name,
    masked: maskName(name, algorithm),
    algorithm,
    weight: cls.weight,
    variants,
    control,
    byName,
    byMasked,
    prefix: hashPrefix(name + ':'),
    bounds,
    ends: coveredEnds(bounds, coverage),
    disabled: cls.disabled,
    pinned,
    paused: null,
    baseline,
    checksEligibility: (cls.prototype as TrackSet).isEligible !== TrackSet.prototype.isEligible,
    continuity: cls.continuity,
  });
}

/** The variant named by `static controlVariant`, else the automatic control, else null. */
function baselineOf(cls: TrackSetClass, name: string, byName: ReadonlyMap<string, CompiledVariant>): CompiledVariant | null {
  const named = cls.controlVariant;
  if (named === undefined) return cls.addControlTrack ? byName.get('control')! : null;
  if (cls.addControlTrack) {
    throw setError(
      name,
      `option controlVariant is invalid: ${show(named)} (the set adds its own control: set addControlTrack = false to name another)`,
    );
  }
  const variant = typeof named === 'string' ? byName.get(named) : undefined;
  if (variant === undefined) throw setError(name, `option controlVariant is invalid: ${show(named)} (variants: ${[...byName.keys()].join(', ')})`);
  return variant;
}

function compileMulti(cls: MultiTrackSetClass): CompiledMulti {
  const list = cls.trackSets;
  const label = hasOwnSetName(cls) && cls.setName ? cls.setName : cls.name || 'MultiTrackSet';
  checkStatics(cls, 'multi', label);
  if (!Array.isArray(list) || list.length === 0) {
    throw setError(label, 'option trackSets is invalid: list at least one track set');
  }
  const members = list.map((member: unknown) => {
    if (isSubclass(member, MultiTrackSet)) throw setError(label, 'a MultiTrackSet cannot contain another MultiTrackSet');
    return compileTrackSet(member as TrackSetClass);
  });
  const names = new Set<string>();
  for (const m of members) {
    if (names.has(m.name)) throw setError(label, `option trackSets lists set "${m.name}" twice`);
    names.add(m.name);
  }
  // Without a setName, a multi set is named by its members' names, which no minifier changes: no warning.
  const name = hasOwnSetName(cls) ? setNameOf(cls) : members.map((m) => m.name).join('/');
  const algorithm = algorithmOf(name, cls.algorithm);
  if (algorithm === 'python') {
    for (const m of members) {
      if (!Number.isInteger(m.weight)) throw setError(m.name, `option weight is invalid: ${m.weight} (algorithm 'python' needs whole numbers)`);
    }
  }
  if (typeof cls.continuity !== 'boolean') throw setError(label, `option continuity is invalid: ${show(cls.continuity)} (expected true or false)`);
  const continuity = cls.continuity;
  return Object.freeze({
    kind: 'multi',
    cls,
    name,
    masked: maskName(name, algorithm),
    algorithm,
    members,
    prefix: hashPrefix(name + ':'),
    continuity,
  });
}
