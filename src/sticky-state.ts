// What a user's sticky cookie remembers, decoded against the registered sets, and re-encoded.
import { decodeEntries, encodeEntries, type StickyEntry } from './cookie-codec.js';
import type { CompiledMulti, CompiledSet, CompiledVariant } from './compile.js';
import type { BoundedMemo } from './memo.js';
import type { Registry } from './registry.js';
import type { Signer } from './signer.js';

/** A remembered choice: a variant of a set, or the member set a multi set chose. */
export interface Remembered {
  readonly value: CompiledVariant | CompiledSet;
  readonly forced: boolean;
}

type Owner = CompiledSet | CompiledMulti;

/** A verified, decoded cookie: shared, read-only, and memoised by its raw value. */
export interface CookieSnapshot {
  readonly entries: ReadonlyMap<Owner, Remembered>;
  /** True when the cookie must be rewritten even if nothing else changes (renewed, cleaned). */
  readonly stale: boolean;
}

const EMPTY: CookieSnapshot = Object.freeze({ entries: new Map(), stale: false });
const REJECTED: CookieSnapshot = Object.freeze({ entries: new Map(), stale: true });

/** Cookies longer than this are not memoised (and longer than any this library writes are rejected). */
const MEMO_MAX_LENGTH = 1024;
const MAX_RAW_LENGTH = 4096;

/**
 * Verifies and decodes a raw cookie value. Anything that does not verify or decode is rejected
 * whole; entries naming a set or variant that no longer exists are dropped one by one. Either way
 * the snapshot is stale, so the next write replaces the cookie with a clean one.
 */
export function readCookie(raw: string, signer: Signer, registry: Registry): CookieSnapshot {
  if (raw.length > MAX_RAW_LENGTH) return REJECTED;
  const { value, renew } = signer.unsign(raw);
  const decoded = value === null ? null : decodeEntries(value);
  if (decoded === null) return REJECTED;
  const entries = new Map<Owner, Remembered>();
  let stale = renew;
  for (const entry of decoded) {
    const resolved = resolveEntry(entry, registry);
    if (!resolved || entries.has(resolved[0])) stale = true;
    else entries.set(resolved[0], resolved[1]);
  }
  return Object.freeze({ entries, stale });
}

function resolveEntry(entry: StickyEntry, registry: Registry): [Owner, Remembered] | null {
  const owner = registry.byMasked.get(entry.set);
  let value: CompiledVariant | CompiledSet | undefined;
  if (owner?.kind === 'set') value = owner.byMasked.get(entry.value);
  else if (owner?.kind === 'multi') value = owner.members.find((m) => m.masked === entry.value);
  return owner && value ? [owner, Object.freeze({ value, forced: entry.forced })] : null;
}

/** One request's view of the cookie: the shared snapshot until the first change, then its own copy. */
export class StickyState {
  #base: CookieSnapshot;
  #own: Map<Owner, Remembered> | null = null;
  /** True when what should be in the cookie differs from what the request carried. */
  changed: boolean;

  constructor(raw: string | undefined, signer: Signer, registry: Registry, memo: BoundedMemo<CookieSnapshot>) {
    if (raw === undefined) this.#base = EMPTY;
    else if (raw.length > MEMO_MAX_LENGTH) this.#base = readCookie(raw, signer, registry);
    else {
      let snapshot = memo.get(raw);
      if (snapshot === undefined) memo.set(raw, (snapshot = readCookie(raw, signer, registry)));
      this.#base = snapshot;
    }
    this.changed = this.#base.stale;
  }

  get(owner: Owner): Remembered | undefined {
    return (this.#own ?? this.#base.entries).get(owner);
  }

  #writable(): Map<Owner, Remembered> {
    return (this.#own ??= new Map(this.#base.entries));
  }

  /** Remembers a choice; marks the state changed only when it really differs. */
  set(owner: Owner, value: CompiledVariant | CompiledSet, forced: boolean): void {
    const current = this.get(owner);
    if (current && current.value === value && current.forced === forced) return;
    this.#writable().set(owner, { value, forced });
    this.changed = true;
  }

  /** Forgets every forced entry (the QA override's `clear`). */
  clearForced(): void {
    for (const [owner, remembered] of this.#own ?? this.#base.entries) {
      if (remembered.forced) {
        this.#writable().delete(owner);
        this.changed = true;
      }
    }
  }

  /**
   * The signed cookie value, keeping it within `maxLength` characters: entries for the sets in
   * `first` are kept before the others, and whatever does not fit is dropped.
   */
  serialize(signer: Signer, maxLength: number, first: ReadonlySet<Owner>): string {
    const ordered: StickyEntry[] = [];
    const rest: StickyEntry[] = [];
    for (const [owner, r] of this.#own ?? this.#base.entries) {
      (first.has(owner) ? ordered : rest).push({ set: owner.masked, value: r.value.masked, forced: r.forced });
    }
    ordered.push(...rest);
    let signed = signer.sign(encodeEntries(ordered));
    while (signed.length > maxLength && ordered.length > 0) {
      // Each entry is 15 or 16 characters: drop enough at once, then re-check.
      ordered.length = Math.max(0, ordered.length - Math.ceil((signed.length - maxLength) / 15));
      signed = signer.sign(encodeEntries(ordered));
    }
    return signed;
  }
}
