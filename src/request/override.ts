// Parses the QA override query parameter (`?tracks=delay:long,pricing:cheap`, or `clear`).
import type { CompiledSet, CompiledVariant } from '../engine/compile.js';
import type { Registry } from '../engine/registry.js';

/** What the query asked for: variants to force, and whether to forget earlier forced ones. */
export interface OverrideRequest {
  clear: boolean;
  forced: Map<CompiledSet, CompiledVariant>;
}

/** Longer values are ignored whole: no QA link needs that much, and parsing stays bounded. */
export const MAX_OVERRIDE_LENGTH = 1024;

/**
 * Reads every occurrence of `param` (`?tracks=a:x&tracks=b:y` combines them, later ones winning
 * for the same set). Entries naming an unknown set or variant are ignored; names are looked up
 * in maps, so `__proto__` or `constructor` are just names that match nothing.
 */
export function parseOverrideQuery(url: string, param: string, registry: Registry): OverrideRequest | null {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes(param, q)) return null;
  const values = new URLSearchParams(url.slice(q + 1)).getAll(param);
  if (values.length === 0) return null;
  if (values.reduce((n, v) => n + v.length, 0) > MAX_OVERRIDE_LENGTH) return null;
  const result: OverrideRequest = { clear: false, forced: new Map() };
  for (const value of values) {
    for (const item of value.split(',')) {
      const text = item.trim();
      if (text === 'clear') {
        result.clear = true;
        continue;
      }
      const colon = text.indexOf(':');
      if (colon <= 0) continue;
      const set = registry.setsByName.get(text.slice(0, colon));
      const variant = set?.byName.get(text.slice(colon + 1));
      if (set && variant) result.forced.set(set, variant);
    }
  }
  return result;
}
