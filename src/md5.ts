// MD5 as tracks 0.1.x used it: the Python-compatible mode and its masked names.
import * as crypto from 'node:crypto';

// crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per call.
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined =
  (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** The lowercase hex MD5 digest of the UTF-8 bytes of `text`. */
export function md5Hex(text: string): string {
  return oneShot ? oneShot('md5', text, 'hex') : crypto.createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * `int(md5(text).hexdigest(), 16) % modulus`, Python's expression, without big integers:
 * Horner's rule over the hex digits keeps every intermediate below 16 * modulus.
 */
export function md5Mod(text: string, modulus: number): number {
  const hex = md5Hex(text);
  let r = 0;
  for (let i = 0; i < 32; i++) {
    const c = hex.charCodeAt(i);
    r = (r * 16 + (c <= 57 ? c - 48 : c - 87)) % modulus;
  }
  return r;
}

/** The first 7 hex digits of the MD5 of `name`: tracks 0.1.x's `masked_name`. */
export function md5Masked(name: string): string {
  return md5Hex(name).slice(0, 7);
}
