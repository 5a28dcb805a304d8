// HMAC-SHA256 cookie signatures and identity tags with Web Crypto (async): byte for byte what the node:crypto Signer writes.
import { NOT_VERIFIED, SIGNATURE, TAG_BYTES, TAG_PREFIX, type Unsigned } from './signer.js';

const encoder = new TextEncoder();

/** Web Crypto's key type, named without the DOM library. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** base64url without padding, as Node's `digest('base64url')` writes it. */
export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
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
 * Signs with the first secret and accepts any of them, and tags identities, as `Signer` does,
 * with `crypto.subtle`: no Buffer, no node:crypto, so it runs in Workers, Deno, Bun and browsers
 * as in Node. The keys are imported once, on first use.
 */
export class WebCryptoSigner {
  readonly #secrets: readonly string[];
  #keys: Promise<HmacKey[]> | null = null;
  #macs = 0;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Whether values are signed at all. */
  get signs(): boolean {
    return this.#secrets.length > 0;
  }

  /** How many HMACs this signer computed (for tests: a returning visitor costs none). */
  get macCount(): number {
    return this.#macs;
  }

  #imported(): Promise<HmacKey[]> {
    // UTF-8 bytes of the secret: what Buffer.from(secret, 'utf8') gives the node:crypto signer.
    this.#keys ??= Promise.all(
      this.#secrets.map((secret) => crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])),
    );
    return this.#keys;
  }

  async #mac(secret: number, value: string): Promise<ArrayBuffer> {
    const key = (await this.#imported())[secret];
    if (key === undefined) throw new RangeError(`no secret at position ${secret}`);
    this.#macs++;
    return crypto.subtle.sign('HMAC', key, encoder.encode(value));
  }

  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  async sign(value: string): Promise<string> {
    if (!this.signs) return value;
    return value + '.' + base64url(await this.#mac(0, value));
  }

  /**
   * Checks a signed value against every secret. As with `Signer`, only the exact base64url text
   * this signer writes verifies (43 characters of that alphabet, compared in constant time), so
   * no other spelling of a signature passes.
   */
  async unsign(signed: string): Promise<Unsigned> {
    if (!this.signs) return { value: signed, renew: false, secret: -1 };
    const dot = signed.lastIndexOf('.');
    if (dot < 0) return NOT_VERIFIED;
    const given = signed.slice(dot + 1);
    if (!SIGNATURE.test(given)) return NOT_VERIFIED;
    const value = signed.slice(0, dot);
    for (let i = 0; i < this.#secrets.length; i++) {
      if (sameText(given, base64url(await this.#mac(i, value)))) return { value, renew: i > 0, secret: i };
    }
    return NOT_VERIFIED;
  }

  /** The keyed tag of an identity: the first 72 bits of HMAC-SHA256(secret, 'identity:' + identity), base64url. */
  async tag(identity: string, secret = 0): Promise<string> {
    return base64url(new Uint8Array(await this.#mac(secret, TAG_PREFIX + identity), 0, TAG_BYTES));
  }
}
