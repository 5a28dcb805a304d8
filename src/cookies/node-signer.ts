// Signs and verifies cookies with HMAC-SHA256 over a list of rotating secrets, and tags identities.
import { nodeCrypto } from '../engine/node-crypto.js';
import { NOT_VERIFIED, SIGNATURE, TAG, TAG_BYTES, TAG_PREFIX, type CookieSigner, type Unsigned } from './signer.js';

export type { Unsigned } from './signer.js';

/**
 * Signs with the first secret and accepts any of them, so secrets can be rotated: put the new one
 * first, keep the old one until every cookie signed with it has expired or been renewed.
 * With no secret at all, values pass through unsigned (anyone can then edit their cookie).
 */
export class Signer implements CookieSigner {
  readonly #keys: readonly Buffer[];
  #macs = 0;

  constructor(secrets: readonly string[]) {
    this.#keys = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  /** Whether cookies are signed at all. */
  get signs(): boolean {
    return this.#keys.length > 0;
  }

  /** How many HMACs this signer computed (for tests and benchmarks: a returning visitor costs none). */
  get macCount(): number {
    return this.#macs;
  }

  #mac(key: Buffer, value: string): Buffer {
    this.#macs++;
    return nodeCrypto().createHmac('sha256', key).update(value, 'utf8').digest();
  }

  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  sign(value: string): string {
    const key = this.#keys[0];
    return key ? value + '.' + this.#mac(key, value).toString('base64url') : value;
  }

  /**
   * Checks a signed value against every secret. Only the exact base64url text this signer writes
   * verifies: the signature must be 43 characters of the base64url alphabet (so no byte-level
   * respelling such as `%C5%A2` for `b` can pass) and is compared with a timing-safe comparison.
   */
  unsign(signed: string): Unsigned {
    if (this.#keys.length === 0) return { value: signed, renew: false, secret: -1 };
    const dot = signed.lastIndexOf('.');
    if (dot < 0) return NOT_VERIFIED;
    const signature = signed.slice(dot + 1);
    if (!SIGNATURE.test(signature)) return NOT_VERIFIED;
    const value = signed.slice(0, dot);
    // ASCII only (checked above), so one character is one byte.
    const given = Buffer.from(signature, 'ascii');
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(this.#mac(this.#keys[i]!, value).toString('base64url'), 'ascii');
      if (nodeCrypto().timingSafeEqual(given, expected)) return { value, renew: i > 0, secret: i };
    }
    return NOT_VERIFIED;
  }

  /**
   * The keyed tag of an identity under the secret at `secret` (default: the current one): the
   * first 72 bits of HMAC-SHA256(secret, 'identity:' + identity), base64url. It names who a cookie
   * was written for without revealing the identity, and nobody without the secret can make one.
   */
  tag(identity: string, secret = 0): string {
    const key = this.#keys[secret];
    if (!key) throw new RangeError(`no secret at position ${secret}`);
    return this.#mac(key, TAG_PREFIX + identity)
      .subarray(0, TAG_BYTES)
      .toString('base64url');
  }

  /** True when `tag` is the tag of `identity` under the secret at `secret` (timing-safe). */
  tagMatches(tag: string, identity: string, secret: number): boolean {
    if (!TAG.test(tag) || secret < 0 || secret >= this.#keys.length) return false;
    return nodeCrypto().timingSafeEqual(Buffer.from(tag, 'ascii'), Buffer.from(this.tag(identity, secret), 'ascii'));
  }
}
