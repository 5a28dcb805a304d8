// The options of redisAssignmentStore: the key prefix and each set's expiry, checked once at start-up.
import { show, TracksError } from '../engine/errors.js';

/** How long one set's records are kept: for `afterMs` after each user's assignment, or until a date (when the test ends). */
export type RedisSetExpiry = { readonly afterMs: number } | { readonly at: Date };

/** Options of `redisAssignmentStore`. */
export interface RedisStoreOptions {
  /**
   * Put before every key this store writes; default `tracks:`. Several apps (or tenants) share a
   * server with prefixes of their own. It may not hold `{` or `}` (they would move the Redis
   * Cluster hash tag away from the user key).
   */
  prefix?: string;
  /**
   * Sets whose records age out, by set name: `{ 'pricing-2025': { afterMs: 90 * 86_400_000 } }`
   * keeps each user's record 90 days after they were assigned; `{ at: new Date('2026-03-01') }`
   * keeps them all until then. A record that has aged out is never loaded (the user is hashed
   * again) and its memory is freed (see docs/schema.md). Sets not named are kept for ever.
   */
  expire?: Readonly<Record<string, RedisSetExpiry>>;
}

/** The resolved options. */
export interface RedisStoreConfig {
  readonly prefix: string;
  /** When a record of `setName` assigned at `assignedAt` (ms) ages out, in epoch ms, or null. */
  readonly expiresAt: (setName: string, assignedAt: number) => number | null;
}

const NAMES: { [K in keyof Required<RedisStoreOptions>]: true } = { prefix: true, expire: true };

function invalid(option: string, value: unknown, hint: string): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_OPTION', `option ${option} is invalid: ${show(value)} (${hint})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseExpiry(setName: string, value: unknown): (assignedAt: number) => number {
  const option = `expire[${JSON.stringify(setName)}]`;
  const hint = 'expected { afterMs: a positive number } or { at: a valid Date }';
  if (!isObject(value) || Object.keys(value).length !== 1) throw invalid(option, value, hint);
  if ('afterMs' in value) {
    const after = value.afterMs;
    if (typeof after !== 'number' || !Number.isFinite(after) || after <= 0) throw invalid(`${option}.afterMs`, after, 'expected a positive number');
    return (assignedAt) => assignedAt + Math.ceil(after);
  }
  if ('at' in value) {
    const at = value.at;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw invalid(`${option}.at`, at, 'expected a valid Date');
    const ms = at.getTime();
    return () => ms;
  }
  throw invalid(option, value, hint);
}

/** Fills the defaults and refuses what cannot work, naming the option. */
export function parseRedisStoreOptions(options: RedisStoreOptions = {}): RedisStoreConfig {
  if (!isObject(options)) throw invalid('options', options, 'expected an object');
  for (const name of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(NAMES, name)) {
      throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option ${name} is unknown (known: ${Object.keys(NAMES).join(', ')})`);
    }
  }
  const prefix = options.prefix ?? 'tracks:';
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) throw invalid('prefix', prefix, 'expected a string without { or }');
  const expire = options.expire ?? {};
  if (!isObject(expire)) throw invalid('expire', expire, 'expected an object of set names');
  // A Map, so a set named `__proto__` is a set like any other.
  const rules = new Map(Object.entries(expire).map(([setName, value]) => [setName, parseExpiry(setName, value)] as const));
  return Object.freeze({
    prefix,
    expiresAt: (setName: string, assignedAt: number): number | null => rules.get(setName)?.(assignedAt) ?? null,
  });
}
