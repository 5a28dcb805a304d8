// Builds track set classes from plain descriptions, for the table tests that fixtures drive.
import { MultiTrackSet, ParamTrackSet, SimpleTrackSet, type Algorithm, type MultiTrackSetClass, type TrackSetClass } from '../../src/index.js';

/** A set described as data: what a fixture or a statistics test needs to build one. */
export interface SetSpec {
  readonly name: string;
  /** `simple` (one static method per variant, the default) or `param` (one params entry per variant). */
  readonly kind?: 'simple' | 'param';
  /** Declared variant names (before control is added and before sorting). */
  readonly variants: readonly string[];
  /** Method-name suffix of a simple set's variants (default `Track`). */
  readonly suffix?: 'Track' | '_track';
  readonly addControlTrack?: boolean;
  readonly weight?: number;
  readonly weights?: Readonly<Record<string, number>> | null;
  readonly coverage?: number;
  readonly algorithm?: Algorithm;
  /** When given, the set overrides `isEligible` with this answer. */
  readonly eligible?: boolean;
}

/** A key as fixtures write it: any JSON value, or `{ bigint: '…' }` for an integer beyond 2^53. */
export type FixtureKey = string | number | boolean | null | FixtureKey[] | { [name: string]: FixtureKey };

/** The key a fixture means: `{ bigint: '18446744073709551616' }` becomes a BigInt. */
export function keyOf(key: FixtureKey): unknown {
  if (key !== null && typeof key === 'object' && !Array.isArray(key) && typeof key.bigint === 'string' && Object.keys(key).length === 1) {
    return BigInt(key.bigint);
  }
  return key;
}

/** Defines own statics on a class, as `static override x = …` in a class body would. */
function define(cls: object, statics: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(statics)) {
    if (value !== undefined) Object.defineProperty(cls, name, { value, writable: true, configurable: true });
  }
}

/** Builds a SimpleTrackSet or ParamTrackSet class whose variants return their own names when run. */
export function makeSet(spec: SetSpec): TrackSetClass {
  let cls: TrackSetClass;
  if (spec.kind === 'param') {
    cls = class extends ParamTrackSet<{ name: string }> {};
    define(cls, {
      params: spec.variants.map((name) => ({ name })),
      trackName: (p: { name: string }) => p.name,
      track: (p: { name: string }) => p.name,
    });
  } else {
    cls = class extends SimpleTrackSet {};
    const suffix = spec.suffix ?? 'Track';
    for (const variant of spec.variants) define(cls, { [variant + suffix]: () => variant });
  }
  define(cls, {
    setName: spec.name,
    addControlTrack: spec.addControlTrack,
    weight: spec.weight,
    weights: spec.weights ?? undefined,
    coverage: spec.coverage,
    algorithm: spec.algorithm,
  });
  if (spec.eligible !== undefined) {
    const answer = spec.eligible;
    Object.defineProperty(cls.prototype, 'isEligible', { value: () => answer, writable: true, configurable: true });
  }
  return cls;
}

/** Builds a MultiTrackSet over `members`; without `name` it keeps the default (names joined by '/'). */
export function makeMulti(members: readonly TrackSetClass[], options: { name?: string; algorithm?: Algorithm } = {}): MultiTrackSetClass {
  const cls = class extends MultiTrackSet {};
  define(cls, { trackSets: members, setName: options.name, algorithm: options.algorithm });
  return cls;
}
