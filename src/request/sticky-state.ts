// What a user's sticky cookie remembers, decoded against the registered sets, and re-encoded.
import { decodeEntries, encodeEntries, type StickyEntry } from './cookie-codec.js';
import type { CompiledMulti, CompiledSet, CompiledVariant } from '../engine/compile.js';
import type { BoundedMemo } from './memo.js';
import type { Registry } from './registry.js';
import type { CookieSigner } from './cookie-signer.js';

/** A remembered choice: a variant of a set, or the member set a multi set chose. */
export type Choice = CompiledVariant | CompiledSet;

type Owner = CompiledSet | CompiledMulti;

/** A verified, decoded cookie: shared, read-only, and memoised by its raw value. */
export interface CookieSnapshot {
  /** What the hash gave the user: the assignment that stays theirs. */
  readonly sticky: ReadonlyMap<Owner, Choice>;
  /** What a QA override forced, kept apart so that clearing it gives the user's own variant back. */
  readonly forced: ReadonlyMap<Owner, Choice>;
  /** True when the cookie must be rewritten even if nothing else changes (renewed, cleaned). */
  readonly stale: boolean;
}

const EMPTY: CookieSnapshot = Object.freeze({ sticky: new Map(), forced: new Map(), stale: false });
const REJECTED: CookieSnapshot = Object.freeze({ sticky: new Map(), forced: new Map(), stale: true });

/** Cookies longer than this are not memoised; longer than any this library writes are rejected. */
const MEMO_MAX_LENGTH = 1024;
const MAX_RAW_LENGTH = 4096;

/**
 * Verifies and decodes a raw cookie value. Anything that does not verify or decode is rejected
 * whole; entries naming a set or variant that no longer exists are dropped one by one. Either way
 * the snapshot is stale, so the next write replaces the cookie with a clean one.
 */
export function readCookie(raw: string, signer: CookieSigner, registry: Registry): CookieSnapshot {
  if (raw.length > MAX_RAW_LENGTH) return REJECTED;
  const { value, renew } = signer.unsign(raw);
  const decoded = value === null ? null : decodeEntries(value);
  if (decoded === null) return REJECTED;
  const sticky = new Map<Owner, Choice>();
  const forced = new Map<Owner, Choice>();
  let stale = renew;
  for (const entry of decoded) {
    const owner = registry.byMasked.get(entry.set);
    const choice = owner ? choiceOf(owner, entry.value) : undefined;
    const into = entry.forced ? forced : sticky;
    if (!owner || !choice || into.has(owner)) stale = true;
    else into.set(owner, choice);
  }
  return Object.freeze({ sticky, forced, stale });
}

function choiceOf(owner: Owner, masked: string): Choice | undefined {
  return owner.kind === 'set' ? owner.byMasked.get(masked) : owner.members.find((m) => m.masked === masked);
}

/** One request's view of the cookie: the shared snapshot until the first change, then its own copies. */
export class StickyState {
  #base: CookieSnapshot;
  #sticky: Map<Owner, Choice> | null = null;
  #forced: Map<Owner, Choice> | null = null;
  /** True when what should be in the cookie differs from what the request carried. */
  changed: boolean;

  constructor(raw: string | undefined, signer: CookieSigner, registry: Registry, memo: BoundedMemo<CookieSnapshot>) {
    if (raw === undefined) this.#base = EMPTY;
    else if (raw.length > MEMO_MAX_LENGTH) this.#base = readCookie(raw, signer, registry);
    else {
      let snapshot = memo.get(raw);
      if (snapshot === undefined) memo.set(raw, (snapshot = readCookie(raw, signer, registry)));
      this.#base = snapshot;
    }
    this.changed = this.#base.stale;
  }

  /** The variant (or member set) the hash gave this user, as remembered. */
  sticky(owner: Owner): Choice | undefined {
    return (this.#sticky ?? this.#base.sticky).get(owner);
  }

  /** The variant (or member set) a QA override forced, as remembered. */
  forced(owner: Owner): Choice | undefined {
    return (this.#forced ?? this.#base.forced).get(owner);
  }

  /** Remembers what the hash gave; marks the state changed only when it really differs. */
  setSticky(owner: Owner, choice: Choice): void {
    if (this.sticky(owner) === choice) return;
    (this.#sticky ??= new Map(this.#base.sticky)).set(owner, choice);
    this.changed = true;
  }

  /** Remembers what an override forced; marks the state changed only when it really differs. */
  setForced(owner: Owner, choice: Choice): void {
    if (this.forced(owner) === choice) return;
    (this.#forced ??= new Map(this.#base.forced)).set(owner, choice);
    this.changed = true;
  }

  /** Forgets every forced entry (the QA override's `clear`); remembered variants stay. */
  clearForced(): void {
    if ((this.#forced ?? this.#base.forced).size === 0) return;
    this.#forced = new Map();
    this.changed = true;
  }

  /**
   * The signed cookie value, keeping it within `maxLength` characters: entries for the sets in
   * `first` are kept before the others, forced entries last, and whatever does not fit is dropped.
   */
  serialize(signer: CookieSigner, maxLength: number, first: readonly Owner[]): string {
    const ordered: StickyEntry[] = [];
    const rest: StickyEntry[] = [];
    for (const [owner, choice] of this.#sticky ?? this.#base.sticky) {
      (first.includes(owner) ? ordered : rest).push({ set: owner.masked, value: choice.masked, forced: false });
    }
    ordered.push(...rest);
    for (const [owner, choice] of this.#forced ?? this.#base.forced) ordered.push({ set: owner.masked, value: choice.masked, forced: true });
    let signed = signer.sign(encodeEntries(ordered));
    while (signed.length > maxLength && ordered.length > 0) {
      // Each entry is 15 or 16 characters: drop enough at once, then re-check.
      ordered.length = Math.max(0, ordered.length - Math.ceil((signed.length - maxLength) / 15));
      signed = signer.sign(encodeEntries(ordered));
    }
    return signed;
  }
}
