// MD5 as tracks 0.1.x used it: the Python-compatible mode and its masked names.
import { nodeCrypto } from './node-crypto.js';

type Encoding = 'hex' | 'binary';

function md5(text: string, encoding: Encoding): string {
  const crypto = nodeCrypto();
  // crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per call.
  return crypto.hash ? crypto.hash('md5', text, encoding) : crypto.createHash('md5').update(text, 'utf8').digest(encoding);
}

/** The lowercase hex MD5 digest of the UTF-8 bytes of `text`. */
export function md5Hex(text: string): string {
  return md5(text, 'hex');
}

/**
 * `int(md5(text).hexdigest(), 16) % modulus`, Python's expression, without big integers:
 * Horner's rule over the 16 digest bytes (read as 'binary', i.e. latin1: one character a byte, cheaper than
 * hex) keeps every intermediate below 256 * modulus.
 */
export function md5Mod(text: string, modulus: number): number {
  const bytes = md5(text, 'binary');
  let r = 0;
  for (let i = 0; i < 16; i++) r = (r * 256 + bytes.charCodeAt(i)) % modulus;
  return r;
}

/** The first 7 hex digits of the MD5 of `name`: tracks 0.1.x's `masked_name`. */
export function md5Masked(name: string): string {
  return md5Hex(name).slice(0, 7);
}
