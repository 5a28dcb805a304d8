// Floors: the least an assignment can cost, written here from the published hash algorithms.
// Building the key alone, and a bare 32-bit hash of the key mapped to three bucket ranges.

const BUCKETS = 10_000;
// Three equal ranges of 10,000 buckets, as boundsFor([1, 1, 1]) gives them: [0, 3333, 6667, 10000).
const B1 = 3333;
const B2 = 6667;
// The keys this suite builds are ASCII, so a UTF-16 code unit is the UTF-8 byte: floors skip
// the UTF-8 encoding a real engine must do (tracks-ab does it, streamed, for any string).

/** FNV-1a of `key + ':exp'`: the key's code units, then the salt's four bytes as constants. */
function fnvSalted(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h = Math.imul(h ^ 0x3a, 0x01000193); // ':'
  h = Math.imul(h ^ 0x65, 0x01000193); // 'e'
  h = Math.imul(h ^ 0x78, 0x01000193); // 'x'
  h = Math.imul(h ^ 0x70, 0x01000193); // 'p'
  return h >>> 0;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86_32 of an ASCII string, seeded: the algorithm as its reference C code states it. */
export function murmur3Ascii(text, seed) {
  const n = text.length;
  const whole = n & ~3;
  let h = seed | 0;
  let i = 0;
  for (; i < whole; i += 4) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 8) | (text.charCodeAt(i + 2) << 16) | (text.charCodeAt(i + 3) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The 1 to 3 bytes after the last whole block, little-endian, mixed once.
  const rest = n & 3;
  if (rest > 0) {
    let k = text.charCodeAt(i);
    if (rest > 1) k |= text.charCodeAt(i + 1) << 8;
    if (rest > 2) k |= text.charCodeAt(i + 2) << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rangeOf(hash) {
  const bucket = Math.floor((hash * BUCKETS) / 4294967296);
  return bucket < B1 ? 0 : bucket < B2 ? 1 : 2;
}

/**
 * @param {string} id `floor-key`, `floor-fnv` or `floor-murmur`
 * @returns {Promise<import('../case.js').Case>}
 */
export async function create(id) {
  if (id === 'floor-key') {
    // Reads the key's last character so the string must really be built.
    return { variants: null, assign: (key) => key.charCodeAt(key.length - 1) };
  }
  if (id === 'floor-fnv') {
    // FNV-1a of key + ':exp', streamed (no concatenation). The salt goes after the key, as
    // GrowthBook's hashVersion 1 puts it: with the salt first, the varying last digits are mixed
    // by one multiply only, and sequential ids split 34.9 / 31.3 / 33.8 % over 20,000 keys.
    return { variants: [0, 1, 2], assign: (key) => rangeOf(fnvSalted(key)) };
  }
  if (id === 'floor-murmur') {
    // The same job with the set's name as seed, so that the key alone is hashed.
    const { murmur3 } = (await import('./tracks-ab.mjs')).loadTracks();
    // Checks this floor against the engine on published-style inputs before trusting its timing.
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'user-12345', 'The quick brown fox jumps over the lazy dog']) {
      if (murmur3Ascii(text, 7) !== murmur3(text, 7)) throw new Error(`murmur3 floor disagrees with tracks-ab on "${text}"`);
    }
    const seed = murmur3Ascii('exp', 0);
    return { variants: [0, 1, 2], assign: (key) => rangeOf(murmur3Ascii(key, seed)) };
  }
  throw new Error(`unknown case ${id}`);
}
