// The anonymous visitor's id cookie: signed with a secret, verified once per distinct value.
import type { BoundedMemo } from '../bounded/memo.js';
import type { CookieSigner } from './signer.js';

/** A valid anonymous id: what this library generates (a UUID) or any similar opaque token. */
const ANONYMOUS_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Longer than any id cookie this library writes (an id of 64, a dot, a 43-character signature). */
const MAX_RAW_LENGTH = 128;

/** What an anonymous-id cookie value proved. */
export interface CarriedId {
  /** The verified id, or null when the cookie is missing, malformed, unsigned or signed by no listed secret. */
  readonly id: string | null;
  /** True when an older secret signed it: the cookie is re-signed with the current one. */
  readonly renew: boolean;
}

const NO_ID: CarriedId = Object.freeze({ id: null, renew: false });

function verify(raw: string, signer: CookieSigner): CarriedId {
  if (raw.length > MAX_RAW_LENGTH) return NO_ID;
  const { value, renew } = signer.unsign(raw);
  return value !== null && ANONYMOUS_ID.test(value) ? Object.freeze({ id: value, renew }) : NO_ID;
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
  if (found === undefined) memo.set(raw, (found = verify(raw, signer)));
  return found;
}

/** A new anonymous id: a random UUID. */
export function newAnonymousId(): string {
  return globalThis.crypto.randomUUID();
}

/** The id cookie's value for `id`: signed with the current secret, or the id itself unsigned. */
export function anonymousCookieValue(id: string, signer: CookieSigner): string {
  return signer.sign(id);
}
