// Parses the QA override query parameter (`?tracks=delay:long,pricing:cheap`, or `clear`).
import type { CompiledSet, CompiledVariant } from '../engine/compile.js';
import { closestName } from '../engine/did-you-mean.js';
import type { Registry } from '../engine/registry.js';

/** What the query asked for: variants to force, and whether to forget earlier forced ones. */
export interface OverrideRequest {
  clear: boolean;
  forced: Map<CompiledSet, CompiledVariant>;
  /** The entries applied, as `set:variant` (and `clear`), in the order given. */
  applied: string[];
  /** The entries refused, each with why: an unknown set, an unknown variant, no `set:variant` shape. */
  refused: Array<{ entry: string; problem: string }>;
}

/** Why an entry is refused: names the set's variants, or the known sets, with a did-you-mean. */
function problemOf(text: string, colon: number, registry: Registry): string {
  if (colon <= 0) return 'expected set:variant';
  const name = text.slice(0, colon);
  const set = registry.setsByName.get(name);
  const known = [...registry.setsByName.keys()];
  if (!set) {
    const near = closestName(name, known);
    return `set "${name}" is unknown (${near ? `did you mean "${near}"? ` : ''}sets: ${known.join(', ')})`;
  }
  const variant = text.slice(colon + 1);
  const names = set.variants.map((v) => v.name);
  const near = closestName(variant, names);
  return `set "${name}" has no variant "${variant}" (${near ? `did you mean "${near}"? ` : ''}variants: ${names.join(', ')})`;
}

/** Longer values are ignored whole: no QA link needs that much, and parsing stays bounded. */
export const MAX_OVERRIDE_LENGTH = 1024;

/**
 * Reads every occurrence of `param` (`?tracks=a:x&tracks=b:y` combines them, later ones winning
 * for the same set). Entries naming an unknown set or variant are not applied and are listed in
 * `refused` (the request reports them to `onError` and in a response header); names are looked up
 * in maps, so `__proto__` or `constructor` are just names that match nothing.
 */
export function parseOverrideQuery(url: string, param: string, registry: Registry): OverrideRequest | null {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes(param, q)) return null;
  const values = new URLSearchParams(url.slice(q + 1)).getAll(param);
  if (values.length === 0) return null;
  if (values.reduce((n, v) => n + v.length, 0) > MAX_OVERRIDE_LENGTH) return null;
  const result: OverrideRequest = { clear: false, forced: new Map(), applied: [], refused: [] };
  for (const value of values) {
    for (const item of value.split(',')) {
      const text = item.trim();
      if (text === '') continue;
      if (text === 'clear') {
        result.clear = true;
        result.applied.push(text);
        continue;
      }
      const colon = text.indexOf(':');
      const set = colon > 0 ? registry.setsByName.get(text.slice(0, colon)) : undefined;
      const variant = set?.byName.get(text.slice(colon + 1));
      if (set && variant) {
        result.forced.set(set, variant);
        result.applied.push(text);
      } else result.refused.push({ entry: text, problem: problemOf(text, colon, registry) });
    }
  }
  return result;
}

/** The response header that says what an override did: `applied=delay:long; refused=pricing:bogus`, entries URI-encoded. */
export const OVERRIDE_HEADER = 'Tracks-Override';

/** The value of {@link OVERRIDE_HEADER} for a parsed override. */
export function overrideHeader(request: OverrideRequest): string {
  const list = (entries: readonly string[]): string => entries.map(encodeURIComponent).join(',');
  return `applied=${list(request.applied)}; refused=${list(request.refused.map((r) => r.entry))}`;
}
