// Maps a 32-bit hash to one of 10,000 buckets and variants to contiguous bucket ranges.

/** The fixed bucket space: a hash maps to a bucket in [0, BUCKETS). */
export const BUCKETS = 10_000;

/** `floor(hash * 10000 / 2^32)`: exact in doubles, since hash * 10000 < 2^46. */
export function bucketOf(hash: number): number {
  return Math.floor((hash * BUCKETS) / 4294967296);
}

/**
 * Bucket boundaries for weights: variant i owns [bounds[i], bounds[i + 1]), with
 * bounds[i] = round(BUCKETS * (w0 + … + w(i-1)) / total) and the last bound exactly BUCKETS,
 * so the last bucket always belongs to the last variant and float error never leaves a gap.
 */
export function boundsFor(weights: readonly number[]): Int32Array {
  const bounds = new Int32Array(weights.length + 1);
  const total = weights.reduce((sum, w) => sum + w, 0);
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    bounds[i] = Math.round((BUCKETS * cumulative) / total);
    cumulative += weights[i]!;
  }
  bounds[weights.length] = BUCKETS;
  return bounds;
}

/**
 * The end of the covered part of each range: with coverage c, variant i covers
 * [bounds[i], bounds[i] + round((bounds[i + 1] - bounds[i]) * c)). Range starts never depend
 * on coverage, so raising or lowering coverage moves no one from one variant to another.
 */
export function coveredEnds(bounds: Int32Array, coverage: number): Int32Array {
  const ends = new Int32Array(bounds.length - 1);
  for (let i = 0; i < ends.length; i++) {
    ends[i] = bounds[i]! + Math.round((bounds[i + 1]! - bounds[i]!) * coverage);
  }
  return ends;
}

/** The index of the range holding `bucket`: a linear scan, as sets have few variants. */
export function rangeIndex(bounds: Int32Array, bucket: number): number {
  let i = 0;
  const last = bounds.length - 2;
  while (i < last && bucket >= bounds[i + 1]!) i++;
  return i;
}

/**
 * Where a position in a closed range goes: the range is `length` positions long (a paused variant's
 * covered buckets, or a closed member's part of a multi set), and it is cut into contiguous pieces,
 * one per open target in order, sized in proportion to `weights` (0 for a closed target):
 * target j owns positions [round(length * W(j) / W), round(length * W(j + 1) / W)), with W(j) the
 * sum of the weights before j. Returns the target's index, or -1 when every weight is 0. Only the
 * closed range is cut, so a user outside it never moves.
 */
export function splitPosition(position: number, length: number, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  if (total <= 0) return -1;
  let cumulative = 0;
  let last = -1;
  for (let j = 0; j < weights.length; j++) {
    if (weights[j]! <= 0) continue;
    cumulative += weights[j]!;
    last = j;
    if (position < Math.round((length * cumulative) / total)) return j;
  }
  return last;
}
