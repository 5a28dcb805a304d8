// The middleware's side of an assignment store: bounded loads from a cache, writes through a retrying queue.
import { withRecords, AssignmentCache, UnwrittenAssignments } from './assignment-cache.js';
import {
  aliasProblem,
  recordProblem,
  type AliasRecord,
  type UserAssignment,
  type AssignmentStore,
  type RememberedAssignments,
} from './assignment-store.js';
import { BatchWriter, type BatchWriterStats } from '../bounded/batch-writer.js';
import { callSafely } from '../engine/thenable.js';
import { parseStoreOptions, type StoreClientConfig, type StoreClientOptions, type StoreFailure } from './store-client-options.js';
import { show, TracksError } from '../engine/errors.js';
import { invalidKeyError, keyProblem } from '../engine/key-rule.js';
import { checkAnswer } from './load-answer.js';
import { rememberStoreBehind } from './direct-writes.js';

/** Counters of a store client, for health checks and the fault report. */
export interface StoreClientStats extends BatchWriterStats {
  /** Loads answered from the cache. */
  readonly hits: number;
  /** Loads that had to ask the store. */
  readonly misses: number;
  /** Loads that answered "unknown" because the store took longer than `timeoutMs`. */
  readonly timeouts: number;
  /** Loads that answered "unknown" because the store failed. */
  readonly errors: number;
  /** Malformed records refused by `save` or `alias`. */
  readonly invalid: number;
  /** Users in the cache. */
  readonly cached: number;
  /** Store queries in flight. */
  readonly loading: number;
}

type Outcome = { readonly ok: true; readonly assignments: RememberedAssignments } | { readonly ok: false };

interface Flight {
  readonly outcome: Promise<Outcome>;
  /** Records saved for the key while the query ran: its answer may predate their write. */
  readonly late: UserAssignment[];
  timedOut: boolean;
}

const UNKNOWN: Outcome = { ok: false };

function isStore(value: unknown): value is AssignmentStore {
  const s = value as Partial<AssignmentStore> | null;
  return typeof s === 'object' && s !== null && ['load', 'save', 'alias'].every((m) => typeof (s as Record<string, unknown>)[m] === 'function');
}

/**
 * Stands between the middleware and an {@link AssignmentStore}: a load never rejects and never
 * holds a request past `timeoutMs`, fresh users come from a bounded in-process cache, concurrent
 * loads of one key share one query, and saves and aliases only enqueue into a {@link BatchWriter}
 * that writes them in batches, retrying with back-off from a bounded queue. The process sees its
 * own saves at once, before they are written.
 *
 * @example
 * const client = new StoreClient(postgresAssignmentStore(pool), { timeoutMs: 50 });
 * const remembered = client.cached(key) ?? (await client.load(key)); // null: unknown, go on without
 * client.save([{ key, setName: 'delay', variant: 'long', assignedAt: new Date(), how: 'hash' }]);
 * await client.close(); // on shutdown: writes what is queued
 */
export class StoreClient {
  /** The validated options. */
  readonly config: StoreClientConfig;
  readonly #store: AssignmentStore;
  readonly #cache: AssignmentCache | null;
  readonly #unwritten = new UnwrittenAssignments();
  readonly #inflight = new Map<string, Flight>();
  readonly #writer: BatchWriter<UserAssignment | AliasRecord>;
  #hits = 0;
  #misses = 0;
  #timeouts = 0;
  #errors = 0;
  #invalid = 0;
  #closed = false;

  /** Throws a TracksError (`option store.timeoutMs is invalid: …`) on a bad option; `prefix` names them. */
  constructor(store: AssignmentStore, options: StoreClientOptions = {}, prefix = 'store') {
    if (!isStore(store))
      throw new TracksError(
        'ERR_TRACKS_INVALID_OPTION',
        `option ${prefix} is invalid: ${show(store)} (expected an assignment store with load, save and alias)`,
      );
    this.#store = store;
    rememberStoreBehind(this, store);
    const config = (this.config = parseStoreOptions(options, prefix));
    this.#cache = config.cacheMaxEntries > 0 ? new AssignmentCache(config.cacheMaxEntries, config.cacheTtlMs) : null;
    this.#writer = new BatchWriter<UserAssignment | AliasRecord>({
      write: (batch) => this.#write(batch),
      isDataError: store.isDataError?.bind(store),
      writeTimeoutMs: config.writeTimeoutMs,
      maxBatch: config.maxBatch,
      flushIntervalMs: config.flushIntervalMs,
      maxQueue: config.maxQueue,
      retryMs: config.retryMs,
      maxRetryMs: config.maxRetryMs,
      onError: (error, { refused, attempt, items, retryInMs, item }) => {
        if (refused && item !== undefined && !('anonymousId' in item)) this.#forget(item);
        this.#report(error, { operation: 'write', refused, attempt, items, retryInMs });
      },
      onDrop: (count, stats) =>
        this.#report(new Error(`${count} store records dropped: the write queue is full or was closed`), {
          operation: 'drop',
          count,
          dropped: stats.dropped,
        }),
    });
  }

  /** The key's remembered assignments if the cache holds them fresh; no promise, no I/O. */
  cached(key: string): RememberedAssignments | undefined {
    const hit = this.#cache?.get(key);
    if (hit !== undefined) this.#hits++;
    return hit;
  }

  /**
   * The key's remembered assignments (an empty map for a user with none), or `null` when they are
   * unknown: the store failed, took longer than `timeoutMs`, or the client is closed. Never
   * rejects. A query that answers after the timeout still fills the cache for the next request.
   */
  load(key: string): Promise<RememberedAssignments | null> {
    const hit = this.#cache?.get(key);
    if (hit !== undefined) {
      this.#hits++;
      return Promise.resolve(hit);
    }
    this.#misses++;
    if (this.#closed) return Promise.resolve(null);
    // The key rule: a key no database holds as itself is never asked for (nor cached).
    const problem = keyProblem(key);
    if (problem !== null) {
      this.#invalid++;
      this.#report(invalidKeyError(key, problem), { operation: 'load', key, reason: 'invalid' });
      return Promise.resolve(null);
    }
    const flight = this.#inflight.get(key) ?? this.#start(key);
    return new Promise((resolve) => {
      let answered = false;
      const timer = setTimeout(() => {
        answered = true;
        this.#timeouts++;
        if (!flight.timedOut) {
          flight.timedOut = true;
          this.#report(new Error(`the assignment store did not answer within ${this.config.timeoutMs} ms`), {
            operation: 'load',
            key,
            reason: 'timeout',
          });
        }
        resolve(null);
      }, this.config.timeoutMs);
      timer.unref?.();
      void flight.outcome.then((outcome) => {
        if (answered) return;
        clearTimeout(timer);
        if (outcome.ok) return resolve(outcome.assignments);
        this.#errors++;
        resolve(null);
      });
    });
  }

  /**
   * Queues records for writing (first write wins in the store) and shows them at once in this
   * process's loads. Never throws and never waits: a malformed record goes to `onError`, a record
   * past the queue bound is dropped and counted, and a record for a set the key already has in
   * the cache is not written again.
   */
  save(records: readonly UserAssignment[]): void {
    for (const given of records) {
      const problem = recordProblem(given);
      if (problem !== null) {
        this.#invalid++;
        this.#report(new TypeError(`assignment record is invalid: ${problem}`), { operation: 'save', reason: 'invalid' });
        continue;
      }
      const { key, setName, variant, assignedAt, how } = given;
      if (this.#cache?.get(key)?.has(setName) || this.#unwritten.has(key, setName)) continue;
      const record: UserAssignment = { key, setName, variant, assignedAt: new Date(assignedAt), how };
      if (!this.#writer.enqueue(record)) continue;
      this.#unwritten.add(record);
      this.#cache?.merge(key, [record]);
      this.#inflight.get(key)?.late.push(record);
    }
  }

  /** Queues aliases (anonymous id → user key) for writing. Never throws and never waits. */
  alias(records: readonly AliasRecord[]): void {
    for (const given of records) {
      const problem = aliasProblem(given);
      if (problem !== null) {
        this.#invalid++;
        this.#report(new TypeError(`alias record is invalid: ${problem}`), { operation: 'alias', reason: 'invalid' });
        continue;
      }
      this.#writer.enqueue({ anonymousId: given.anonymousId, key: given.key, aliasedAt: new Date(given.aliasedAt) });
    }
  }

  /** Resolves true once everything queued before the call is written; false if `timeoutMs` passed first. */
  flush(timeoutMs?: number): Promise<boolean> {
    return this.#writer.flush(timeoutMs);
  }

  /**
   * Stops loading and queueing, and writes what is queued. After `timeoutMs` (default 10,000)
   * whatever is still unwritten is dropped and reported, so shutdown never hangs on a dead store.
   */
  async close(timeoutMs?: number): Promise<StoreClientStats> {
    this.#closed = true;
    await this.#writer.close(timeoutMs);
    this.#unwritten.clear();
    return this.stats;
  }

  /** Counters: cache hits and misses, timeouts, errors, and the write queue's. */
  get stats(): StoreClientStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      timeouts: this.#timeouts,
      errors: this.#errors,
      invalid: this.#invalid,
      cached: this.#cache?.size ?? 0,
      loading: this.#inflight.size,
      ...this.#writer.stats,
    };
  }

  #start(key: string): Flight {
    const late: UserAssignment[] = [];
    // A load that never settles (a thenable left hanging) is abandoned: later requests ask again.
    const abandon = setTimeout(() => settle(UNKNOWN), this.config.writeTimeoutMs);
    abandon.unref?.();
    const settle = (outcome: Outcome): Outcome => {
      clearTimeout(abandon);
      if (this.#inflight.get(key) === flight) this.#inflight.delete(key);
      return outcome;
    };
    const outcome = Promise.resolve()
      .then(() => this.#store.load(key))
      .then((answer: unknown): Outcome => {
        // A store outside its contract (null, a plain object, an array…) is a failed load, never a crash.
        const { assignments: loaded, problem } = checkAnswer(answer);
        if (problem !== null) this.#report(new TypeError(problem), { operation: 'load', key, reason: 'error' });
        if (loaded === null) return UNKNOWN;
        // What the store has comes first (it holds the first write); then this process's own
        // saves that it may not have seen yet.
        const assignments = withRecords(withRecords(loaded, this.#unwritten.of(key)), late);
        this.#cache?.set(key, assignments);
        return { ok: true, assignments };
      })
      .catch((error: unknown): Outcome => {
        this.#report(error, { operation: 'load', key, reason: 'error' });
        return UNKNOWN;
      })
      .then(settle);
    const flight: Flight = { outcome, late, timedOut: false };
    this.#inflight.set(key, flight);
    return flight;
  }

  async #write(batch: readonly (UserAssignment | AliasRecord)[]): Promise<void> {
    const records: UserAssignment[] = [];
    const aliases: AliasRecord[] = [];
    for (const item of batch) {
      if ('anonymousId' in item) aliases.push(item);
      else records.push(item);
    }
    if (records.length > 0) await this.#store.save(records);
    if (aliases.length > 0) await this.#store.alias(aliases);
    this.#unwritten.remove(records);
  }

  /** A record the store refused: this process stops showing it as if it were saved. */
  #forget(record: UserAssignment): void {
    this.#unwritten.remove([record]);
    const cached = this.#cache?.get(record.key);
    if (cached?.get(record.setName)?.variant !== record.variant) return;
    const rest = new Map(cached);
    rest.delete(record.setName);
    this.#cache!.set(record.key, rest);
  }

  #report(error: unknown, info: StoreFailure): void {
    callSafely(() => this.config.onError(error, info));
  }
}
