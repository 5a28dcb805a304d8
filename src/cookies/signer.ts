// The signing contract the request layer uses, and the exact text it signs: Node's HMAC signer, or a Fetch request's prepared one.

/** What `unsign` found. */
export interface Unsigned {
  /** The value, or null when the signature is missing or matches no secret. */
  value: string | null;
  /** True when an older secret matched: the cookie should be re-signed with the current one. */
  renew: boolean;
  /** The position of the secret that matched (0 is the current one; -1 when none or unsigned). */
  secret: number;
}

/** base64url of a 32-byte HMAC-SHA256, without padding: exactly 43 characters of this alphabet. */
export const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** Identity tags are the first 9 bytes (72 bits) of an HMAC: 12 base64url characters. */
export const TAG_BYTES = 9;
/** What a tag looks like in a cookie. */
export const TAG = /^[A-Za-z0-9_-]{12}$/;

/**
 * Domain separation: a tag is the HMAC of `'identity:' + identity`, a text no cookie value this
 * library signs can equal (sticky payloads start with a format digit and `~`, anonymous ids have
 * no `:`), so a signature can never be passed off as a tag or the other way round.
 */
export const TAG_PREFIX = 'identity:';

/** An `unsign` answer for a value that does not verify. */
export const NOT_VERIFIED: Unsigned = Object.freeze({ value: null, renew: false, secret: -1 });

/**
 * What the request layer needs to sign and verify cookie values and tag identities, synchronously.
 * `Signer` (node:crypto) implements it for the Node adapters; the Fetch adapter, whose Web Crypto
 * is async, hands each request a `PreparedSigner` that did that request's HMACs beforehand.
 */
export interface CookieSigner {
  /** Whether values are signed at all (false without a secret). */
  readonly signs: boolean;
  /** How many HMACs were computed (for tests and benchmarks: a returning visitor costs none). */
  readonly macCount: number;
  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  sign(value: string): string;
  /** The value when the signature matches one of the secrets, and which one matched. */
  unsign(signed: string): Unsigned;
  /** The keyed tag of an identity under the secret at `secret` (default 0, the current one). */
  tag(identity: string, secret?: number): string;
  /** True when `tag` is the tag of `identity` under the secret at `secret` (timing-safe). */
  tagMatches(tag: string, identity: string, secret: number): boolean;
}
