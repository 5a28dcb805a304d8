// The one key rule: which serialised keys can be an identity (bound to a cookie, stored, logged), for every path.

/**
 * Longest serialised key, in UTF-16 code units, that tracks-ab takes as an identity. Keys are
 * stored in unique b-tree indexes with a set name and a variant; PostgreSQL refuses an index entry
 * over 2,704 bytes, and 500 code units are at most 1,500 bytes of UTF-8, which leaves room for
 * two names of 150 characters.
 */
export const MAX_KEY_LENGTH = 500;

// A NUL character (PostgreSQL text cannot hold one), or a surrogate without its other half (it has
// no UTF-8 form: encoders write U+FFFD instead, so 'a\uD800' and 'a\uFFFD' would be one identity).
const UNHOLDABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a serialised key cannot be an identity, or null when it can. A key can be one when it is at
 * most {@link MAX_KEY_LENGTH} code units long, holds no NUL character and no unpaired surrogate:
 * then every database, cookie tag (HMAC over its UTF-8 bytes) and log holds it as itself, and two
 * distinct strings are two identities. The empty string is a key.
 */
export function keyProblem(key: string): string | null {
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters (${key.length})`;
  // The common key holds neither a NUL nor a surrogate: a scan of its code units says so for less than the expression.
  let suspect = false;
  for (let i = 0; i < key.length && !suspect; i++) {
    const code = key.charCodeAt(i);
    suspect = code === 0 || (code >= 0xd800 && code <= 0xdfff);
  }
  if (!suspect) return null;
  const found = UNHOLDABLE.exec(key);
  if (found === null) return null;
  return found[0] === '\0' ? `it contains a NUL character (at ${found.index})` : `it contains an unpaired surrogate (at ${found.index})`;
}

/** An error with code `ERR_TRACKS_INVALID_KEY` saying why `key` cannot be used; what serialiseKey also throws. */
export function invalidKeyError(key: unknown, why: string): TypeError & { code: 'ERR_TRACKS_INVALID_KEY' } {
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key) : String(key);
  const error = new TypeError(`key ${shown} is invalid: ${why}`) as TypeError & { code: 'ERR_TRACKS_INVALID_KEY' };
  error.code = 'ERR_TRACKS_INVALID_KEY';
  return error;
}

/**
 * The key itself when it can be an identity; else throws the `ERR_TRACKS_INVALID_KEY` error
 * (a TypeError) that the caller reports to `onError` before going on without the key.
 */
export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem !== null) throw invalidKeyError(key, problem);
  return key;
}
