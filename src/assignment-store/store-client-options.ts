// The options of the store client, their defaults, and the one parser that rejects mistakes.
import type { WriterTuning } from '../bounded/batch-writer-options.js';
import { checkKnownOptions, invalidOption as invalid, numberOption } from '../engine/option-checks.js';

/** What went wrong with the store, for `onError`. */
export type StoreFailure =
  /**
   * A load did not answer within `timeoutMs` (`timeout`), failed (`error`), or was not made because
   * the key rule refuses the key (`invalid`: a NUL, an unpaired surrogate, too long): the request went on without it.
   */
  | { readonly operation: 'load'; readonly key: string; readonly reason: 'timeout' | 'error' | 'invalid' }
  /**
   * A batch of saves and aliases could not be written (`refused: false`): it is retried after
   * `retryInMs`. Or the store refused one record for its data (`refused: true`, a SQLSTATE class
   * 22/23 error): that record alone is dropped, the rest of its batch written.
   */
  | { readonly operation: 'write'; readonly refused: boolean; readonly attempt: number; readonly items: number; readonly retryInMs: number }
  /** Records were dropped: the write queue was full, or `close` gave up on them. */
  | { readonly operation: 'drop'; readonly count: number; readonly dropped: number }
  /** A record given to `save` or `alias` was malformed (a programmer error) and was not queued. */
  | { readonly operation: 'save' | 'alias'; readonly reason: 'invalid' }
  /** Continuity could not be checked (the alias claim failed or timed out): the user did not take the visitor's variants. */
  | { readonly operation: 'claim'; readonly anonymousId: string }
  /** Records of variants since removed could not be replaced by the users' new hash (they are re-hashed on each load). */
  | { readonly operation: 'replace'; readonly count: number };

/**
 * Options of a store client (the `store` options of the middleware). Its writes' defaults:
 * `writeTimeoutMs` 5,000, `maxBatch` 500, `flushIntervalMs` 200, `maxQueue` 100,000, `retryMs` 100,
 * `maxRetryMs` 5,000.
 */
export interface StoreClientOptions extends WriterTuning {
  /** Longest a load may hold a request, in ms (default 50). Past it the load answers "unknown". */
  timeoutMs?: number;
  /** The in-process cache of loaded users, or `false` for none. */
  cache?: { ttlMs?: number; maxEntries?: number } | false;
  /** Told of every timeout, failed query, failed write and drop. Default: console.error, at most once a second. */
  onError?: (error: unknown, info: StoreFailure) => void;
}

/** The validated, frozen options. */
export interface StoreClientConfig {
  readonly timeoutMs: number;
  readonly cacheTtlMs: number;
  /** 0 when the cache is off. */
  readonly cacheMaxEntries: number;
  readonly writeTimeoutMs: number;
  readonly maxBatch: number;
  readonly flushIntervalMs: number;
  readonly maxQueue: number;
  readonly retryMs: number;
  readonly maxRetryMs: number;
  readonly onError: (error: unknown, info: StoreFailure) => void;
}

/** Defaults: small enough that a slow database costs a request at most 50 ms. */
export const STORE_DEFAULTS = {
  timeoutMs: 50,
  cacheTtlMs: 30_000,
  cacheMaxEntries: 10_000,
  writeTimeoutMs: 5_000,
  maxBatch: 500,
  flushIntervalMs: 200,
  maxQueue: 100_000,
  retryMs: 100,
  maxRetryMs: 5_000,
} as const;

const NAMES: { [K in keyof Required<StoreClientOptions>]: true } = {
  timeoutMs: true,
  cache: true,
  writeTimeoutMs: true,
  maxBatch: true,
  flushIntervalMs: true,
  maxQueue: true,
  retryMs: true,
  maxRetryMs: true,
  onError: true,
};
const CACHE_NAMES = { ttlMs: true, maxEntries: true } as const;

function number(option: string, value: unknown, fallback: number, min: number, integer: boolean): number {
  return numberOption(option, value, fallback, { min, integer });
}

/** Logs failures, at most one line a second, with how many more there were. */
function throttledConsole(): (error: unknown, info: StoreFailure) => void {
  let last = 0;
  let suppressed = 0;
  return (error, info) => {
    const now = Date.now();
    if (now - last < 1000) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (and ${suppressed} more store failures in the last second)` : '';
    last = now;
    suppressed = 0;
    console.error(`tracks-ab: store ${info.operation} failed${more}:`, error);
  };
}

/** Fills defaults and validates; `prefix` names the options in errors (`option store.timeoutMs …`). */
export function parseStoreOptions(options: StoreClientOptions = {}, prefix = 'store'): StoreClientConfig {
  if (typeof options !== 'object' || options === null) throw invalid(prefix, options, 'expected an object');
  checkKnownOptions(prefix, options, NAMES);
  const cache = options.cache ?? {};
  if (cache !== false && (typeof cache !== 'object' || cache === null)) throw invalid(`${prefix}.cache`, cache, 'expected an object or false');
  if (cache !== false) checkKnownOptions(`${prefix}.cache`, cache, CACHE_NAMES);
  if (options.onError !== undefined && typeof options.onError !== 'function')
    throw invalid(`${prefix}.onError`, options.onError, 'expected a function');
  const d = STORE_DEFAULTS;
  const retryMs = number(`${prefix}.retryMs`, options.retryMs, d.retryMs, 1, false);
  const maxRetryMs = number(`${prefix}.maxRetryMs`, options.maxRetryMs, Math.max(d.maxRetryMs, retryMs), 1, false);
  if (maxRetryMs < retryMs) throw invalid(`${prefix}.maxRetryMs`, maxRetryMs, `expected at least retryMs, ${retryMs}`);
  return Object.freeze({
    timeoutMs: number(`${prefix}.timeoutMs`, options.timeoutMs, d.timeoutMs, 1, false),
    cacheTtlMs: cache === false ? 0 : number(`${prefix}.cache.ttlMs`, cache.ttlMs, d.cacheTtlMs, 1, false),
    cacheMaxEntries: cache === false ? 0 : number(`${prefix}.cache.maxEntries`, cache.maxEntries, d.cacheMaxEntries, 2, true),
    writeTimeoutMs: number(`${prefix}.writeTimeoutMs`, options.writeTimeoutMs, d.writeTimeoutMs, 1, false),
    maxBatch: number(`${prefix}.maxBatch`, options.maxBatch, d.maxBatch, 1, true),
    flushIntervalMs: number(`${prefix}.flushIntervalMs`, options.flushIntervalMs, d.flushIntervalMs, 1, false),
    maxQueue: number(`${prefix}.maxQueue`, options.maxQueue, d.maxQueue, 1, true),
    retryMs,
    maxRetryMs,
    onError: options.onError ?? throttledConsole(),
  });
}
