// A Fetch request's synchronous signer: cookies verified with Web Crypto before the handler, signatures filled in after.
import { parse as parseCookieHeader } from 'cookie';
import type { CookieSigner } from './cookie-signer.js';
import { BoundedMemo } from './memo.js';
import type { Setup } from './setup.js';
import type { Unsigned } from './signer.js';
import type { CookieSnapshot } from './sticky-state.js';
import type { WebCryptoSigner } from './web-crypto-signer.js';

/** RFC 6265 §6.1's 4,096 bytes: the sticky state rejects longer values unread, so they are not verified. */
const MAX_VERIFIED_LENGTH = 4096;

/**
 * The signer of a setup whose requests are all prepared (the Fetch adapter's): each request
 * replaces it with its own `PreparedSigner`, so reaching this one is a bug in the adapter.
 */
export const UNPREPARED_SIGNER: CookieSigner = Object.freeze({
  signs: true,
  sign(): string {
    throw new Error('tracks-ab: this setup signs with Web Crypto; call prepareRequest() and use its setup');
  },
  unsign(): Unsigned {
    throw new Error('tracks-ab: this setup verifies with Web Crypto; call prepareRequest() and use its setup');
  },
});

/**
 * Answers `unsign` from the verdicts computed before the handler, and answers `sign` with a
 * placeholder of the signature's exact length (43 base64url characters), which `seal` replaces
 * by the real HMAC once the response is known. Values are signed as `Signer` signs them.
 */
export class PreparedSigner implements CookieSigner {
  readonly #web: WebCryptoSigner;
  readonly #verified: ReadonlyMap<string, Unsigned>;
  #pending: Map<string, string> | null = null;
  #prefix = '';
  #count = 0;

  constructor(web: WebCryptoSigner, verified: ReadonlyMap<string, Unsigned>) {
    this.#web = web;
    this.#verified = verified;
  }

  get signs(): boolean {
    return this.#web.signs;
  }

  sign(value: string): string {
    if (!this.signs) return value;
    if (this.#prefix === '') {
      // 32 random base64url characters and an 11-character counter: no cookie text can contain it by chance.
      const random = crypto.getRandomValues(new Uint8Array(24));
      this.#prefix = btoa(String.fromCharCode(...random))
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
    }
    const token = this.#prefix + (this.#count++).toString(36).padStart(11, '0');
    (this.#pending ??= new Map()).set(token, value);
    return value + '.' + token;
  }

  unsign(signed: string): Unsigned {
    if (!this.signs) return { value: signed, renew: false };
    // Every cookie this request carries was verified beforehand; anything else is not trusted.
    return this.#verified.get(signed) ?? { value: null, renew: false };
  }

  /** `text` (a Set-Cookie header) with each placeholder replaced by its real signature. */
  async seal(text: string): Promise<string> {
    if (this.#pending === null) return text;
    let sealed = text;
    for (const [token, value] of this.#pending) {
      if (!sealed.includes(token)) continue;
      const signed = await this.#web.sign(value);
      sealed = sealed.split(token).join(signed.slice(value.length + 1));
    }
    return sealed;
  }
}

/** A shared memo that always answers one raw cookie with the snapshot found before the handler ran. */
class PinnedMemo extends BoundedMemo<CookieSnapshot> {
  constructor(
    private readonly shared: BoundedMemo<CookieSnapshot>,
    private readonly raw: string,
    private readonly snapshot: CookieSnapshot,
  ) {
    super(1);
  }

  override get(key: string): CookieSnapshot | undefined {
    return key === this.raw ? this.snapshot : this.shared.get(key);
  }

  override set(key: string, value: CookieSnapshot): void {
    this.shared.set(key, value);
  }

  override get size(): number {
    return this.shared.size;
  }
}

/** What `prepareRequest` gives one request. */
export interface PreparedRequest<Req> {
  /** The setup to build the request's tracks with: its own signer, and the cookie memo pinned. */
  readonly setup: Setup<Req>;
  /** Replaces the signature placeholders in a Set-Cookie header by real signatures. */
  seal(setCookie: string): Promise<string>;
}

/**
 * Does, before the handler, the only async work the request layer needs: verifying the sticky
 * cookie with Web Crypto. A cookie already in the setup's memo (a returning visitor's) costs
 * nothing and stays pinned for the request, even if the memo drops it meanwhile; another is
 * verified once, and the sticky state then reads the verdict synchronously.
 */
export async function prepareRequest<Req>(setup: Setup<Req>, web: WebCryptoSigner, cookieHeader: string | null): Promise<PreparedRequest<Req>> {
  const verified = new Map<string, Unsigned>();
  let cookies = setup.cookies;
  if (cookieHeader && web.signs) {
    const raw = parseCookieHeader(cookieHeader)[setup.config.cookie.name];
    if (raw !== undefined && raw.length <= MAX_VERIFIED_LENGTH) {
      const known = setup.cookies.get(raw);
      if (known !== undefined) cookies = new PinnedMemo(setup.cookies, raw, known);
      else verified.set(raw, await web.unsign(raw));
    }
  }
  const signer = new PreparedSigner(web, verified);
  return { setup: { ...setup, signer, cookies }, seal: (text) => signer.seal(text) };
}
