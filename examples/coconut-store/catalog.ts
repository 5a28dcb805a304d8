// The coconuts the store sells, their base prices, and how a price adjustment applies to them.

/** A coconut as the store lists it. */
export interface Coconut {
  /** Stable id, used in forms and in the `purchases` table. */
  readonly id: string;
  readonly name: string;
  /** A few words under the name. */
  readonly blurb: string;
  /** The price before any test adjusts it, in dollars. */
  readonly basePrice: number;
}

/** A coconut with the price one visitor is shown (and charged). */
export interface PricedCoconut extends Coconut {
  readonly price: number;
}

/**
 * The catalog. Every base price is above $5, so the pricing test's largest cut (−5) still
 * leaves a positive price.
 */
export const COCONUTS: readonly Coconut[] = Object.freeze([
  { id: 'green', name: 'Green drinking coconut', blurb: 'Young, full of water, ready for a straw.', basePrice: 9 },
  { id: 'brown', name: 'Brown husked coconut', blurb: 'The classic: thick flesh for grating.', basePrice: 7 },
  { id: 'king', name: 'King coconut', blurb: 'Orange shell, the sweetest water in Sri Lanka.', basePrice: 14 },
  { id: 'dwarf', name: 'Malayan dwarf coconut', blurb: 'Small palms, generous nuts.', basePrice: 12 },
  { id: 'macapuno', name: 'Macapuno coconut', blurb: 'A rare, jelly-soft mutant from the Philippines.', basePrice: 24 },
]);

/**
 * The catalog with every price moved by `delta` dollars (0 gives the base prices). Prices are
 * kept to whole cents so the page, the charge and the database agree exactly.
 * @example priceCatalog(COCONUTS, -2).find((c) => c.id === 'king')?.price // 12
 */
export function priceCatalog(coconuts: readonly Coconut[], delta: number): PricedCoconut[] {
  return coconuts.map((coconut) => ({ ...coconut, price: Math.round((coconut.basePrice + delta) * 100) / 100 }));
}

/** The coconut with this id in a priced list, or undefined (ids come from forms: any string). */
export function findCoconut<C extends Coconut>(coconuts: readonly C[], id: unknown): C | undefined {
  return typeof id === 'string' ? coconuts.find((coconut) => coconut.id === id) : undefined;
}

/** A price as the page shows it: `$12.00`. */
export function formatPrice(price: number): string {
  return `$${price.toFixed(2)}`;
}
