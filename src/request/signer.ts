// Signs and verifies the sticky cookie with HMAC-SHA256 over a list of rotating secrets.
import { nodeCrypto } from '../engine/node-crypto.js';

/** What `Signer#unsign` found. */
export interface Unsigned {
  /** The value, or null when the signature is missing or matches no secret. */
  value: string | null;
  /** True when an older secret matched: the cookie should be re-signed with the current one. */
  renew: boolean;
}

/**
 * Signs with the first secret and accepts any of them, so secrets can be rotated: put the new one
 * first, keep the old one until every cookie signed with it has expired or been renewed.
 * With no secret at all, values pass through unsigned (anyone can then edit their cookie).
 */
export class Signer {
  readonly #keys: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    this.#keys = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  /** Whether cookies are signed at all. */
  get signs(): boolean {
    return this.#keys.length > 0;
  }

  #mac(key: Buffer, value: string): Buffer {
    return nodeCrypto().createHmac('sha256', key).update(value).digest();
  }

  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  sign(value: string): string {
    const key = this.#keys[0];
    return key ? value + '.' + this.#mac(key, value).toString('base64url') : value;
  }

  /**
   * Checks a signed value against every secret. The signature is compared as the exact base64url
   * text this signer writes, with a timing-safe comparison, so no other spelling is accepted.
   */
  unsign(signed: string): Unsigned {
    if (this.#keys.length === 0) return { value: signed, renew: false };
    const dot = signed.lastIndexOf('.');
    if (dot < 0) return { value: null, renew: false };
    const value = signed.slice(0, dot);
    const given = Buffer.from(signed.slice(dot + 1), 'latin1');
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(this.#mac(this.#keys[i]!, value).toString('base64url'), 'latin1');
      if (given.length === expected.length && nodeCrypto().timingSafeEqual(given, expected)) return { value, renew: i > 0 };
    }
    return { value: null, renew: false };
  }
}
