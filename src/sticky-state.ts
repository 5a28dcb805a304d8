// What a user's sticky cookie remembers, decoded against the registered sets, and re-encoded.
import { decodeEntries, encodeEntries, type StickyEntry } from './cookie-codec.js';
import type { CompiledMulti, CompiledSet, CompiledVariant } from './compile.js';
import type { Registry } from './registry.js';
import type { Signer } from './signer.js';

/** A remembered choice: a variant of a set, or the member set a multi set chose. */
export interface Remembered {
  value: CompiledVariant | CompiledSet;
  forced: boolean;
}

/**
 * The decoded cookie. Anything that does not verify or decode is dropped whole; entries naming a
 * set or variant that no longer exists are dropped one by one. Either way the cookie is marked
 * changed, so the next write replaces it with a clean one.
 */
export class StickyState {
  readonly #entries = new Map<CompiledSet | CompiledMulti, Remembered>();
  /** True when what should be in the cookie differs from what the request carried. */
  changed = false;

  constructor(raw: string | undefined, signer: Signer, registry: Registry) {
    if (raw === undefined) return;
    const { value, renew } = signer.unsign(raw);
    const decoded = value === null ? null : decodeEntries(value);
    if (decoded === null) {
      this.changed = true;
      return;
    }
    if (renew) this.changed = true;
    for (const entry of decoded) this.#load(entry, registry);
  }

  #load(entry: StickyEntry, registry: Registry): void {
    const owner = registry.byMasked.get(entry.set);
    let value: CompiledVariant | CompiledSet | undefined;
    if (owner?.kind === 'set') value = owner.byMasked.get(entry.value);
    else if (owner?.kind === 'multi') value = owner.members.find((m) => m.masked === entry.value);
    if (!owner || !value || this.#entries.has(owner)) {
      this.changed = true;
      return;
    }
    this.#entries.set(owner, { value, forced: entry.forced });
  }

  get(owner: CompiledSet | CompiledMulti): Remembered | undefined {
    return this.#entries.get(owner);
  }

  /** Remembers a choice; marks the state changed only when it really differs. */
  set(owner: CompiledSet | CompiledMulti, value: CompiledVariant | CompiledSet, forced: boolean): void {
    const current = this.#entries.get(owner);
    if (current && current.value === value && current.forced === forced) return;
    this.#entries.set(owner, { value, forced });
    this.changed = true;
  }

  /** Forgets every forced entry (the QA override's `clear`). */
  clearForced(): void {
    for (const [owner, remembered] of this.#entries) {
      if (remembered.forced) {
        this.#entries.delete(owner);
        this.changed = true;
      }
    }
  }

  /**
   * The signed cookie value, keeping it within `maxLength` characters: entries for the sets in
   * `first` are kept before the others, and whatever does not fit is dropped.
   */
  serialize(signer: Signer, maxLength: number, first: ReadonlySet<CompiledSet | CompiledMulti>): string {
    const ordered: StickyEntry[] = [];
    const rest: StickyEntry[] = [];
    for (const [owner, r] of this.#entries) {
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
