// Writes what a request changed, once, just before its headers go out: cookies and cache policy.
import { serialize, type SerializeOptions } from 'cookie';
import type { CompiledTrackSet } from '../engine/compile.js';
import type { HttpExchange } from './exchange.js';
import type { Setup } from './setup.js';
import type { StickyState } from '../cookies/sticky-state.js';
import { anonymousCookieValue } from '../cookies/anonymous-id.js';
import type { RequestInputs } from './inputs.js';

/** RFC 6265 section 6.1: user agents must keep cookies of at least 4096 bytes (name, value, attributes). */
export const MAX_COOKIE_BYTES = 4096;

/** What one request that read (`get`) or peeked at a set leaves to write. */
export interface PendingWrite {
  /** The sticky state to write, or null when it did not change or may not be written (bots, peeks). */
  state: StickyState | null;
  /** An anonymous id whose cookie to set (new, signed with an older secret, or carried into an account), or null. */
  anonymousId: string | null;
  /** The tag of the account the id was carried into, kept in its cookie; null when none. */
  claim: string | null;
  /** The sets `get` read in this request: their entries are kept first when the cookie is full. */
  read: readonly CompiledTrackSet[];
}

/**
 * What a request whose sticky state changed writes: the state, and the anonymous id's cookie with
 * it (a new id, or one signed with an older secret), since a sticky cookie bound to an anonymous id
 * is useless without the id's own. Logging in (`carrying` the visitor's variants into an account),
 * the id's cookie names the account, so that no other account can take the variants. The id is read
 * only here, when writing.
 */
export function pendingWrite<Req>(
  inputs: RequestInputs<Req>,
  state: StickyState,
  carrying: boolean,
  read: readonly CompiledTrackSet[],
): PendingWrite {
  const carried = inputs.carried;
  let anonymousId = inputs.isAnonymous ? (inputs.newAnonymousId ?? (carried.renew ? carried.id : null)) : null;
  let claim = anonymousId !== null && anonymousId === carried.id ? carried.claim : null;
  if (carrying && carried.claim === null) [anonymousId, claim] = [carried.id, inputs.setup.signer.tag(inputs.userKey!)];
  return { state, anonymousId, claim, read };
}

/**
 * Makes a Cache-Control value that no shared cache will store: adds `private`, removes `public`
 * and `s-maxage`, keeps the rest (a browser may still cache the user's own page).
 */
export function privateCacheControl(existing: string | undefined): string {
  if (!existing) return 'private';
  const directives = existing
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (directives.some((d) => /^(private|no-store)$/i.test(d))) return existing;
  return ['private', ...directives.filter((d) => !/^(public|s-maxage\s*=.*)$/i.test(d))].join(', ');
}

/**
 * Applies a request's pending writes to the response: the cookies (`pending`, null when there are
 * none: most requests), and (the request read or peeked at a variant, so the response depends on
 * the user) the private cache policy. Never throws.
 */
export function writeResponse<Req>(setup: Setup<Req>, exchange: HttpExchange, pending: PendingWrite | null): void {
  const { cache } = setup.config;
  const changed = pending?.state?.changed === true;
  if (pending !== null && (changed || pending.anonymousId !== null)) writeCookies(setup, exchange, pending, changed);
  if (cache === 'private') {
    const current = exchange.getResponseHeader('cache-control');
    const value = privateCacheControl(current === undefined ? undefined : String(current));
    if (value !== current) exchange.setResponseHeader('cache-control', value);
  }
}

function writeCookies<Req>(setup: Setup<Req>, exchange: HttpExchange, pending: PendingWrite, changed: boolean): void {
  const { cookie } = setup.config;
  const attributes: SerializeOptions = {
    maxAge: cookie.maxAge,
    domain: cookie.domain,
    path: cookie.path,
    sameSite: cookie.sameSite,
    // Browsers drop SameSite=None cookies that are not Secure, so 'none' always sends Secure.
    secure: cookie.sameSite === 'none' || (cookie.secure === 'auto' ? exchange.isSecure() : cookie.secure),
    httpOnly: cookie.httpOnly,
  };
  if (changed) {
    const room = MAX_COOKIE_BYTES - serialize(cookie.name, '', attributes).length;
    exchange.appendSetCookie(serialize(cookie.name, pending.state!.serialize(setup.signer, room, pending.read), attributes));
  }
  if (pending.anonymousId !== null) {
    exchange.appendSetCookie(serialize(cookie.anonymousName, anonymousCookieValue(pending.anonymousId, setup.signer, pending.claim), attributes));
  }
}
