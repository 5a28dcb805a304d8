// The sticky cookie's payload: which variant of which set a user is locked to, in masked names.

/** One remembered assignment: masked set name → masked variant (or member set, for a multi set). */
export interface StickyEntry {
  /** 7 hex digits: the set's (or multi set's) masked name. */
  set: string;
  /** 7 hex digits: the variant's masked name (for a multi set, the chosen member's masked set name). */
  value: string;
  /** True when a QA override forced it; forced entries are never logged as exposures. */
  forced: boolean;
}

/** The payload format version, the first character of every payload. */
export const FORMAT = '1';

const ENTRY = /^[0-9a-f]{14}!?$/;

/**
 * Encodes entries as `1` followed by `~<set><value>` per entry (`!` appended when forced):
 * 15 or 16 bytes a set, only characters RFC 6265 allows in a cookie value without quoting.
 */
export function encodeEntries(entries: Iterable<StickyEntry>): string {
  let out = FORMAT;
  for (const e of entries) out += '~' + e.set + e.value + (e.forced ? '!' : '');
  return out;
}

/**
 * Decodes a payload; anything malformed (another version, a bad entry) yields null so that the
 * caller drops the whole cookie rather than trusting part of it.
 */
export function decodeEntries(payload: string): StickyEntry[] | null {
  const parts = payload.split('~');
  if (parts[0] !== FORMAT) return null;
  const entries: StickyEntry[] = [];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (!ENTRY.test(part)) return null;
    entries.push({ set: part.slice(0, 7), value: part.slice(7, 14), forced: part.length === 15 });
  }
  return entries;
}
