// An assignment store in this process's memory, with the same semantics as the PostgreSQL one.
import {
  checkAliases,
  checkBatch,
  type AliasRecord,
  type UserAssignment,
  type AssignmentStore,
  type RememberedAssignments,
  type StoredAssignment,
  type SupersededAssignment,
} from './assignment-store.js';

/**
 * Remembers assignments and aliases in maps, for tests, examples and single-process apps whose
 * users may be forgotten on restart. First write wins, as in every store; every call answers
 * asynchronously and hands out copies, so callers see exactly what a database would give them.
 *
 * @example
 * const store = new MemoryAssignmentStore();
 * await store.save([{ key: 'user-1', setName: 'delay', variant: 'long', assignedAt: new Date(), how: 'hash' }]);
 * (await store.load('user-1')).get('delay')?.variant; // 'long'
 */
export class MemoryAssignmentStore implements AssignmentStore {
  readonly #assignments = new Map<string, Map<string, StoredAssignment>>();
  readonly #aliases = new Map<string, string>();

  /** The user's remembered assignments (a fresh map; empty for an unknown key). */
  load(key: string): Promise<RememberedAssignments> {
    const sets = this.#assignments.get(key);
    const copy = new Map<string, StoredAssignment>();
    if (sets) for (const [setName, stored] of sets) copy.set(setName, { ...stored, assignedAt: new Date(stored.assignedAt) });
    return Promise.resolve(copy);
  }

  /** Remembers the records; a key and set that already has one keeps it. */
  async save(records: readonly UserAssignment[]): Promise<void> {
    await Promise.resolve(); // answer later, as a database would
    checkBatch(records);
    for (const { key, setName, variant, assignedAt, how } of records) {
      let sets = this.#assignments.get(key);
      if (sets === undefined) this.#assignments.set(key, (sets = new Map<string, StoredAssignment>()));
      if (!sets.has(setName)) sets.set(setName, { variant, assignedAt: new Date(assignedAt), how });
    }
  }

  /** Replaces each record whose variant is still `replaces` by the new one; any other is kept. */
  async replace(records: readonly SupersededAssignment[]): Promise<void> {
    await Promise.resolve();
    checkBatch(records);
    for (const { key, setName, variant, assignedAt, how, replaces } of records) {
      const sets = this.#assignments.get(key);
      if (sets?.get(setName)?.variant === replaces) sets.set(setName, { variant, assignedAt: new Date(assignedAt), how });
    }
  }

  /** Records the aliases; an anonymous id already aliased keeps its first key. */
  async alias(records: readonly AliasRecord[]): Promise<void> {
    await Promise.resolve();
    checkAliases(records);
    for (const { anonymousId, key } of records) if (!this.#aliases.has(anonymousId)) this.#aliases.set(anonymousId, key);
  }

  /** The user key the anonymous id was first aliased to, or null. */
  aliasOf(anonymousId: string): Promise<string | null> {
    return Promise.resolve(this.#aliases.get(anonymousId) ?? null);
  }

  /** How many (key, set) records are held. */
  get size(): number {
    let n = 0;
    for (const sets of this.#assignments.values()) n += sets.size;
    return n;
  }
}
