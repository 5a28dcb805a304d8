// The bounded memos hold a bounded number of bytes, whatever the length of the keys they are given.
import { expect } from 'chai';
import { BoundedMemo, entryBytes } from '../../src/bounded/memo.js';
import { ExposureMemo } from '../../src/exposures/exposure-memo.js';
import { AssignmentCache } from '../../src/assignment-store/assignment-cache.js';

const longKey = (i: number): string => `${i}:`.padEnd(12_000, 'k');

describe('BoundedMemo bounded in bytes', () => {
  it('holds at most maxBytes of keys: 12 kB keys fill a generation long before its entry count', () => {
    const memo = new BoundedMemo<boolean>(1_000, 1024 * 1024);
    for (let i = 0; i < 5_000; i++) memo.set(longKey(i), true);
    // Two generations of 512 KiB, each entry counted at 2 bytes a character.
    const most = Math.floor((2 * (512 * 1024)) / entryBytes(longKey(0)));
    expect(memo.size)
      .to.be.at.most(most)
      .and.at.least(most / 2 - 1);
    expect(memo.get(longKey(4_999))).to.equal(true);
    expect(memo.get(longKey(0))).to.equal(undefined);
  });

  it('still bounds short keys by count, and keeps a busy key across generations', () => {
    const memo = new BoundedMemo<number>(2);
    for (const key of ['a', 'b', 'a', 'c', 'a', 'd', 'a', 'e']) {
      memo.set(key, 1);
      memo.get('a');
    }
    expect(memo.size).to.be.at.most(4);
    expect(memo.get('a')).to.equal(1);
  });

  it('looks long keys up by their tail, and answers only for the whole key', () => {
    const memo = new BoundedMemo<string>(10, 1024 * 1024, null, 4);
    memo.set('first-value.SIGN', 'first');
    // Same tail, another key: no answer, however alike.
    expect(memo.get('other-value.SIGN')).to.equal(undefined);
    expect(memo.get('first-value.SIGN')).to.equal('first');
    // A key sharing the tail takes the slot; the one it pushed out is recomputed, never mistaken.
    memo.set('other-value.SIGN', 'other');
    expect(memo.get('other-value.SIGN')).to.equal('other');
    expect(memo.get('first-value.SIGN')).to.equal(undefined);
    // Keys no longer than the tail are keys as they are.
    memo.set('SIGN', 'short');
    expect(memo.get('SIGN')).to.equal('short');
    expect(memo.get('other-value.SIGN')).to.equal('other');
    // Counted by the whole key, as without a tail.
    const bytes = new BoundedMemo<boolean>(1_000, 1024 * 1024, null, 16);
    const endsApart = (i: number): string => `${'k'.repeat(12_000)}:${i}`;
    for (let i = 0; i < 5_000; i++) bytes.set(endsApart(i), true);
    const most = Math.floor((2 * (512 * 1024)) / entryBytes(endsApart(0)));
    expect(bytes.size)
      .to.be.at.most(most)
      .and.at.least(most / 2 - 1);
    expect(bytes.get(endsApart(4_999))).to.equal(true);
  });

  it('does not keep an entry larger than a generation', () => {
    const memo = new BoundedMemo<boolean>(10, 1_000);
    memo.set('small', true);
    memo.set('x'.repeat(1_000), true);
    expect(memo.get('x'.repeat(1_000))).to.equal(undefined);
    expect(memo.get('small')).to.equal(true);
  });

  it('weighs values where the owner says how big they are (the store cache)', () => {
    const cache = new AssignmentCache(10_000, 60_000, Date.now, 256 * 1024);
    const records = new Map([['delay', { variant: 'short', assignedAt: new Date(), how: 'hash' as const }]]);
    for (let i = 0; i < 1_000; i++) cache.set(longKey(i), records);
    expect(cache.size).to.be.below(30);
    expect(cache.get(longKey(999))).to.equal(records);
  });
});

describe('ExposureMemo', () => {
  it('remembers triples by key, set and variant, one lookup per exposure', () => {
    const memo = new ExposureMemo(100, 1024 * 1024);
    memo.add('ann', 'color', 'blue');
    expect(memo.has('ann', 'color', 'blue')).to.equal(true);
    expect(memo.has('ann', 'color', 'red')).to.equal(false);
    expect(memo.has('ann', 'size', 'blue')).to.equal(false);
    expect(memo.has('bob', 'color', 'blue')).to.equal(false);
    memo.add('ann', 'size', 'small');
    expect(memo.size).to.equal(2);
  });

  it('holds at most maxBytes of keys, and at most twice its capacity in triples', () => {
    const bytes = new ExposureMemo(100_000, 1024 * 1024);
    for (let i = 0; i < 2_000; i++) bytes.add(longKey(i), 'color', 'blue');
    expect(bytes.bytes).to.be.at.most(1024 * 1024);
    expect(bytes.has(longKey(1_999), 'color', 'blue')).to.equal(true);
    const count = new ExposureMemo(10, 1024 * 1024);
    for (let i = 0; i < 100; i++) count.add(`u${i}`, 'color', 'blue');
    expect(count.size).to.be.at.most(20);
  });
});
