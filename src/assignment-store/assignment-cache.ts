// What the store client remembers in memory: fresh loads (bounded, with a TTL) and its own unwritten saves.
import type { UserAssignment, RememberedAssignments, StoredAssignment } from './assignment-store.js';
import { BoundedMemo } from '../bounded/memo.js';

/** The cache's bound in bytes (both generations), whatever the keys' length: 16 MiB. */
export const CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** What one remembered set costs in an entry's map: the map slot and the record. */
const BYTES_PER_SET = 160;

interface Entry {
  readonly assignments: RememberedAssignments;
  readonly expires: number;
}

/**
 * Users' remembered assignments as last loaded, each fresh for `ttlMs`, at most `maxEntries` of
 * them and at most `maxBytes` (keys counted at two bytes a character): two generations, the older
 * one dropped whole, so memory grows neither with the number of users nor with their keys' length,
 * and no operation costs more than O(1) map work.
 */
export class AssignmentCache {
  readonly #memo: BoundedMemo<Entry>;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(maxEntries: number, ttlMs: number, now: () => number = Date.now, maxBytes: number = CACHE_MAX_BYTES) {
    this.#memo = new BoundedMemo<Entry>(Math.max(1, Math.floor(maxEntries / 2)), maxBytes, (entry) => entry.assignments.size * BYTES_PER_SET);
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The key's assignments if loaded less than `ttlMs` ago. */
  get(key: string): RememberedAssignments | undefined {
    const entry = this.#memo.get(key);
    if (entry === undefined || entry.expires <= this.#now()) return undefined;
    return entry.assignments;
  }

  /** Remembers what a load returned, fresh from now. */
  set(key: string, assignments: RememberedAssignments): void {
    this.#memo.set(key, { assignments, expires: this.#now() + this.#ttlMs });
  }

  /**
   * Adds this process's own new records to a fresh entry, first write winning as in the store (a
   * set the entry already has keeps its variant). The map is replaced, never changed, since
   * callers may hold the old one. A key that is not cached stays uncached: an entry must hold
   * everything the store has for the key, and only a load knows that.
   */
  merge(key: string, records: readonly UserAssignment[]): void {
    const entry = this.#memo.get(key);
    if (entry === undefined || entry.expires <= this.#now()) return;
    const merged = withRecords(entry.assignments, records);
    if (merged !== entry.assignments) this.#memo.set(key, { assignments: merged, expires: entry.expires });
  }

  /** Entries held, stale ones included (at most `maxEntries`). */
  get size(): number {
    return this.#memo.size;
  }
}

/** `assignments` with the records of sets it lacks added (the same map when nothing is new). */
export function withRecords(assignments: RememberedAssignments, records: readonly UserAssignment[]): RememberedAssignments {
  let merged: Map<string, StoredAssignment> | null = null;
  for (const { setName, variant, assignedAt, how } of records) {
    if ((merged ?? assignments).has(setName)) continue;
    merged ??= new Map(assignments);
    merged.set(setName, { variant, assignedAt, how });
  }
  return merged ?? assignments;
}

/**
 * Records saved in this process and not yet written, by key, so a load that answers before the
 * write lands still shows them (the process sees its own writes). Bounded by the write queue:
 * an entry leaves when its batch is written, or when the queue gives up on it.
 */
export class UnwrittenAssignments {
  readonly #byKey = new Map<string, UserAssignment[]>();

  /** Whether a record for this key and set is waiting to be written. */
  has(key: string, setName: string): boolean {
    return this.#byKey.get(key)?.some((r) => r.setName === setName) ?? false;
  }

  add(record: UserAssignment): void {
    const list = this.#byKey.get(record.key);
    if (list === undefined) this.#byKey.set(record.key, [record]);
    else list.push(record);
  }

  /** The key's unwritten records, in the order they were saved. */
  of(key: string): readonly UserAssignment[] {
    return this.#byKey.get(key) ?? [];
  }

  /** Forgets records that were written (or given up on). */
  remove(records: readonly UserAssignment[]): void {
    for (const record of records) {
      const list = this.#byKey.get(record.key);
      if (list === undefined) continue;
      const at = list.indexOf(record);
      if (at === -1) continue;
      if (list.length === 1) this.#byKey.delete(record.key);
      else list.splice(at, 1);
    }
  }

  clear(): void {
    this.#byKey.clear();
  }

  /** Keys with unwritten records. */
  get size(): number {
    return this.#byKey.size;
  }
}
