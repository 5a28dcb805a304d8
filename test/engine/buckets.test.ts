// The bucket space: hash to bucket, weights to contiguous ranges, coverage within each range.
import { expect } from 'chai';
import { BUCKETS, boundsFor, bucketOf, coveredEnds, rangeIndex } from '../../src/engine/buckets.js';
import { seededRandom } from '../support/random.js';

/** The first hash of bucket k: ceil(k * 2^32 / 10000), in exact integer arithmetic. */
function firstHashOf(k: number): number {
  const n = BigInt(k) << 32n;
  return Number((n + BigInt(BUCKETS) - 1n) / BigInt(BUCKETS));
}

describe('bucketOf', () => {
  it('maps the 32-bit hash space onto 10,000 buckets', () => {
    expect(BUCKETS).to.equal(10_000);
    expect(bucketOf(0)).to.equal(0);
    expect(bucketOf(2 ** 32 - 1)).to.equal(9999);
    expect(bucketOf(2 ** 31)).to.equal(5000);
  });

  it('is floor(hash * 10000 / 2^32) exactly at every bucket edge', () => {
    for (let k = 1; k < BUCKETS; k++) {
      const first = firstHashOf(k);
      expect(bucketOf(first), `first hash of bucket ${k}`).to.equal(k);
      expect(bucketOf(first - 1), `last hash of bucket ${k - 1}`).to.equal(k - 1);
    }
  });

  it('gives every bucket 429,496 or 429,497 hashes', () => {
    for (let k = 0; k < BUCKETS; k++) {
      const size = (k === BUCKETS - 1 ? 2 ** 32 : firstHashOf(k + 1)) - firstHashOf(k);
      expect(size === 429_496 || size === 429_497, `bucket ${k} holds ${size}`).to.equal(true);
    }
  });
});

describe('boundsFor', () => {
  it('splits equal weights into ranges rounded to the nearest bucket', () => {
    expect(Array.from(boundsFor([1, 1]))).to.deep.equal([0, 5000, 10000]);
    expect(Array.from(boundsFor([1, 1, 1]))).to.deep.equal([0, 3333, 6667, 10000]);
    expect(Array.from(boundsFor([1, 1, 1, 1, 1, 1, 1]))).to.deep.equal([0, 1429, 2857, 4286, 5714, 7143, 8571, 10000]);
  });

  it('gives contiguous ranges proportional to the weights', () => {
    expect(Array.from(boundsFor([90, 10]))).to.deep.equal([0, 9000, 10000]);
    expect(Array.from(boundsFor([50, 20, 30]))).to.deep.equal([0, 5000, 7000, 10000]);
    expect(Array.from(boundsFor([0.5, 0.25, 0.25]))).to.deep.equal([0, 5000, 7500, 10000]);
  });

  it('ends exactly at 10,000 even when the weights do not sum exactly in floating point', () => {
    const weights = [0.1, 0.2, 0.3, 0.1, 0.2, 0.1];
    const bounds = boundsFor(weights);
    expect(bounds[0]).to.equal(0);
    expect(bounds[weights.length]).to.equal(BUCKETS);
  });

  it('gives a weight too small for one bucket an empty range', () => {
    expect(Array.from(boundsFor([1, 0.00001]))).to.deep.equal([0, 10000, 10000]);
  });

  it('is non-decreasing and within half a bucket of the exact share, for random weights', () => {
    const random = seededRandom(42);
    for (let t = 0; t < 500; t++) {
      const weights = Array.from({ length: 1 + Math.floor(random() * 8) }, () => 0.01 + random() * 100);
      const total = weights.reduce((a, b) => a + b, 0);
      const bounds = boundsFor(weights);
      let cumulative = 0;
      for (let i = 0; i < weights.length; i++) {
        expect(bounds[i + 1]! >= bounds[i]!).to.equal(true);
        expect(Math.abs(bounds[i]! - (BUCKETS * cumulative) / total)).to.be.at.most(0.5 + 1e-9);
        cumulative += weights[i]!;
      }
      expect(bounds[weights.length]).to.equal(BUCKETS);
    }
  });
});

describe('coveredEnds', () => {
  const bounds = boundsFor([1, 1, 1]);

  it('covers whole ranges at coverage 1 and nothing at coverage 0', () => {
    expect(Array.from(coveredEnds(bounds, 1))).to.deep.equal([3333, 6667, 10000]);
    expect(Array.from(coveredEnds(bounds, 0))).to.deep.equal([0, 3333, 6667]);
  });

  it('covers the start of each range: bounds[i] + round(width * coverage)', () => {
    expect(Array.from(coveredEnds(bounds, 0.5))).to.deep.equal([1667, 5000, 8334]);
    expect(Array.from(coveredEnds(boundsFor([50, 20, 30]), 0.2))).to.deep.equal([1000, 5400, 7600]);
  });

  it('only grows the covered part as coverage rises, so nobody moves between variants', () => {
    const random = seededRandom(3);
    const weights = [3, 1, 2, 5];
    const b = boundsFor(weights);
    let previous = coveredEnds(b, 0);
    for (let step = 1; step <= 100; step++) {
      const ends = coveredEnds(b, step / 100);
      for (let i = 0; i < weights.length; i++) {
        expect(ends[i]! >= previous[i]!).to.equal(true);
        expect(ends[i]! >= b[i]! && ends[i]! <= b[i + 1]!).to.equal(true);
      }
      previous = ends;
    }
    // A covered bucket keeps its range at every higher coverage.
    for (let t = 0; t < 1000; t++) {
      const bucket = Math.floor(random() * BUCKETS);
      const low = random();
      const high = low + (1 - low) * random();
      const i = rangeIndex(b, bucket);
      if (bucket < coveredEnds(b, low)[i]!) expect(bucket < coveredEnds(b, high)[i]!).to.equal(true);
    }
  });
});

describe('rangeIndex', () => {
  it('finds the range holding a bucket, edges included', () => {
    const bounds = boundsFor([1, 1, 1]);
    expect(rangeIndex(bounds, 0)).to.equal(0);
    expect(rangeIndex(bounds, 3332)).to.equal(0);
    expect(rangeIndex(bounds, 3333)).to.equal(1);
    expect(rangeIndex(bounds, 6666)).to.equal(1);
    expect(rangeIndex(bounds, 6667)).to.equal(2);
    expect(rangeIndex(bounds, 9999)).to.equal(2);
  });

  it('never lands in an empty range', () => {
    const bounds = Int32Array.from([0, 0, 5000, 5000, 10000, 10000]);
    expect(rangeIndex(bounds, 0)).to.equal(1);
    expect(rangeIndex(bounds, 4999)).to.equal(1);
    expect(rangeIndex(bounds, 5000)).to.equal(3);
    expect(rangeIndex(bounds, 9999)).to.equal(3);
  });

  it('agrees with a search of every bucket for random weights', () => {
    const random = seededRandom(11);
    for (let t = 0; t < 50; t++) {
      const weights = Array.from({ length: 1 + Math.floor(random() * 6) }, () => 0.001 + random() * 10);
      const bounds = boundsFor(weights);
      for (let bucket = 0; bucket < BUCKETS; bucket += 7) {
        const i = rangeIndex(bounds, bucket);
        expect(bounds[i]! <= bucket && bucket < bounds[i + 1]!).to.equal(true);
      }
    }
  });
});
