// MurmurHash3 x86_32: published vectors and agreement with a byte-array reference.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPrefix, hashWithPrefix, murmur3 } from '../../src/engine/hash.js';
import { seededRandom } from '../support/random.js';

interface StringVector {
  input: string;
  seed: string;
  expected: string;
  source: string;
}
interface ByteVector {
  hex: string;
  seed: string;
  expected: string;
  source: string;
}
interface UnicodeVector {
  input: string;
  seed: string;
  utf8: string;
  expected: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'murmur3.json'), 'utf8')) as {
  strings: StringVector[];
  bytes: ByteVector[];
  unicode: UnicodeVector[];
};

const M32 = (1n << 32n) - 1n;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (32n - r))) & M32;
const scramble = (k: bigint): bigint => (rotl((k * 0xcc9e2d51n) & M32, 15n) * 0x1b873593n) & M32;

/**
 * The reference: MurmurHash3 x86_32 written straight from the algorithm over a byte array, in
 * BigInt arithmetic, so that it shares nothing with the streaming, Math.imul-based src/hash.ts.
 */
function referenceMurmur3(bytes: Uint8Array, seed: number): number {
  let h = BigInt(seed >>> 0);
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    const k = BigInt(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16)) + (BigInt(bytes[i + 3]!) << 24n);
    h = rotl(h ^ scramble(k), 13n);
    h = (h * 5n + 0xe6546b64n) & M32;
  }
  let tail = 0n;
  for (let i = bytes.length - 1; i >= blocks; i--) tail = (tail << 8n) | BigInt(bytes[i]!);
  if (bytes.length > blocks) h ^= scramble(tail);
  h ^= BigInt(bytes.length);
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & M32;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & M32;
  h ^= h >> 16n;
  return Number(h);
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** A random string mixing every UTF-8 length, surrogate pairs and lone surrogates of both kinds. */
function randomUnicode(random: () => number): string {
  const pick = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const length = pick(0, 24);
  let out = '';
  for (let i = 0; i < length; i++) {
    const kind = pick(0, 7);
    if (kind <= 1) out += String.fromCharCode(pick(0, 0x7f));
    else if (kind === 2) out += String.fromCharCode(pick(0x80, 0x7ff));
    else if (kind === 3) out += String.fromCharCode(random() < 0.5 ? pick(0x800, 0xd7ff) : pick(0xe000, 0xffff));
    else if (kind === 4) out += String.fromCodePoint(pick(0x10000, 0x10ffff));
    else if (kind === 5)
      out += String.fromCharCode(pick(0xd800, 0xdbff)); // lone high (unless a low follows)
    else if (kind === 6)
      out += String.fromCharCode(pick(0xdc00, 0xdfff)); // lone low (unless after a high)
    else out += ['\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}', ':', ''][pick(0, 7)]!;
  }
  return out;
}

describe('murmur3', () => {
  it('matches the published MurmurHash3 x86_32 vectors', () => {
    expect(fixture.strings.length).to.be.greaterThan(20);
    for (const v of fixture.strings) {
      expect(murmur3(v.input, Number(v.seed)), `${JSON.stringify(v.input)} seed ${v.seed}`).to.equal(Number(v.expected));
    }
  });

  it('matches the published vectors quoted in the design', () => {
    expect(murmur3('')).to.equal(0);
    expect(murmur3('', 1)).to.equal(0x514e28b7);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).to.equal(0x2e4ff723);
    expect(murmur3('Hello, world!', 1234)).to.equal(0xfaf6cdb3);
  });

  it('has a byte reference that itself matches the published vectors, bytes above 0x7f included', () => {
    for (const v of fixture.bytes) {
      expect(referenceMurmur3(Buffer.from(v.hex, 'hex'), Number(v.seed)), `${v.hex} seed ${v.seed}`).to.equal(Number(v.expected));
    }
    for (const v of fixture.strings) {
      expect(referenceMurmur3(utf8(v.input), Number(v.seed))).to.equal(Number(v.expected));
    }
  });

  it('hashes non-ASCII strings as their UTF-8 bytes', () => {
    for (const v of fixture.unicode) {
      const label = `${JSON.stringify(v.input)} seed ${v.seed}`;
      expect(Buffer.from(v.input, 'utf8').toString('hex'), label).to.equal(v.utf8);
      expect(referenceMurmur3(utf8(v.input), Number(v.seed)), label).to.equal(Number(v.expected));
      expect(murmur3(v.input, Number(v.seed)), label).to.equal(Number(v.expected));
    }
  });

  it('encodes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    expect(murmur3('a\ud800b')).to.equal(murmur3('a\ufffdb'));
    expect(murmur3('\udc00')).to.equal(murmur3('\ufffd'));
    expect(murmur3('x\ud83d')).to.equal(murmur3('x\ufffd'));
    expect(murmur3('\ude00\ud83d')).to.equal(murmur3('\ufffd\ufffd'));
    expect(murmur3('\ud83d\ud83d\ude00')).to.equal(murmur3('\ufffd\u{1f600}'));
    expect(Buffer.from(new TextEncoder().encode('a\ud800b')).toString('hex')).to.equal('61efbfbd62');
  });

  it('agrees with the byte reference on 3,000 seeded random unicode strings', () => {
    const random = seededRandom(0x5eed);
    for (let i = 0; i < 3000; i++) {
      const text = randomUnicode(random);
      const seed = i % 3 === 0 ? 0 : Math.floor(random() * 2 ** 32);
      const label = `${JSON.stringify(text)} seed ${seed}`;
      expect(murmur3(text, seed), label).to.equal(referenceMurmur3(utf8(text), seed));
      expect(Buffer.from(new TextEncoder().encode(text)).equals(Buffer.from(utf8(text))), label).to.equal(true);
    }
  });

  it('returns an unsigned 32-bit integer', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const h = murmur3(randomUnicode(random));
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).to.equal(true);
    }
  });

  it('treats seeds modulo 2^32', () => {
    expect(murmur3('', 0xffffffff)).to.equal(0x81f16f39);
    expect(murmur3('', -1)).to.equal(0x81f16f39);
  });
});

describe('hashWithPrefix', () => {
  it("continues a prefix's state exactly as hashing the whole string", () => {
    const random = seededRandom(0xabc);
    for (let i = 0; i < 2000; i++) {
      // The engine's prefixes are `setName + ':'`: they never end inside a surrogate pair.
      const prefix = randomUnicode(random) + ':';
      const text = randomUnicode(random);
      expect(hashWithPrefix(hashPrefix(prefix), text), JSON.stringify(prefix + text)).to.equal(murmur3(prefix + text));
    }
  });

  it('keeps a prefix usable while other hashes run in between', () => {
    const prefix = hashPrefix('pricing:');
    const first = hashWithPrefix(prefix, 'user-1');
    murmur3('something else entirely', 99);
    hashWithPrefix(hashPrefix('delay:'), 'user-2');
    expect(hashWithPrefix(prefix, 'user-1')).to.equal(first);
    expect(first).to.equal(murmur3('pricing:user-1'));
    expect(Object.isFrozen(prefix)).to.equal(true);
  });

  it('covers every tail length of the prefix (0 to 3 bytes)', () => {
    for (const prefix of [':', 'a:', 'ab:', 'abc:', 'é:', '用:', '🙂:']) {
      for (const text of ['', 'x', 'xy', 'xyz', 'wxyz', '🙂', 'é']) {
        expect(hashWithPrefix(hashPrefix(prefix), text)).to.equal(murmur3(prefix + text));
      }
    }
  });
});
