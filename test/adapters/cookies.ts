// Reads Set-Cookie headers from supertest responses, and builds cookies with the library's own codec.
import type { Response } from 'supertest';
import { encodeEntries, decodePayload, type StickyEntry, type StickyPayload } from '../../src/cookies/cookie-codec.js';
import { Signer } from '../../src/cookies/node-signer.js';

/** One Set-Cookie header, split into its value and attributes (lowercase names). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string | true>;
  raw: string;
}

/** Every Set-Cookie header of a response. */
export function setCookies(res: Response): SetCookie[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return list.map((raw) => {
    const [pair = '', ...rest] = raw.split(';');
    const eq = pair.indexOf('=');
    const attributes = new Map<string, string | true>();
    for (const attribute of rest) {
      const [name = '', ...value] = attribute.trim().split('=');
      attributes.set(name.toLowerCase(), value.length > 0 ? value.join('=') : true);
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
  });
}

/** The Set-Cookie headers for one cookie name. */
export function setCookiesNamed(res: Response, name: string): SetCookie[] {
  return setCookies(res).filter((c) => c.name === name);
}

/** The single Set-Cookie for `name`; fails when there are none or several. */
export function theSetCookie(res: Response, name: string): SetCookie {
  const found = setCookiesNamed(res, name);
  if (found.length !== 1) throw new Error(`expected one Set-Cookie for ${name}, got ${found.length}: ${JSON.stringify(res.headers['set-cookie'])}`);
  return found[0]!;
}

/** A Cookie request header carrying every cookie a response set (to take a user to another app). */
export function carry(...responses: Response[]): string {
  const jar = new Map<string, string>();
  for (const res of responses) for (const c of setCookies(res)) jar.set(c.name, c.value);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * A sticky cookie value built with the real codec and signer, so that only its content is odd:
 * bound to `identity` (format 2) when one is given, else format 1 (unbound, as before binding).
 */
export function stickyCookie(entries: StickyEntry[], secrets: readonly string[], identity?: string): string {
  const signer = new Signer(secrets);
  return signer.sign(encodeEntries(entries, identity === undefined ? null : signer.tag(identity)));
}

/** The decoded payload of a sticky cookie value (format, tag, entries), when it verifies; null otherwise. */
export function readPayload(value: string, secrets: readonly string[]): StickyPayload | null {
  const unsigned = new Signer(secrets).unsign(decodeURIComponent(value));
  return unsigned.value === null ? null : decodePayload(unsigned.value);
}

/** The entries of a sticky cookie value, when it verifies with `secrets`; null otherwise. */
export function readSticky(value: string, secrets: readonly string[]): StickyEntry[] | null {
  return readPayload(value, secrets)?.entries ?? null;
}

/** True when a sticky cookie value verifies with `secrets` and is bound to `identity`. */
export function isBoundTo(value: string, secrets: readonly string[], identity: string): boolean {
  const payload = readPayload(value, secrets);
  return payload !== null && payload.tag === new Signer(secrets).tag(identity);
}

/** The id a signed anonymous-id cookie value carries, when it verifies with `secrets`; null otherwise. */
export function readAnonymousId(value: string, secrets: readonly string[]): string | null {
  return new Signer(secrets).unsign(decodeURIComponent(value)).value?.split('~')[0] ?? null;
}

/** The account tag a signed anonymous-id cookie names (the first account its variants went into), or null. */
export function readClaim(value: string, secrets: readonly string[]): string | null {
  return new Signer(secrets).unsign(decodeURIComponent(value)).value?.split('~')[1] ?? null;
}

/** The identity tag of `identity` under the first of `secrets`, as cookies carry it. */
export function tagOf(identity: string, secrets: readonly string[]): string {
  return new Signer(secrets).tag(identity);
}

/** An anonymous-id cookie value signed with `secrets` (the current one first). */
export function signedId(id: string, secrets: readonly string[]): string {
  return new Signer(secrets).sign(id);
}
