// The options of redisAssignmentStore: the key prefix and each set's expiry, checked once at start-up.
import { checkKnownOptions, invalidOption, isPlainObject, numberOption, optionsObject } from '../engine/option-checks.js';

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

function parseExpiry(setName: string, value: unknown): (assignedAt: number) => number {
  const option = `expire[${JSON.stringify(setName)}]`;
  const hint = 'expected { afterMs: a positive number } or { at: a valid Date }';
  if (!isPlainObject(value) || Object.keys(value).length !== 1) throw invalidOption(option, value, hint);
  if (Object.prototype.hasOwnProperty.call(value, 'afterMs')) {
    if (value.afterMs === undefined) throw invalidOption(`${option}.afterMs`, value.afterMs, 'expected a positive number of ms');
    const after = numberOption(`${option}.afterMs`, value.afterMs, 0, { unit: 'ms' });
    return (assignedAt) => assignedAt + Math.ceil(after);
  }
  if (Object.prototype.hasOwnProperty.call(value, 'at')) {
    const at = value.at;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw invalidOption(`${option}.at`, at, 'expected a valid Date');
    const ms = at.getTime();
    return () => ms;
  }
  throw invalidOption(option, value, hint);
}

/** Fills the defaults and refuses what cannot work, naming the option. */
export function parseRedisStoreOptions(options: RedisStoreOptions = {}): RedisStoreConfig {
  optionsObject('options', options);
  checkKnownOptions('', options, NAMES);
  const prefix = options.prefix ?? 'tracks:';
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) throw invalidOption('prefix', prefix, 'expected a string without { or }');
  const expire = optionsObject('expire', options.expire ?? {}, 'expected an object of set names');
  // A Map, so a set named `__proto__` is a set like any other.
  const rules = new Map(Object.entries(expire).map(([setName, value]) => [setName, parseExpiry(setName, value)] as const));
  return Object.freeze({
    prefix,
    expiresAt: (setName: string, assignedAt: number): number | null => rules.get(setName)?.(assignedAt) ?? null,
  });
}
