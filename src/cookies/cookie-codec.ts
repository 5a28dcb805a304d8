// The sticky cookie's payload: which variant of which set a user is locked to, in masked names.
import { TAG } from './signer.js';

/** One remembered assignment: masked set name → masked variant (or member set, for a multi set). */
export interface StickyEntry {
  /** 7 hex digits: the set's (or multi set's) masked name. */
  set: string;
  /** 7 hex digits: the variant's masked name (for a multi set, the chosen member's masked set name). */
  value: string;
  /** True when a QA override forced it; forced entries are never logged as exposures. */
  forced: boolean;
}

/** A decoded payload: its format version, the identity tag (format 2) and the entries. */
export interface StickyPayload {
  /** 1: unbound (written without a secret, or before identity binding); 2: bound to an identity. */
  format: 1 | 2;
  /** Format 2: the keyed tag of the identity the entries belong to (12 base64url characters). */
  tag: string | null;
  entries: StickyEntry[];
}

/** Format 1: entries that belong to whoever presents them (no secret, or written before format 2). */
export const FORMAT_UNBOUND = '1';
/** Format 2: entries bound to the identity whose tag follows the version. */
export const FORMAT_BOUND = '2';

const ENTRY = /^[0-9a-f]{14}!?$/;

/**
 * Encodes entries as the version, then (format 2) `~<tag>`, then `~<set><value>` per entry (`!`
 * appended when forced): 15 or 16 bytes a set, only characters RFC 6265 allows in a cookie value
 * without quoting. With a tag the payload is format 2, without one format 1.
 */
export function encodeEntries(entries: Iterable<StickyEntry>, tag: string | null = null): string {
  let out = tag === null ? FORMAT_UNBOUND : FORMAT_BOUND + '~' + tag;
  for (const e of entries) out += '~' + e.set + e.value + (e.forced ? '!' : '');
  return out;
}

/**
 * Decodes a payload of either format; anything malformed (another version, a bad tag or entry)
 * yields null so that the caller drops the whole cookie rather than trusting part of it.
 */
export function decodePayload(payload: string): StickyPayload | null {
  const parts = payload.split('~');
  const version = parts[0];
  let first = 1;
  let tag: string | null = null;
  if (version === FORMAT_BOUND) {
    tag = parts[1] ?? '';
    if (!TAG.test(tag)) return null;
    first = 2;
  } else if (version !== FORMAT_UNBOUND) return null;
  const entries: StickyEntry[] = [];
  for (let i = first; i < parts.length; i++) {
    const part = parts[i]!;
    if (!ENTRY.test(part)) return null;
    entries.push({ set: part.slice(0, 7), value: part.slice(7, 14), forced: part.length === 15 });
  }
  return { format: tag === null ? 1 : 2, tag, entries };
}
