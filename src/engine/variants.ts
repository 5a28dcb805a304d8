// Finds a set's variants (static Track methods, or params) and its per-variant weights.
import { setError, show } from './errors.js';
import { SimpleTrackSet, type TrackSetClass } from './track-set.js';

/** A variant as found on the class, before validation. */
export interface RawVariant {
  name: string;
  /** What gave the variant its name, for error messages: `static method fooTrack`, `option trackName`… */
  source: string;
  pythonSortKey: string;
  run: ((...args: unknown[]) => unknown) | null;
}

/** The suffix that makes a static method a variant (`Track` or `_track`), or null. */
export function trackSuffix(prop: string): 'Track' | '_track' | null {
  return prop.endsWith('_track') ? '_track' : prop.endsWith('Track') ? 'Track' : null;
}

/** The static methods named `<variant>Track` or `<variant>_track`, up the class chain. */
export function simpleVariants(cls: TrackSetClass): RawVariant[] {
  const found: RawVariant[] = [];
  const seen = new Set<string>();
  // Static methods are inherited along the constructor chain: walk it up to SimpleTrackSet.
  for (let c: object | null = cls; c && c !== SimpleTrackSet; c = Object.getPrototypeOf(c) as object | null) {
    for (const prop of Object.getOwnPropertyNames(c)) {
      if (seen.has(prop)) continue;
      seen.add(prop);
      const suffix = trackSuffix(prop);
      const value = (c as unknown as Record<string, unknown>)[prop];
      if (!suffix || typeof value !== 'function') continue;
      const name = prop.slice(0, -suffix.length);
      // tracks 0.1.x sorted variants by Python method name, `<variant>_track`.
      found.push({ name, source: `static method ${prop}`, pythonSortKey: name + '_track', run: value.bind(cls) as (...args: unknown[]) => unknown });
    }
  }
  return found;
}

/** One variant per entry of `params`, named by `trackName`, running `track(params, ...args)`. */
export function paramVariants(cls: TrackSetClass, setName: string): RawVariant[] {
  const statics = cls as unknown as {
    params: unknown;
    trackName?: unknown;
    track?: unknown;
  };
  if (!Array.isArray(statics.params)) throw setError(setName, `option params is invalid: ${show(statics.params)} (expected an array)`);
  if (typeof statics.trackName !== 'function')
    throw setError(setName, 'option trackName is missing: define static trackName(params) returning the variant name');
  if (typeof statics.track !== 'function')
    throw setError(setName, 'option track is missing: define static track(params, ...args), the body of every variant');
  const trackName = statics.trackName as (p: unknown) => unknown;
  const track = statics.track as (...args: unknown[]) => unknown;
  return statics.params.map((params: unknown) => {
    const name = trackName.call(cls, params);
    if (typeof name !== 'string') throw setError(setName, `trackName(${show(params)}) is invalid: ${show(name)} (expected a string)`);
    return {
      name,
      source: `option trackName (for params ${show(params)})`,
      pythonSortKey: name,
      run: (...args: unknown[]) => track.call(cls, params, ...args),
    };
  });
}

/** Throws unless `weight` is a positive finite number. */
export function checkWeight(name: string, weight: unknown): void {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw setError(name, `option weight is invalid: ${show(weight)} (expected a positive finite number)`);
  }
}

/** The weight of each variant, in order: equal by default, else every variant listed in `weights`. */
export function variantWeights(cls: TrackSetClass, name: string, variants: readonly { name: string }[]): number[] {
  const given = cls.weights;
  if (given === undefined) return variants.map(() => 1);
  if (typeof given !== 'object' || given === null) throw setError(name, `option weights is invalid: ${show(given)}`);
  for (const variant of Object.keys(given)) {
    if (!variants.some((v) => v.name === variant)) {
      throw setError(name, `option weights names an unknown variant "${variant}" (variants: ${variants.map((v) => v.name).join(', ')})`);
    }
  }
  return variants.map((v) => {
    const w = Object.prototype.hasOwnProperty.call(given, v.name) ? given[v.name] : undefined;
    if (w === undefined) throw setError(name, `option weights is missing variant "${v.name}"`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
      throw setError(name, `option weights.${v.name} is invalid: ${show(w)} (expected a positive finite number)`);
    }
    return w;
  });
}
