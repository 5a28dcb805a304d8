// The anonymous visitor's id cookie: signed with a secret, verified once per distinct value.
import { detached, type BoundedMemo } from '../bounded/memo.js';
import { TAG, type CookieSigner } from './signer.js';

/** A valid anonymous id: what this library generates (a UUID) or any similar opaque token. */
const ANONYMOUS_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Longer than any id cookie this library writes (an id of 64, a claim of 13, a dot, a 43-character signature). */
const MAX_RAW_LENGTH = 160;

/** Between the id and the claim, in the signed value: neither an id nor a tag contains it. */
const CLAIM_SEPARATOR = '~';

/** What an anonymous-id cookie value proved. */
export interface CarriedId {
  /** The verified id, or null when the cookie is missing, malformed, unsigned or signed by no listed secret. */
  readonly id: string | null;
  /** True when an older secret signed it: the cookie is re-signed with the current one. */
  readonly renew: boolean;
  /**
   * With a secret, once the visitor's variants were carried into an account: the tag of that
   * account's key (the first alias; no other account may take them), else null.
   */
  readonly claim: string | null;
  /** The position of the secret that signed it (the claim's tag is under it); -1 unsigned. */
  readonly secret: number;
}

const NO_ID: CarriedId = Object.freeze({ id: null, renew: false, claim: null, secret: -1 });

function verify(raw: string, signer: CookieSigner): CarriedId {
  if (raw.length > MAX_RAW_LENGTH) return NO_ID;
  const { value, renew, secret } = signer.unsign(raw);
  if (value === null) return NO_ID;
  const at = signer.signs ? value.indexOf(CLAIM_SEPARATOR) : -1;
  const id = at < 0 ? value : value.slice(0, at);
  const claim = at < 0 ? null : value.slice(at + 1);
  if (!ANONYMOUS_ID.test(id) || (claim !== null && !TAG.test(claim))) return NO_ID;
  return Object.freeze({ id, renew, claim, secret });
}

/**
 * The id an anonymous-id cookie carries. With a secret the cookie is `<id>.<signature>` and only
 * an id this server signed counts (anyone could otherwise pick an id that the public hash puts in
 * the variant they want); without one, any well-formed token counts. Each distinct raw value is
 * verified once (bounded memo), so a returning visitor costs a lookup, not an HMAC.
 */
export function carriedId(raw: string | undefined, signer: CookieSigner, memo: BoundedMemo<CarriedId>): CarriedId {
  if (raw === undefined || raw.length > MAX_RAW_LENGTH) return NO_ID;
  let found = memo.get(raw);
  if (found === undefined) {
    // The id and claim kept are cut from a copy of the value, not from the request's header.
    const own = detached(raw);
    memo.set(own, (found = verify(own, signer)));
  }
  return found;
}

/** A new anonymous id: a random UUID. */
export function newAnonymousId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * The id cookie's value for `id`: signed with the current secret, or the id itself unsigned. With
 * `claim` (the tag of a user key; only with a secret) the signed value also carries it: the account
 * the visitor's variants were carried into, which no other account can then take. A claim renewed
 * under a new secret keeps its old tag, which then matches no account: still nobody else's.
 */
export function anonymousCookieValue(id: string, signer: CookieSigner, claim: string | null = null): string {
  return signer.sign(claim === null || !signer.signs ? id : id + CLAIM_SEPARATOR + claim);
}
