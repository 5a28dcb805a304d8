// Who is visiting the store: the demo's login cookie, and the fixed list of VIPs kept out of every test.
import { parse as parseCookies } from 'cookie';

/** The cookie `/login?user=alice` sets. A demo login: a real store would use its session. */
export const LOGIN_COOKIE = 'user';

/** Users treated as VIPs: never put in a test, always shown the regular page and prices. */
export const VIP_USERS: readonly string[] = Object.freeze(['ron', 'vip']);

/** What the login form accepts as a user name. */
export const USER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** The visitor of one request, as the track sets' `isEligible` sees them. */
export interface Visitor {
  /** The logged-in user name, or null for an anonymous visitor. */
  readonly id: string | null;
  readonly isVip: boolean;
}

/**
 * The visitor a login cookie value gives: any non-empty value is the user's id, exactly as the
 * middleware's `{ cookie: 'user' }` key source reads it, so the page, the key and the purchases
 * agree. (`/login` only sets names matching {@link USER_NAME}; a hand-edited cookie is just
 * another key.)
 */
export function visitorNamed(name: string | undefined): Visitor {
  const id = name === undefined || name === '' ? null : name;
  return { id, isVip: id !== null && VIP_USERS.includes(id) };
}

/** The visitor a request's `Cookie` header identifies; framework-neutral, so every example shares it. */
export function visitorFromCookieHeader(header: string | undefined): Visitor {
  return visitorNamed(header ? parseCookies(header)[LOGIN_COOKIE] : undefined);
}
