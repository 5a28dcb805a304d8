// What one `tracks(sets, options)` call prepares at start-up and every request then shares.
import { parseOptions, type Config, type Options } from './options.js';
import { buildRegistry, type Registry } from '../engine/registry.js';
import { BoundedMemo, DEFAULT_MEMO_BYTES } from '../bounded/memo.js';
import type { CookieSigner } from '../cookies/signer.js';
import { Signer } from '../cookies/node-signer.js';
import type { CookieSnapshot } from '../cookies/sticky-state.js';
import type { CarriedId } from '../cookies/anonymous-id.js';
import type { AnySetClass } from '../engine/track-set.js';

/** The validated configuration, the compiled sets, the signer and the bounded memos. */
export interface Setup<Req> {
  readonly config: Config<Req>;
  readonly registry: Registry;
  readonly signer: CookieSigner;
  /** Verified cookies by raw value: a returning visitor's cookie is verified once, not per request. */
  readonly cookies: BoundedMemo<CookieSnapshot>;
  /** Verified anonymous-id cookies by raw value: the same once-per-distinct-value verification. */
  readonly ids: BoundedMemo<CarriedId>;
  /** Bot verdicts by User-Agent: a handful of User-Agents make most traffic. */
  readonly bots: BoundedMemo<boolean>;
  /** Anonymous ids this process carried into an account, and whose: first alias wins (with a store, as the store confirmed). */
  readonly aliases: BoundedMemo<string>;
}

// Bounded so memory never grows with users: at most twice these many entries are held.
const COOKIE_MEMO_SIZE = 5_000;
const BOT_MEMO_SIZE = 1_000;
/** Signed cookie values are looked up by their last characters, part of their HMAC (see `BoundedMemo`'s `tail`). */
const SIGNED_TAIL = 8;

/**
 * Validates everything once, so a misconfiguration fails at start-up with a message that says
 * what to fix, and returns what adapters need per request. `makeSigner` replaces the node:crypto
 * signer (the Fetch adapter signs with Web Crypto, and must not touch Buffer or node:crypto).
 */
export function createSetup<Req>(
  sets: readonly AnySetClass[],
  options: Options<Req> | undefined,
  makeSigner: (secrets: readonly string[]) => CookieSigner = (secrets) => new Signer(secrets),
): Setup<Req> {
  const config = parseOptions(options);
  const registry = buildRegistry(sets);
  const signer = makeSigner(config.cookie.secrets);
  // Unsigned values (no secret) often share their ends (the same last entry): looked up whole.
  const tail = config.cookie.secrets.length > 0 ? SIGNED_TAIL : 0;
  return Object.freeze({
    config,
    registry,
    signer,
    cookies: new BoundedMemo<CookieSnapshot>(COOKIE_MEMO_SIZE, DEFAULT_MEMO_BYTES, null, tail),
    ids: new BoundedMemo<CarriedId>(COOKIE_MEMO_SIZE, DEFAULT_MEMO_BYTES, null, tail),
    bots: new BoundedMemo<boolean>(BOT_MEMO_SIZE),
    aliases: new BoundedMemo<string>(COOKIE_MEMO_SIZE),
  });
}
