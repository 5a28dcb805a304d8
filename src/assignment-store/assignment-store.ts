// The assignment store contract: where a user's variants are remembered on the server, first write wins.
import { keyProblem, MAX_KEY_LENGTH } from '../engine/key-rule.js';

/**
 * How a remembered assignment was first made: `hash` (the user was hashed into it) or `anonymous`
 * (taken over from the anonymous visitor they were before logging in). Forced (QA) assignments
 * are never stored.
 */
export type AssignmentOrigin = 'hash' | 'anonymous';

/** One remembered assignment of a user for one set. */
export interface StoredAssignment {
  /** The variant's name (not masked), as the set names it. */
  readonly variant: string;
  /** When the user was first assigned it. */
  readonly assignedAt: Date;
  /** How the user got it. */
  readonly how: AssignmentOrigin;
}

/** A user's remembered assignments: set name → assignment. Empty for a user with none. */
export type RememberedAssignments = ReadonlyMap<string, StoredAssignment>;

/** One assignment to remember: a user key, a set, and what the user got. */
export interface UserAssignment extends StoredAssignment {
  /** The serialised user key (as `serializeKey` gives it). */
  readonly key: string;
  /** The set's name. */
  readonly setName: string;
}

/** A user's new assignment for a set whose stored variant was removed from it: it replaces that record. */
export interface SupersededAssignment extends UserAssignment {
  /** The stored variant (no longer in the set) this record replaces; a record with any other variant is kept. */
  readonly replaces: string;
}

/** An anonymous visitor who logged in: their anonymous id now belongs to the user `key`. */
export interface AliasRecord {
  /** The anonymous visitor's id (from the anonymous-id cookie). */
  readonly anonymousId: string;
  /** The serialised user key they logged in as. */
  readonly key: string;
  /** When the alias was seen. */
  readonly aliasedAt: Date;
}

/**
 * Where users' assignments are remembered across devices, processes and weight changes. Every
 * method may be called concurrently, from many processes at once.
 *
 * - **First write wins**: `save` of a record for a key and set that already has one changes
 *   nothing, so two servers that hashed the same user at the same moment cannot flip them, and
 *   a weight change never moves a user who has a record. The same holds for an alias: an
 *   anonymous id keeps the first user key it was aliased to.
 * - `save` and `alias` are idempotent: writing a batch twice (a retry) has the effect of writing
 *   it once.
 * - Within one batch, the first record for a key and set is the one that counts.
 *
 * The middleware never calls a store on the request path directly: it goes through a
 * {@link StoreClient}, which bounds every load by a timeout, caches, and batches writes.
 * Implementations: {@link MemoryAssignmentStore} (tests, examples, a single process) and
 * `postgresAssignmentStore` from `tracks-ab/postgres` (PGlite or a PostgreSQL server).
 */
export interface AssignmentStore {
  /** The user's remembered assignments, in one round trip. Rejects when the store cannot answer. */
  load(key: string): Promise<RememberedAssignments>;
  /** Remembers records of many keys at once; an existing record for a key and set is kept. */
  save(records: readonly UserAssignment[]): Promise<void>;
  /** Records that anonymous ids belong to user keys; an anonymous id already aliased keeps its key. */
  alias(records: readonly AliasRecord[]): Promise<void>;
  /** The user key an anonymous id was aliased to, or null. */
  aliasOf(anonymousId: string): Promise<string | null>;
  /**
   * Optional: true when `save` or `alias` failed because of one record's data, so the store client
   * splits the batch, drops that record (told to `onError`) and writes the rest; any other failure
   * is an outage, retried whole. Default: a PostgreSQL SQLSTATE of class 22 or 23, or 54000.
   */
  isDataError?(error: unknown): boolean;
  /**
   * Replaces each record whose variant is still `replaces` (a variant since removed from the set)
   * by the new one; a record with another variant, or none, is left as it is. Optional: without
   * it, a user whose variant was removed is re-hashed on every load.
   */
  replace?(records: readonly SupersededAssignment[]): Promise<void>;
}

const ORIGINS: ReadonlySet<string> = new Set<AssignmentOrigin>(['hash', 'anonymous']);

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Longest set name (and variant name) a store must hold; see {@link MAX_KEY_LENGTH}. */
export const MAX_NAME_LENGTH = 150;

// The key rule (engine/key-rule.ts) for keys and ids: no NUL, no unpaired surrogate, a bounded
// length. A record a database refuses would hold up the writes behind it, so it is refused here.
function textProblem(what: string, value: unknown, max: number, empty: boolean): string | null {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!empty && value === '') return `${what} must not be empty`;
  if (value.length > max) return `${what} must be at most ${max} characters, not ${value.length}`;
  const problem = keyProblem(value);
  return problem === null ? null : `${what} is invalid: ${problem}`;
}

/**
 * Why a record cannot be stored, or null when it can. Stores refuse a batch with such a record
 * whole (a programmer error, never retried into success); the store client drops it at `save`.
 */
export function recordProblem(record: UserAssignment): string | null {
  if (record === null || typeof record !== 'object') return 'a record must be an object';
  const problem =
    textProblem('key (the serialised key)', record.key, MAX_KEY_LENGTH, true) ??
    textProblem('setName', record.setName, MAX_NAME_LENGTH, false) ??
    textProblem('variant', record.variant, MAX_NAME_LENGTH, false);
  if (problem !== null) return problem;
  if (!isValidDate(record.assignedAt)) return 'assignedAt must be a valid Date';
  if (!ORIGINS.has(record.how)) return `how must be 'hash' or 'anonymous' (forced assignments are never stored), not ${String(record.how)}`;
  return null;
}

/** Why an alias cannot be stored, or null when it can. */
export function aliasProblem(record: AliasRecord): string | null {
  if (record === null || typeof record !== 'object') return 'an alias must be an object';
  const problem =
    textProblem('anonymousId', record.anonymousId, MAX_KEY_LENGTH, false) ??
    textProblem('key (the serialised key)', record.key, MAX_KEY_LENGTH, true);
  if (problem !== null) return problem;
  if (!isValidDate(record.aliasedAt)) return 'aliasedAt must be a valid Date';
  return null;
}

// Untyped callers may pass anything; a boolean (not a type guard) keeps the records' type.
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

/** Throws a TypeError naming the first record of a batch that cannot be stored. */
export function checkBatch(records: readonly UserAssignment[]): void {
  if (!isList(records)) throw new TypeError('save expects an array of assignment records');
  records.forEach((record, i) => {
    const problem = recordProblem(record);
    if (problem !== null) throw new TypeError(`assignment record ${i} is invalid: ${problem}`);
  });
}

/** Throws a TypeError naming the first alias of a batch that cannot be stored. */
export function checkAliases(records: readonly AliasRecord[]): void {
  if (!isList(records)) throw new TypeError('alias expects an array of alias records');
  records.forEach((record, i) => {
    const problem = aliasProblem(record);
    if (problem !== null) throw new TypeError(`alias record ${i} is invalid: ${problem}`);
  });
}
