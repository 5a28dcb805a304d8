// The coconut store's experiments, as in the Python `tracks` README: a slower catalog page, other prices, VIPs kept out.
import { MultiTrackSet, ParamTrackSet, SimpleTrackSet } from 'tracks-ab';
import { priceCatalog, type Coconut, type PricedCoconut } from './catalog.js';
import type { Visitor } from './visitor.js';

/** What the middleware's `context` option builds for every request, and `isEligible` reads. */
export interface StoreContext {
  readonly user: Visitor;
}

/** How long the `short` variant makes the catalog wait, before scaling. */
export const SHORT_DELAY_MS = 500;
/** How long the `long` variant makes the catalog wait, before scaling. */
export const LONG_DELAY_MS = 2000;

/**
 * The factor every delay is multiplied by: `COCONUT_DELAY_SCALE` (default 1), so tests and the
 * simulation need not wait seconds. 0 turns the delays off.
 * @throws when the variable is set to something other than a number ≥ 0
 */
export function delayScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.COCONUT_DELAY_SCALE;
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`COCONUT_DELAY_SCALE is invalid: ${JSON.stringify(raw)} (expected a number >= 0)`);
  return scale;
}

/** Waits `ms` milliseconds and resolves to how long it meant to wait. */
function pause(ms: number): Promise<number> {
  return ms <= 0 ? Promise.resolve(0) : new Promise((resolve) => setTimeout(() => resolve(ms), ms));
}

/** Only regular customers take part: a VIP always gets the normal page and prices. */
function isRegularCustomer(context: StoreContext): boolean {
  return !context.user.isVip;
}

/**
 * Does a slower catalog page sell fewer coconuts? `control` (no wait), `short` (0.5 s), `long`
 * (2 s). Its weight of 1000 makes it ten times as likely as the pricing test inside {@link Experiments}.
 * Each variant resolves to the milliseconds it waited, so the page can say so.
 */
export class DelayTracks extends SimpleTrackSet<StoreContext> {
  static override setName = 'delay';
  static override weight = 1000;

  /** Waits half a second (times `scale`). */
  static shortTrack(scale: number = delayScaleFromEnv()): Promise<number> {
    return pause(SHORT_DELAY_MS * scale);
  }

  /** Waits two seconds (times `scale`). */
  static longTrack(scale: number = delayScaleFromEnv()): Promise<number> {
    return pause(LONG_DELAY_MS * scale);
  }

  override isEligible(): boolean {
    return isRegularCustomer(this.context);
  }
}

/** The price changes the pricing test tries, in dollars: −5 to +5. */
export const PRICE_DELTAS: readonly number[] = Object.freeze([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);

/** The pricing variant that moves every price by `delta`: `price_adjusted_by_-2`. */
export function pricingVariant(delta: number): string {
  return `price_adjusted_by_${delta}`;
}

/** The pricing variant that changes nothing: the baseline the others are compared with. */
export const PRICING_CONTROL = pricingVariant(0);

/**
 * Do other prices sell more coconuts? One variant per delta in {@link PRICE_DELTAS}; no automatic
 * control, since `price_adjusted_by_0` is one. Running a variant prices the catalog it is given.
 */
export class PricingTracks extends ParamTrackSet<{ priceDelta: number }, StoreContext> {
  static override setName = 'pricing';
  static override params = PRICE_DELTAS.map((priceDelta) => ({ priceDelta }));
  static override addControlTrack = false;
  static override trackName = (p: { priceDelta: number }): string => pricingVariant(p.priceDelta);
  static override track = (p: { priceDelta: number }, coconuts: readonly Coconut[]): PricedCoconut[] => priceCatalog(coconuts, p.priceDelta);

  override isEligible(): boolean {
    return isRegularCustomer(this.context);
  }
}

/**
 * Both tests at once, in mutual exclusion: each customer is in the delay test or in the pricing
 * test, never both (delay ten times as often, by weight 1000 against 100). Its name is the
 * members' names joined by '/', `delay/pricing`, as tracks 0.1.x named it.
 */
export class Experiments extends MultiTrackSet {
  static override trackSets = [DelayTracks, PricingTracks];
}

/** The store's metrics, beside the sets: the `metrics` export `tracks-ab report --sets` reads (see metrics.ts). */
export { METRICS as metrics } from './metrics.js';
