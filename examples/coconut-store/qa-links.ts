// The QA override links of the coconut store: one per variant of each test, and one that clears them.
import { variantsOf, type TrackSetClass } from 'tracks-ab';
import { DelayTracks, PricingTracks } from './tracks.js';

/** The query parameter the middleware reads overrides from (its default). */
export const OVERRIDE_PARAM = 'tracks';

/** One link that forces a variant. */
export interface OverrideLink {
  readonly setName: string;
  readonly variant: string;
  /** Short text for the strip: `long`, `−5`, `+3`. */
  readonly label: string;
  readonly href: string;
}

/** The links of one test. */
export interface OverrideGroup {
  readonly setName: string;
  readonly links: readonly OverrideLink[];
}

/** The sets the strip offers, in the order it shows them. */
export const QA_SETS: readonly TrackSetClass[] = [DelayTracks, PricingTracks];

function shortLabel(variant: string): string {
  const delta = /^price_adjusted_by_(-?\d+)$/.exec(variant)?.[1];
  if (delta === undefined) return variant;
  const n = Number(delta);
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

function overrideHref(path: string, value: string): string {
  // ':' and ',' are legal in a query string; left as they are, the printed links stay readable.
  return `${path}?${OVERRIDE_PARAM}=${encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',')}`;
}

/**
 * Every variant of every QA set as a link to `path` that forces it: `/catalog?tracks=clear,delay:long`.
 *
 * Each link clears earlier forced variants first. The two sets are in one MultiTrackSet, so a
 * visitor can be forced into only one of them anyway, and without the `clear` a pricing link
 * followed after a delay link is ignored: the middleware (src/request/tracks.ts, `#resolveMulti`)
 * picks the first member with any forced variant, the one the cookie remembers included, before
 * one the query forces now.
 * @example overrideGroups('/catalog')[0].links.map((l) => l.label) // ['control', 'long', 'short']
 */
export function overrideGroups(path = '/catalog', sets: readonly TrackSetClass[] = QA_SETS): OverrideGroup[] {
  return sets.map((set) => {
    const setName = set.setName ?? set.name;
    const links = variantsOf(set).map((variant) => ({
      setName,
      variant,
      label: shortLabel(variant),
      href: overrideHref(path, `clear,${setName}:${variant}`),
    }));
    return { setName, links };
  });
}

/** The link that forgets every forced variant: `/catalog?tracks=clear`. */
export function clearOverridesHref(path = '/catalog'): string {
  return overrideHref(path, 'clear');
}
