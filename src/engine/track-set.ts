// The classes users extend to declare track sets, and the types derived from them.

/** How a set maps keys to variants: `v1` is MurmurHash3 + buckets; `python` is tracks 0.1.x's md5. */
export type Algorithm = 'v1' | 'python';

/**
 * Why a user got the variant they got. `unidentified`: a `peek` for a visitor with no identity yet
 * (no key, no anonymous id): control, not an exposure, since `get` would hash an id not made yet.
 */
export type Reason =
  'hash' | 'random' | 'sticky' | 'forced' | 'ineligible' | 'coverage' | 'disabled' | 'pinned' | 'bot' | 'excluded' | 'error' | 'unidentified';

/** A variant's body: whatever the user's static method takes and returns. */
// A `never` rest parameter accepts every function type without resorting to `any`.
export type TrackFunction = (...args: never) => unknown;

/**
 * The base of every track set. Statics configure the set; an instance exists only to evaluate
 * `isEligible()` over `this.context`, and only when a set overrides `isEligible`.
 *
 * Set classes are strict: when a set is first registered (`tracks([...])`, `assign`), every own
 * static of it and of its classes up to the library's is checked. The statics declared here (and
 * those of `ParamTrackSet` or `MultiTrackSet`) are options; a SimpleTrackSet's methods ending in
 * `Track` or `_track` are variants; anything else throws a `TracksError`, with a did-you-mean when
 * a name is near. Helpers: a static whose name starts with `_` is never checked, and a static
 * method is a helper unless it looks like a misspelt variant (`shortTrak`), option or
 * `isEligible`. A set without its own `setName` warns once (`TRACKS_AB_NO_SET_NAME`).
 */
export abstract class TrackSet<Context = unknown> {
  /** Stable name: salts the hash, names the set in logs and cookies. Defaults to the class name. */
  static setName?: string;
  /** Relative weight inside a MultiTrackSet (default 100). */
  static weight = 100;
  /** Whether a do-nothing `control` variant comes first (default true). */
  static addControlTrack = true;
  /** Per-variant weights by variant name; every variant must be listed. Default: equal split. */
  static weights?: Readonly<Record<string, number>>;
  /** Fraction of eligible users who are put in the test (0 to 1, default 1); the rest get control. */
  static coverage = 1;
  /** Kill switch: everyone gets control and nothing is logged. */
  static disabled = false;
  /** Roll out a winner: everyone gets this variant and nothing is logged. */
  static pinned?: string;
  /**
   * The variant reports compare the others with, in a set without the automatic control
   * (`addControlTrack = false`): a ParamTrackSet's `price_adjusted_by_0`. Ineligible users still
   * get the implicit control, which runs nothing.
   */
  static controlVariant?: string;
  /** Assignment algorithm; undefined means the global default (see `setDefaultAlgorithm`). */
  static algorithm?: Algorithm;
  /**
   * Continuity (default true): a visitor who logs in keeps the variant they had anonymously, for
   * the first account their anonymous id is carried into. Set it to false for tests where a user
   * must not choose (prices): otherwise a visitor can re-roll anonymously until the variant they
   * want, then log in. Logged-in users are then assigned by their own key only.
   */
  static continuity = true;

  /** Whatever the caller passed as `context` (the user, the request's data…). */
  readonly context: Context;

  constructor(context: Context) {
    this.context = context;
  }

  /** Override to keep users out of the test: ineligible users always get control behaviour. */
  isEligible(): boolean {
    return true;
  }
}

/**
 * A set whose variants are its static methods named `<variant>Track` or `<variant>_track`. It
 * needs at least one besides the automatic control; a method whose name nearly ends in `Track`
 * (`shortTrak`, `longTracks`, `shorttrack`) is refused, naming the method it should be.
 * @example
 * class DelayTracks extends SimpleTrackSet {
 *   static setName = 'delay'
 *   static shortTrack() { return sleep(500) }
 *   static longTrack() { return sleep(2000) }
 * }
 */
export abstract class SimpleTrackSet<Context = unknown> extends TrackSet<Context> {}

/**
 * A set whose variants are generated from `params`: one variant per entry, named by
 * `trackName(params)`, whose body is `track(params, ...args)`.
 * @example
 * class PricingTracks extends ParamTrackSet<{ priceDelta: number }> {
 *   static params = [-1, 0, 1].map((priceDelta) => ({ priceDelta }))
 *   static addControlTrack = false
 *   static trackName = (p: { priceDelta: number }) => `price_adjusted_by_${p.priceDelta}`
 *   static track(p: { priceDelta: number }, coconuts: Coconut[]) { … }
 * }
 */
// `Params` documents what `params` holds; statics cannot use a class's type parameters, so
// `trackName` and `track` annotate their own parameter types.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- Params types the subclass for its readers; statics cannot use it
export abstract class ParamTrackSet<Params = unknown, Context = unknown> extends TrackSet<Context> {
  /** One entry per variant. */
  static params: readonly unknown[] = [];
  /** The variant name for one entry of `params`. */
  static trackName?: (params: never) => string;
  /** The body of every variant: receives the variant's params, then the caller's arguments. */
  static track?: (params: never, ...args: never[]) => unknown;
}

/**
 * Puts several sets in mutual exclusion: each user is in at most one of them, picked by the sets'
 * weights among those the user is eligible for.
 * @example
 * class Experiments extends MultiTrackSet { static trackSets = [DelayTracks, PricingTracks] }
 */
export abstract class MultiTrackSet {
  /** The sets in mutual exclusion, in declared order. */
  static trackSets: readonly TrackSetClass[] = [];
  /** Stable name; defaults to the member set names joined by '/', as tracks 0.1.x did. */
  static setName?: string;
  /** Assignment algorithm for choosing the set; undefined means the global default. */
  static algorithm?: Algorithm;
  /** Continuity of the choice of set (default true): see `TrackSet.continuity`; each member keeps its own. */
  static continuity = true;
}

/** The static configuration every track set class carries. */
export interface TrackSetStatics {
  setName?: string;
  weight: number;
  addControlTrack: boolean;
  weights?: Readonly<Record<string, number>>;
  coverage: number;
  disabled: boolean;
  pinned?: string;
  controlVariant?: string;
  algorithm?: Algorithm;
  continuity: boolean;
}

/** Any class that extends SimpleTrackSet or ParamTrackSet. */
export type TrackSetClass = (abstract new (context: never) => TrackSet<unknown>) & TrackSetStatics;

/** Any class that extends MultiTrackSet. */
export type MultiTrackSetClass = typeof MultiTrackSet;

/** Anything that `assign` and `req.tracks.get` accept. */
export type AnySetClass = TrackSetClass | MultiTrackSetClass;

type TrackMethodKey<S> = {
  [K in keyof S]-?: K extends `${string}Track` | `${string}_track` ? (S[K] extends TrackFunction ? K : never) : never;
}[keyof S];

type StripSuffix<K> = K extends `${infer N}_track` ? N : K extends `${infer N}Track` ? N : never;

/** The variant names of a set as string literals where the compiler can know them. */
export type VariantOf<S> = S extends { params: readonly unknown[] } ? string : StripSuffix<TrackMethodKey<S>> | 'control';

/** The function type of a set's variants (what `run` forwards its arguments to). */
export type TrackOf<S> = S extends { params: readonly unknown[] }
  ? S extends { track?: (params: never, ...args: infer A) => infer R }
    ? (...args: A) => R
    : TrackFunction
  : S[TrackMethodKey<S>] extends infer F
    ? F extends TrackFunction
      ? F
      : never
    : never;

/** The `context` type a set's `isEligible` reads. */
export type ContextOf<S> = S extends abstract new (context: infer C) => unknown ? C : unknown;
