// HMAC-SHA256 cookie signatures with Web Crypto (async): byte for byte what the node:crypto Signer writes.
import type { Unsigned } from './signer.js';

const encoder = new TextEncoder();

/** Web Crypto's key type, named without the DOM library. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** base64url without padding, as Node's `digest('base64url')` writes it. */
export function base64url(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i++) binary += String.fromCharCode(view[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Compares two strings in time that depends only on their length, like `timingSafeEqual`. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Signs with the first secret and accepts any of them, as `Signer` does, with `crypto.subtle`:
 * no Buffer, no node:crypto, so it runs in Workers, Deno, Bun and browsers as in Node. The keys
 * are imported once, on first use.
 */
export class WebCryptoSigner {
  readonly #secrets: readonly string[];
  #keys: Promise<HmacKey[]> | null = null;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Whether values are signed at all. */
  get signs(): boolean {
    return this.#secrets.length > 0;
  }

  #imported(): Promise<HmacKey[]> {
    // UTF-8 bytes of the secret: what Buffer.from(secret, 'utf8') gives the node:crypto signer.
    this.#keys ??= Promise.all(
      this.#secrets.map((secret) => crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])),
    );
    return this.#keys;
  }

  async #mac(key: HmacKey, value: string): Promise<string> {
    return base64url(await crypto.subtle.sign('HMAC', key, encoder.encode(value)));
  }

  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  async sign(value: string): Promise<string> {
    if (!this.signs) return value;
    const [key] = await this.#imported();
    return value + '.' + (await this.#mac(key!, value));
  }

  /**
   * Checks a signed value against every secret, comparing the exact base64url text this signer
   * writes in constant time, so that, as with `Signer`, no other spelling of a signature passes.
   */
  async unsign(signed: string): Promise<Unsigned> {
    if (!this.signs) return { value: signed, renew: false };
    const dot = signed.lastIndexOf('.');
    if (dot < 0) return { value: null, renew: false };
    const value = signed.slice(0, dot);
    const given = signed.slice(dot + 1);
    const keys = await this.#imported();
    for (let i = 0; i < keys.length; i++) {
      if (sameText(given, await this.#mac(keys[i]!, value))) return { value, renew: i > 0 };
    }
    return { value: null, renew: false };
  }
}
