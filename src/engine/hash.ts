// MurmurHash3 x86_32 over the UTF-8 bytes of a string, streamed so that no byte array is built.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The running state of a hash after some prefix: what `hashWithPrefix` continues from. */
export interface HashPrefix {
  /** h1 after every complete 4-byte block of the prefix. */
  readonly h: number;
  /** Bytes of the prefix not yet mixed, little-endian in the low bits. */
  readonly tail: number;
  /** How many bytes `tail` holds (0 to 3). */
  readonly tailBytes: number;
  /** Length of the prefix in bytes. */
  readonly length: number;
}

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailBytes: number, length: number): number {
  if (tailBytes > 0) h ^= mixK(tail);
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// The running state, in module-level scratch so that hashing allocates nothing.
let sH = 0;
let sTail = 0;
let sTailBytes = 0;
let sLength = 0;

function pushByte(b: number): void {
  sTail |= b << (sTailBytes << 3);
  sLength++;
  if (++sTailBytes === 4) {
    sH = mixH(sH, sTail);
    sTail = 0;
    sTailBytes = 0;
  }
}

/**
 * Feeds the UTF-8 encoding of `text` (from index `from`) into the scratch state. Lone surrogates
 * are encoded as U+FFFD, exactly as `TextEncoder` does, so the bytes hashed are always those of
 * `new TextEncoder().encode(text)`.
 */
function feed(text: string, from = 0): void {
  const n = text.length;
  for (let i = from; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      pushByte(c);
    } else if (c < 0x800) {
      pushByte(0xc0 | (c >> 6));
      pushByte(0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        pushByte(0xf0 | (c >> 18));
        pushByte(0x80 | ((c >> 12) & 0x3f));
        pushByte(0x80 | ((c >> 6) & 0x3f));
        pushByte(0x80 | (c & 0x3f));
      } else {
        // A lone surrogate has no UTF-8 form; TextEncoder substitutes U+FFFD (EF BF BD).
        pushByte(0xef);
        pushByte(0xbf);
        pushByte(0xbd);
      }
    } else {
      pushByte(0xe0 | (c >> 12));
      pushByte(0x80 | ((c >> 6) & 0x3f));
      pushByte(0x80 | (c & 0x3f));
    }
  }
}

/** MurmurHash3 x86_32 of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  sH = seed | 0;
  sTail = 0;
  sTailBytes = 0;
  sLength = 0;
  feed(text);
  return finish(sH, sTail, sTailBytes, sLength);
}

/** The state after hashing `prefix` (seed 0), computed once so each key hashes only its own bytes. */
export function hashPrefix(prefix: string): HashPrefix {
  sH = 0;
  sTail = 0;
  sTailBytes = 0;
  sLength = 0;
  feed(prefix);
  return Object.freeze({ h: sH, tail: sTail, tailBytes: sTailBytes, length: sLength });
}

/**
 * MurmurHash3 x86_32 (seed 0) of `prefix + text`, given the prefix's precomputed state.
 * Keys are nearly always ASCII, so ASCII runs are mixed four characters to a block in local
 * variables; the first character that needs more than one UTF-8 byte hands over to `feed`.
 */
export function hashWithPrefix(prefix: HashPrefix, text: string): number {
  let h = prefix.h;
  let tail = prefix.tail;
  let tailBytes = prefix.tailBytes;
  const n = text.length;
  let i = 0;
  // Fill the prefix's partial block first, so that whole blocks line up with i.
  for (; tailBytes !== 0 && i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) break;
    tail |= c << (tailBytes << 3);
    if (++tailBytes === 4) {
      h = mixH(h, tail);
      tail = 0;
      tailBytes = 0;
    }
  }
  if (tailBytes === 0) {
    for (; i + 4 <= n; i += 4) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) >= 0x80) break;
      h = mixH(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      tail |= c << (tailBytes << 3);
      tailBytes++; // fewer than 4 characters are left here, so the block never fills
    }
  }
  // ASCII bytes so far are one per character: the prefix's bytes plus i.
  if (i === n) return finish(h, tail, tailBytes, prefix.length + n);
  sH = h;
  sTail = tail;
  sTailBytes = tailBytes;
  sLength = prefix.length + i;
  feed(text, i);
  return finish(sH, sTail, sTailBytes, sLength);
}
