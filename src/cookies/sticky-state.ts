// What a user's sticky cookie remembers, decoded against the registered sets, bound to an identity, re-encoded.
import { decodePayload, encodeEntries, type StickyEntry } from './cookie-codec.js';
import type { CompiledSet, CompiledVariant, CompiledTrackSet } from '../engine/compile.js';
import type { BoundedMemo } from '../bounded/memo.js';
import type { Registry } from '../engine/registry.js';
import type { CookieSigner } from './signer.js';

/** A remembered choice: a variant of a set, or the member set a multi set chose. */
export type Choice = CompiledVariant | CompiledSet;

type Owner = CompiledTrackSet;

/**
 * A verified, decoded cookie: shared by every request that carries the same raw value, and
 * memoised by it. It also remembers which identity its tag was verified for, so a returning
 * visitor's identity check is a string comparison, not an HMAC.
 */
export class CookieSnapshot {
  #matched: string | null = null;
  #refused: string | null = null;

  constructor(
    /** What the hash gave the user: the assignment that stays theirs. */
    readonly sticky: ReadonlyMap<Owner, Choice>,
    /** What a QA override forced, kept apart so that clearing it gives the user's own variant back. */
    readonly forced: ReadonlyMap<Owner, Choice>,
    /** True when the cookie must be rewritten even if nothing else changes (renewed, cleaned, rejected). */
    readonly stale: boolean,
    /** 0: no cookie or a rejected one; 1: unbound entries; 2: entries bound to `tag`. */
    readonly format: 0 | 1 | 2,
    /** Format 2: the identity tag. */
    readonly tag: string | null,
    /** The position of the secret that verified it (-1 unsigned). */
    readonly secret: number,
  ) {}

  /** True when the tag is `identity`'s. The first check per identity costs an HMAC; repeats compare strings. */
  isBoundTo(identity: string, signer: CookieSigner): boolean {
    if (identity === this.#matched) return true;
    if (identity === this.#refused) return false;
    const bound = this.tag !== null && signer.tagMatches(this.tag, identity, this.secret);
    if (bound) this.#matched = identity;
    else this.#refused = identity;
    return bound;
  }

  /** The identity the tag was verified for, if any: a cookie re-written for it keeps the same tag. */
  get matched(): string | null {
    return this.#matched;
  }

  /** The identity last found not to match, if any (a check the next request need not redo). */
  get refused(): string | null {
    return this.#refused;
  }
}

const NONE = new Map<Owner, Choice>();
const EMPTY = new CookieSnapshot(NONE, NONE, false, 0, null, -1);
const REJECTED = new CookieSnapshot(NONE, NONE, true, 0, null, -1);

/** Cookies longer than this are not memoised; longer than any this library writes are rejected. */
const MEMO_MAX_LENGTH = 1024;
const MAX_RAW_LENGTH = 4096;

/**
 * Verifies and decodes a raw cookie value. Anything that does not verify or decode is rejected
 * whole; entries naming a set or variant that no longer exists are dropped one by one. Either way
 * the snapshot is stale, so the next write replaces the cookie with a clean one. With a secret,
 * only format 2 is current: a signed format-1 cookie (written before identity binding) is stale.
 */
export function readCookie(raw: string, signer: CookieSigner, registry: Registry): CookieSnapshot {
  if (raw.length > MAX_RAW_LENGTH) return REJECTED;
  const { value, renew, secret } = signer.unsign(raw);
  const decoded = value === null ? null : decodePayload(value);
  // Without a secret nothing can be bound, so only format 1 is read.
  if (decoded === null || (!signer.signs && decoded.format === 2)) return REJECTED;
  const sticky = new Map<Owner, Choice>();
  const forced = new Map<Owner, Choice>();
  let stale = renew || (signer.signs && decoded.format === 1);
  for (const entry of decoded.entries) {
    const owner = registry.byMasked.get(entry.set);
    const choice = owner ? choiceOf(owner, entry.value) : undefined;
    const into = entry.forced ? forced : sticky;
    if (!owner || !choice || into.has(owner)) stale = true;
    else into.set(owner, choice);
  }
  return new CookieSnapshot(sticky, forced, stale, decoded.format, decoded.tag, secret);
}

/** The snapshot of a raw cookie value, verified once per distinct value (bounded memo). */
export function snapshotOf(raw: string | undefined, signer: CookieSigner, registry: Registry, memo: BoundedMemo<CookieSnapshot>): CookieSnapshot {
  if (raw === undefined) return EMPTY;
  if (raw.length > MEMO_MAX_LENGTH) return readCookie(raw, signer, registry);
  let snapshot = memo.get(raw);
  if (snapshot === undefined) memo.set(raw, (snapshot = readCookie(raw, signer, registry)));
  return snapshot;
}

function choiceOf(owner: Owner, masked: string): Choice | undefined {
  return owner.kind === 'set' ? owner.byMasked.get(masked) : owner.members.find((m) => m.masked === masked);
}

/**
 * What the cookie is to this request: `own` (bound to this identity, or unsigned), `continuity`
 * (bound to the anonymous id a logged-in user's request carries: honoured for the sets the user
 * has none for, then re-bound to the user) or `foreign` (someone else's: ignored and replaced).
 */
export type Binding = 'own' | 'continuity' | 'foreign';

/**
 * Binds a snapshot to the request's identity: `key` (the user's key, else the anonymous id; null
 * only without a secret), whether it is a user's, and the request, whose verified anonymous id
 * (a user's request may carry one) is read only when the cookie is not the key's own. A format-1 cookie under a secret predates binding:
 * an anonymous visitor's request takes it as its own (read once, then rewritten as format 2); it
 * never counts for a logged-in user, since nothing says whose it was. Whether continuity is then
 * allowed (first alias wins) is the request layer's to decide, see `refuseContinuity`.
 */
export function bindingOf(snapshot: CookieSnapshot, key: string | null, isUser: boolean, request: CarriesId, signer: CookieSigner): Binding {
  if (!signer.signs || snapshot.format === 0 || key === null) return 'own';
  if (snapshot.format === 1) return isUser ? 'foreign' : 'own';
  if (snapshot.isBoundTo(key, signer)) return 'own';
  if (!isUser) return 'foreign';
  const anonymousId = request.carried.id;
  return anonymousId !== null && snapshot.isBoundTo(anonymousId, signer) ? 'continuity' : 'foreign';
}

/** Where `bindingOf` reads the verified anonymous id a request carried, only when it must (a user's cookie bound to someone else). */
export interface CarriesId {
  readonly carried: { readonly id: string | null };
}

/** One request's view of the cookie: the shared snapshot until the first change, then its own copies. */
export class StickyState {
  #base: CookieSnapshot;
  #binding: Binding;
  readonly #key: string | null;
  #sticky: Map<Owner, Choice> | null = null;
  #forced: Map<Owner, Choice> | null = null;
  /** True when what should be in the cookie differs from what the request carried. */
  changed: boolean;

  constructor(snapshot: CookieSnapshot, binding: Binding, key: string | null) {
    // Someone else's cookie is not merged: this request starts from nothing and replaces it.
    this.#base = binding === 'foreign' ? REJECTED : snapshot;
    this.#binding = binding;
    this.#key = key;
    this.changed = this.#base.stale || binding !== 'own';
  }

  /** How the cookie relates to this request's identity. */
  get binding(): Binding {
    return this.#binding;
  }

  /** What the cookie bound to this identity remembers (and what this request added). */
  bound(owner: Owner): Choice | undefined {
    if (this.#binding === 'own') return (this.#sticky ?? this.#base.sticky).get(owner);
    return this.#sticky?.get(owner);
  }

  /**
   * Continuity: what the cookie bound to the request's anonymous id remembers, for a user, for a
   * set that allows it (`static continuity`).
   */
  continued(owner: Owner): Choice | undefined {
    return this.#binding === 'continuity' && owner.continuity ? this.#base.sticky.get(owner) : undefined;
  }

  /**
   * Continuity refused (the anonymous id belongs to another account, or that could not be
   * checked): the cookie is treated as someone else's, ignored and replaced. Only before the
   * state was used.
   */
  refuseContinuity(): void {
    if (this.#binding !== 'continuity') return;
    this.#binding = 'foreign';
    this.#base = REJECTED;
    this.#sticky = null;
    this.changed = true;
  }

  /** Every choice remembered for this identity (and what this request added), by set. */
  boundEntries(): ReadonlyMap<Owner, Choice> {
    return this.#sticky ?? (this.#binding === 'own' ? this.#base.sticky : NONE);
  }

  /** Continuity: every choice the anonymous visitor's cookie remembers for sets that allow it (empty otherwise). */
  continuedEntries(): ReadonlyMap<Owner, Choice> {
    if (this.#binding !== 'continuity') return NONE;
    const carried = new Map<Owner, Choice>();
    for (const [owner, choice] of this.#base.sticky) if (owner.continuity) carried.set(owner, choice);
    return carried;
  }

  /** The variant (or member set) a QA override forced, as remembered for this identity. */
  forced(owner: Owner): Choice | undefined {
    return (this.#forced ?? this.#base.forced).get(owner);
  }

  /** True when the cookie holds forced entries. */
  get hasForced(): boolean {
    return (this.#forced ?? this.#base.forced).size > 0;
  }

  /**
   * Remembers a choice for this identity; marks the state changed only when it really differs.
   * Under continuity the request's own choices are kept apart from the anonymous visitor's, which
   * are re-bound to the user when the cookie is written.
   */
  setSticky(owner: Owner, choice: Choice): void {
    if (this.bound(owner) === choice) return;
    (this.#sticky ??= this.#binding === 'own' ? new Map(this.#base.sticky) : new Map()).set(owner, choice);
    this.changed = true;
  }

  /** Remembers what an override forced; marks the state changed only when it really differs. */
  setForced(owner: Owner, choice: Choice): void {
    if (this.forced(owner) === choice) return;
    (this.#forced ??= new Map(this.#base.forced)).set(owner, choice);
    this.changed = true;
  }

  /** Forgets every forced entry (the QA override's `clear`, or a request where overrides are refused). */
  clearForced(): void {
    if (!this.hasForced) return;
    this.#forced = new Map();
    this.changed = true;
  }

  /**
   * The signed cookie value, bound to this request's identity (format 2; format 1 unsigned),
   * within `maxLength` characters: entries for the sets in `first` are kept before the others,
   * forced entries last, and whatever does not fit is dropped.
   */
  serialize(signer: CookieSigner, maxLength: number, first: readonly Owner[]): string {
    const ordered: StickyEntry[] = [];
    const rest: StickyEntry[] = [];
    const own = this.boundEntries();
    for (const [owner, choice] of own) (first.includes(owner) ? ordered : rest).push({ set: owner.masked, value: choice.masked, forced: false });
    // Continuity: the anonymous visitor's other entries are re-bound to the user.
    if (this.#binding === 'continuity') {
      for (const [owner, choice] of this.continuedEntries())
        if (!own.has(owner)) rest.push({ set: owner.masked, value: choice.masked, forced: false });
    }
    ordered.push(...rest);
    for (const [owner, choice] of this.#forced ?? this.#base.forced) ordered.push({ set: owner.masked, value: choice.masked, forced: true });
    const tag = this.#tag(signer);
    let signed = signer.sign(encodeEntries(ordered, tag));
    while (signed.length > maxLength && ordered.length > 0) {
      // Each entry is 15 or 16 characters: drop enough at once, then re-check.
      ordered.length = Math.max(0, ordered.length - Math.ceil((signed.length - maxLength) / 15));
      signed = signer.sign(encodeEntries(ordered, tag));
    }
    return signed;
  }

  #tag(signer: CookieSigner): string | null {
    if (!signer.signs || this.#key === null) return null;
    const base = this.#base;
    // The tag already verified for this identity under the current secret: no HMAC to redo.
    if (this.#binding === 'own' && base.secret === 0 && base.tag !== null && base.matched === this.#key) return base.tag;
    return signer.tag(this.#key);
  }
}
