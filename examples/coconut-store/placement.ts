// Turns a request's assignments into what the catalog shows: the visitor's prices and which test they are in.
import { COCONUTS, priceCatalog, type Coconut, type PricedCoconut } from './catalog.js';
import type { TestPlacement } from './catalog-page.js';

// Both helpers take the assignments structurally rather than as `AssignmentOf<…>`: any copy of the
// library's declarations fits (the repository type-checks src/ and the built dist/ side by side).

/** What {@link pricesFor} needs of `req.tracks.get(PricingTracks)` (or `peek`). */
export interface PricingAssignment {
  run(coconuts: readonly Coconut[]): PricedCoconut[] | undefined;
}

/** What {@link placementOf} needs of `req.tracks.get(Experiments)`. */
export interface ExperimentsAssignment {
  readonly track: { readonly setName: string; readonly name: string; readonly reason: string } | null;
  readonly reason: string;
}

/**
 * The catalog at the prices the visitor's pricing variant gives; base prices when the variant
 * does nothing (a VIP, or a visitor put in the delay test instead).
 */
export function pricesFor(pricing: PricingAssignment, coconuts: readonly Coconut[] = COCONUTS): PricedCoconut[] {
  return pricing.run(coconuts) ?? priceCatalog(coconuts, 0);
}

/** Which test the multi set put the visitor in, and why, for the page's small print. */
export function placementOf(experiments: ExperimentsAssignment): TestPlacement {
  const track = experiments.track;
  return track
    ? { setName: track.setName, variant: track.name, reason: track.reason }
    : { setName: null, variant: 'control', reason: experiments.reason };
}
