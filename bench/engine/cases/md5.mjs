// md5 floors: what tracks 0.1.x's hash alone costs in Node, via a Hash object and one-shot crypto.hash.
import * as crypto from 'node:crypto';

/** `int(hexdigest, 16) % 3`, Python's expression, by Horner's rule over the 32 hex digits. */
function hexMod3(hex) {
  let r = 0;
  for (let i = 0; i < 32; i++) {
    const c = hex.charCodeAt(i);
    r = (r * 16 + (c <= 57 ? c - 48 : c - 87)) % 3;
  }
  return r;
}

/** The same number from the latin1 digest: 16 characters, each one byte of the digest. */
function latin1Mod3(bytes) {
  let r = 0;
  for (let i = 0; i < 16; i++) r = (r * 256 + bytes.charCodeAt(i)) % 3;
  return r;
}

/**
 * @param {string} id `md5-createhash`, `md5-oneshot` or `md5-oneshot-latin1`
 * @returns {import('../case.js').Case}
 */
export function create(id) {
  if (id === 'md5-createhash') {
    return {
      variants: [0, 1, 2],
      assign: (key) =>
        hexMod3(
          crypto
            .createHash('md5')
            .update('exp:' + key)
            .digest('hex'),
        ),
    };
  }
  if (typeof crypto.hash !== 'function') throw new Error('crypto.hash needs Node >= 20.12');
  // A hex digest is crypto.hash's default output, and the string tracks 0.1.x read.
  if (id === 'md5-oneshot') return { variants: [0, 1, 2], assign: (key) => hexMod3(crypto.hash('md5', 'exp:' + key, 'hex')) };
  // The cheapest digest string Node returns: 16 one-byte characters, no hex encoding; same variant.
  // ('binary' is Node's name for latin1 in the digest encodings @types/node lists.)
  if (id === 'md5-oneshot-latin1') {
    return { variants: [0, 1, 2], assign: (key) => latin1Mod3(crypto.hash('md5', 'exp:' + key, 'binary')) };
  }
  throw new Error(`unknown case ${id}`);
}
