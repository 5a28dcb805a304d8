// Who may read and write: allow(req), allowWrite(req) or the token, the CSRF cookie and the same-origin check.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleConfig } from './options.js';

/** The cookie holding the console's CSRF token (double submit: the form carries the same value). */
export const CSRF_COOKIE = 'tracks_console_csrf';

/** Equal strings, compared in constant time for equal lengths. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Calls a user hook: a throw or a non-true answer is a no, and a throw goes to onError. */
export function askHook(config: ConsoleConfig, hook: (req: IncomingMessage) => boolean, req: IncomingMessage): boolean {
  try {
    return hook(req) === true;
  } catch (error) {
    config.onError(error);
    return false;
  }
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The request's CSRF token, from its cookie; a new one (and its Set-Cookie) when it has none. */
export function csrfToken(req: IncomingMessage, res: ServerResponse, basePath: string): string {
  const existing = cookieValue(req, CSRF_COOKIE);
  if (existing !== null && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true ? '; Secure' : '';
  res.appendHeader('set-cookie', `${CSRF_COOKIE}=${token}; Path=${basePath}; HttpOnly; SameSite=Strict${secure}`);
  return token;
}

/** Whether the form's CSRF field matches the cookie (a page of another site can post a form, but cannot read the cookie). */
export function csrfMatches(req: IncomingMessage, field: string | undefined): boolean {
  const cookie = cookieValue(req, CSRF_COOKIE);
  return cookie !== null && field !== undefined && sameSecret(cookie, field);
}

/**
 * Whether a POST comes from a page of this origin: its `Origin` (else `Referer`) names the host
 * the request was sent to. A request with neither is refused: browsers send `Origin` on every
 * cross-site POST, and a script that posts must say where it comes from (or use the bearer token).
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  const source = req.headers.origin ?? req.headers.referer;
  if (typeof host !== 'string' || typeof source !== 'string' || source === 'null') return false;
  try {
    return new URL(source).host === host.split(',')[0]!.trim();
  } catch {
    return false;
  }
}

/** The bearer token of `Authorization: Bearer …`, or null. */
export function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** How a write was allowed: by `allowWrite(req)`, by the token, or not at all. */
export type WriteGrant = 'allowWrite' | 'token' | null;

/** Whether this request may write: `allowWrite(req)`, else the configured token from the form or the bearer header. */
export function writeGrant(config: ConsoleConfig, req: IncomingMessage, formToken: string | undefined): WriteGrant {
  if (askHook(config, config.allowWrite, req)) return 'allowWrite';
  if (config.token === null) return null;
  const given = bearerOf(req) ?? formToken;
  return given !== undefined && given !== null && sameSecret(given, config.token) ? 'token' : null;
}
