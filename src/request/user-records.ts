// One user's server-side records in one request: loaded before the handler, counted after their cookie, saved as made.
import type { CompiledSet, CompiledTrackSet } from '../engine/compile.js';
import type { AssignmentOrigin, RememberedAssignments, UserAssignment } from '../assignment-store/assignment-store.js';
import type { StoreClient } from '../assignment-store/store-client.js';
import { replaceSuperseded } from '../assignment-store/direct-writes.js';
import type { Choice, StickyState } from '../cookies/sticky-state.js';

type Owner = CompiledTrackSet;

/** A set behind its kill switch or pinned is never hashed: there is nothing to remember for it. */
function settled(set: CompiledSet): boolean {
  return set.disabled || set.pinned !== null;
}

/**
 * True when the cookie bound to this user remembers every set a `get` could hash (a multi set
 * with its member's variant too): the store could add nothing, so nothing is loaded.
 */
export function cookieCoversAll(state: StickyState, owners: readonly Owner[]): boolean {
  for (const owner of owners) {
    if (owner.kind === 'set') {
      if (!settled(owner) && state.bound(owner) === undefined) return false;
      continue;
    }
    const member = state.bound(owner) as CompiledSet | undefined;
    if (member === undefined || (!settled(member) && state.bound(member) === undefined)) return false;
  }
  return true;
}

function recordOf(key: string, owner: Owner, choice: Choice, how: AssignmentOrigin): UserAssignment {
  // A multi set's record names the member set it chose.
  return { key, setName: owner.name, variant: choice.name, assignedAt: new Date(), how };
}

/**
 * What the store remembers for one user (a key from a source) in one request, and what the
 * request adds to it. Exists only when a store is configured and the request is a user's (never
 * an anonymous visitor's or a bot's). The store's first record wins: saves only enqueue.
 */
export class UserRecords {
  /** The loaded records; null while unknown: not loaded (the cookie covered every set) or the store failed. */
  #loaded: RememberedAssignments | null = null;

  constructor(
    readonly client: StoreClient,
    readonly key: string,
  ) {}

  /**
   * Before the handler. Nothing to wait for (undefined, no promise) when the cookie covers every
   * set or the cache holds the user fresh; else the load, which never rejects and never outlasts
   * the client's `timeoutMs`. After a load, the signed cookie's entries that the store lacks
   * (enrolled before the store was configured, or a dropped write) are saved.
   */
  prepare(state: StickyState, owners: readonly Owner[], signed: boolean): Promise<void> | undefined {
    if (cookieCoversAll(state, owners)) return undefined;
    const fresh = this.client.cached(this.key);
    if (fresh !== undefined) {
      this.#loaded = fresh;
      return undefined;
    }
    return this.client.load(this.key).then((loaded) => {
      this.#loaded = loaded;
      // Unsigned, the cookie is the visitor's to edit: it never becomes the store's first record.
      if (loaded === null || !signed) return;
      const missing: UserAssignment[] = [];
      for (const [owner, choice] of state.boundEntries()) if (!loaded.has(owner.name)) missing.push(recordOf(this.key, owner, choice, 'hash'));
      if (missing.length > 0) this.client.save(missing);
    });
  }

  /** The store's choice for `owner`, when it remembers one whose variant (or member set) still exists. */
  choice(owner: Owner): Choice | undefined {
    const record = this.#loaded?.get(owner.name);
    if (record === undefined) return undefined;
    return owner.kind === 'set' ? owner.byName.get(record.variant) : owner.members.find((m) => m.name === record.variant);
  }

  /**
   * A new enrolment by the hash, queued for the store. Where the store holds a record naming a
   * variant (or member set) since removed, the new one replaces it, so the user is not re-hashed
   * on every load (the queue keeps a key's first record: the replacement goes to the store directly).
   */
  enrolled(owner: Owner, choice: Choice): void {
    const record = recordOf(this.key, owner, choice, 'hash');
    const superseded = this.#loaded?.get(owner.name);
    if (superseded === undefined) return this.client.save([record]);
    if (superseded.variant !== choice.name) replaceSuperseded(this.client, [{ ...record, replaces: superseded.variant }]);
  }

  /**
   * Continuity, as the cookie is re-bound to the user: where the store remembers a set, its
   * record replaces the anonymous visitor's in the cookie; where it has none, the visitor's choice
   * is saved (`how: 'anonymous'`). The alias (which analysis reads to count one person) was
   * claimed before the handler, see `claimAlias`.
   */
  carryOver(state: StickyState): void {
    const missing: UserAssignment[] = [];
    for (const [owner, choice] of state.continuedEntries()) {
      const stored = this.choice(owner);
      if (stored !== undefined) {
        if (state.bound(owner) === undefined) state.setSticky(owner, stored);
      } else if (this.#loaded?.has(owner.name) !== true) missing.push(recordOf(this.key, owner, choice, 'anonymous'));
    }
    if (missing.length > 0) this.client.save(missing);
  }
}
