// Strict set classes: every own static is an option of the set's kind, a variant, or a helper named so.
import { closestName } from './did-you-mean.js';
import { setError } from './errors.js';
import { MultiTrackSet, ParamTrackSet, SimpleTrackSet, TrackSet } from './track-set.js';
import { trackSuffix } from './variants.js';

/** The three kinds of set class a user extends. */
export type SetKind = 'simple' | 'param' | 'multi';

type StaticNames<C, Base = object> = Exclude<keyof C, keyof Base | 'prototype'>;

// Typed maps: the compiler fails here when a class gains an option that is not listed.
const SET_OPTIONS: { [K in StaticNames<typeof TrackSet>]-?: true } = {
  setName: true,
  weight: true,
  addControlTrack: true,
  weights: true,
  coverage: true,
  disabled: true,
  pinned: true,
  controlVariant: true,
  algorithm: true,
  continuity: true,
};
const PARAM_OPTIONS: { [K in StaticNames<typeof ParamTrackSet, typeof TrackSet>]-?: true } = { params: true, trackName: true, track: true };
const MULTI_OPTIONS: { [K in StaticNames<typeof MultiTrackSet>]-?: true } = { trackSets: true, setName: true, algorithm: true, continuity: true };

interface KindRules {
  readonly base: object;
  readonly label: string;
  /** Every static the kind reads. */
  readonly options: readonly string[];
  /** The options whose value is a function, which a misspelt method may have meant. */
  readonly functionOptions: readonly string[];
  /** What the kind's variants are, for messages. */
  readonly variants: string;
}

const KINDS: Readonly<Record<SetKind, KindRules>> = {
  simple: {
    base: SimpleTrackSet,
    label: 'SimpleTrackSet',
    options: Object.keys(SET_OPTIONS),
    functionOptions: [],
    variants: 'variants are static methods named <variant>Track or <variant>_track',
  },
  param: {
    base: ParamTrackSet,
    label: 'ParamTrackSet',
    options: [...Object.keys(SET_OPTIONS), ...Object.keys(PARAM_OPTIONS)],
    functionOptions: Object.keys(PARAM_OPTIONS).filter((name) => name !== 'params'),
    variants: "a ParamTrackSet's variants come from option params",
  },
  multi: {
    base: MultiTrackSet,
    label: 'MultiTrackSet',
    options: Object.keys(MULTI_OPTIONS),
    functionOptions: [],
    variants: "a MultiTrackSet's variants are those of its trackSets",
  },
};

/** Statics every function has, which are no options. */
const BUILT_IN = new Set(['length', 'name', 'prototype']);
const HELPER_HINT = "a helper's name starts with _";

/**
 * The variant name a static method most likely meant, when its name nearly ends in `Track` or
 * `_track` (`shortTrak`, `longTracks`, `short_trak`, `shortTRACK`, `shorttrack`), else null. The
 * last word of the name (after the last `_`, or from its last capital) is compared with `track`,
 * allowing one edit or a difference of case; a name with nothing before that word is no variant.
 */
export function nearVariantName(name: string): string | null {
  if (trackSuffix(name)) return null;
  if (name.length > 5 && name.toLowerCase().endsWith('track')) return `${name.slice(0, -5)}Track`;
  const underscore = name.lastIndexOf('_');
  if (underscore > 0 && closestName(name.slice(underscore + 1), ['track']) !== null) return `${name.slice(0, underscore)}_track`;
  for (let i = name.length - 1; i > 0; i--) {
    const c = name[i]!;
    const before = name[i - 1]!;
    if (c >= 'A' && c <= 'Z' && !(before >= 'A' && before <= 'Z') && before !== '_') {
      return closestName(name.slice(i), ['track']) === null ? null : `${name.slice(0, i)}Track`;
    }
  }
  return null;
}

/** Own property names of `start` and its prototypes, most derived first, up to `end` (excluded). */
function ownNamesUpTo(start: object, end: object): Array<[string, PropertyDescriptor]> {
  const found: Array<[string, PropertyDescriptor]> = [];
  const seen = new Set<string>();
  for (let o: object | null = start; o && o !== end; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (seen.has(name)) continue;
      seen.add(name);
      found.push([name, Object.getOwnPropertyDescriptor(o, name)!]);
    }
  }
  return found;
}

function otherKindsWith(name: string, kind: SetKind): string[] {
  return (Object.keys(KINDS) as SetKind[]).filter((k) => k !== kind && KINDS[k].options.includes(name)).map((k) => KINDS[k].label);
}

/** The mistake a non-function static is, or null when it is fine. */
function valueMistake(name: string, kind: SetKind): string | null {
  const rules = KINDS[kind];
  const meant = closestName(name, rules.options) ?? closestName(name, ['isEligible']);
  if (meant) return `option ${name} is unknown: did you mean ${meant}?`;
  const elsewhere = otherKindsWith(name, kind);
  if (elsewhere.length > 0) return `option ${name} is unknown on a ${rules.label}: it is an option of ${elsewhere.join(' and ')}`;
  if (kind === 'simple' && trackSuffix(name)) return `static ${name} is not a variant: ${rules.variants}`;
  return `option ${name} is unknown (options of a ${rules.label}: ${rules.options.join(', ')}; ${rules.variants}; ${HELPER_HINT})`;
}

/** The mistake a static method is, or null when it is a variant or a helper. */
function methodMistake(name: string, kind: SetKind): string | null {
  const rules = KINDS[kind];
  const option = closestName(name, rules.functionOptions);
  if (option) return `option ${name} is unknown: did you mean ${option}?`;
  const elsewhere = otherKindsWith(name, kind);
  if (elsewhere.length > 0) return `option ${name} is unknown on a ${rules.label}: it is an option of ${elsewhere.join(' and ')}`;
  if (kind === 'simple') {
    const meant = nearVariantName(name);
    if (meant) return `static method ${name} is not a variant: did you mean ${meant}? (${rules.variants}; ${HELPER_HINT})`;
  } else if (trackSuffix(name)) {
    return `static method ${name} is not a variant: ${rules.variants} (${HELPER_HINT})`;
  }
  if (kind !== 'multi' && (name === 'isEligible' || closestName(name, ['isEligible']))) {
    return `static method ${name} is never called: isEligible is an instance method (declare it without static)`;
  }
  return null;
}

/**
 * Throws a set error for the first own static of `cls` (and of its classes up to the library's
 * base class) that is not part of the set API of its kind, with a did-you-mean where one is near.
 * Allowed: the kind's options; for a SimpleTrackSet, methods ending in `Track` or `_track`
 * (variants); any static whose name starts with `_`; static methods that do not look like a
 * misspelt variant or option (`formatPrice`). Also refuses an instance method that misspells
 * `isEligible`, which would otherwise leave every user eligible.
 */
export function checkStatics(cls: object, kind: SetKind, label: string): void {
  const rules = KINDS[kind];
  for (const [name, descriptor] of ownNamesUpTo(cls, rules.base)) {
    if (BUILT_IN.has(name) || rules.options.includes(name)) continue;
    const isMethod = typeof descriptor.value === 'function';
    if (kind === 'simple' && isMethod && trackSuffix(name)) continue;
    if (name.startsWith('_')) continue;
    const mistake = isMethod ? methodMistake(name, kind) : valueMistake(name, kind);
    if (mistake) throw setError(label, mistake);
  }
  if (kind === 'multi') return;
  const prototype = (cls as { prototype: object }).prototype;
  for (const [name, descriptor] of ownNamesUpTo(prototype, TrackSet.prototype)) {
    if (typeof descriptor.value !== 'function' || name === 'constructor' || name === 'isEligible') continue;
    if (closestName(name, ['isEligible'])) throw setError(label, `method ${name} is not isEligible: did you mean isEligible?`);
  }
}
