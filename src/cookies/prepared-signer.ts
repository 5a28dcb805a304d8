// A Fetch request's synchronous signer: its HMACs done with Web Crypto before the handler, tags and signatures filled in after.
import { NOT_VERIFIED, type CookieSigner, type Unsigned } from './signer.js';
import { base64url, sameText, type WebCryptoSigner } from './web-crypto-signer.js';

/**
 * The signer of a setup whose requests are all prepared (the Fetch adapter's): each request
 * replaces it with its own `PreparedSigner`, so reaching this one is a bug in the adapter.
 */
export const UNPREPARED_SIGNER: CookieSigner = Object.freeze({
  signs: true,
  macCount: 0,
  sign: unprepared,
  unsign: unprepared,
  tag: unprepared,
  tagMatches: unprepared,
});

function unprepared(): never {
  throw new Error('tracks-ab: this setup signs with Web Crypto; begin the request with beginRequest() and use the tracks it returns');
}

/** `bytes` random bytes as base64url: placeholders no cookie text contains by chance. */
function randomToken(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * Answers `unsign` and `tagMatches` from what was computed before the handler, and answers `sign`
 * and `tag` (when the tag was not computed) with placeholders of the exact length (43 and 12
 * base64url characters), which `seal` replaces by the real HMACs once the response is known:
 * tags first, then the signatures over the values with their real tags. Values are signed and
 * tagged as `Signer` signs and tags them.
 */
export class PreparedSigner implements CookieSigner {
  readonly #web: WebCryptoSigner;
  readonly #verified = new Map<string, Unsigned>();
  readonly #tags = new Map<string, string>();
  #signatures: Map<string, string> | null = null;
  #tagTokens: Map<string, string> | null = null;
  readonly #sealedTags = new Map<string, string>();

  constructor(web: WebCryptoSigner) {
    this.#web = web;
  }

  get signs(): boolean {
    return this.#web.signs;
  }

  /** The HMACs of the Web Crypto signer this request shares with every other. */
  get macCount(): number {
    return this.#web.macCount;
  }

  /** Before the handler: verifies a raw cookie value, so that `unsign` answers it. */
  async verify(raw: string): Promise<void> {
    this.#verified.set(raw, await this.#web.unsign(raw));
  }

  /** Before the handler: computes an identity's tag under a secret, so that `tagMatches` answers it. */
  async computeTag(identity: string, secret: number): Promise<string> {
    const tag = await this.#web.tag(identity, secret);
    this.#tags.set(`${secret}:${identity}`, tag);
    return tag;
  }

  sign(value: string): string {
    if (!this.signs) return value;
    const token = randomToken(32);
    (this.#signatures ??= new Map()).set(token, value);
    return value + '.' + token;
  }

  unsign(signed: string): Unsigned {
    if (!this.signs) return { value: signed, renew: false, secret: -1 };
    // Every cookie this request carries was verified beforehand; anything else is not trusted.
    return this.#verified.get(signed) ?? NOT_VERIFIED;
  }

  tag(identity: string, secret = 0): string {
    const known = this.#tags.get(`${secret}:${identity}`);
    if (known !== undefined) return known;
    if (secret !== 0) throw new RangeError('tracks-ab: only tags under the current secret are made after the handler');
    const token = randomToken(9);
    (this.#tagTokens ??= new Map()).set(token, identity);
    return token;
  }

  /**
   * Answers from the tags computed before the handler: those of the request's key and of the
   * anonymous id it carried. The only other identity a request can have is an anonymous id it
   * created in the handler, which no cookie can be bound to: false, as an HMAC would say.
   */
  tagMatches(tag: string, identity: string, secret: number): boolean {
    const known = this.#tags.get(`${secret}:${identity}`);
    return known !== undefined && sameText(tag, known);
  }

  /** `text` (a Set-Cookie header) with each placeholder replaced: real tags, then real signatures over the real values. */
  async seal(text: string): Promise<string> {
    if (this.#signatures === null) return text;
    let sealed = await this.#realTags(text);
    for (const [token, value] of this.#signatures) {
      if (!sealed.includes(token)) continue;
      const real = await this.#realTags(value);
      const signed = await this.#web.sign(real);
      sealed = sealed.split(token).join(signed.slice(real.length + 1));
    }
    return sealed;
  }

  async #realTags(text: string): Promise<string> {
    if (this.#tagTokens === null) return text;
    let real = text;
    for (const [token, identity] of this.#tagTokens) {
      if (!real.includes(token)) continue;
      let tag = this.#sealedTags.get(token);
      if (tag === undefined) this.#sealedTags.set(token, (tag = await this.#web.tag(identity)));
      real = real.split(token).join(tag);
    }
    return real;
  }
}
