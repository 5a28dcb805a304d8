// The order statistics every suite reports: a quantile interpolated between neighbours, and the median.

/** The `q` quantile (0…1) of a non-empty list, interpolated linearly between the neighbouring order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): a resampling gives the same interval on every run of the same data. */
function seeded(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A percentile-bootstrap interval (`level`, default 95 %) of the median of the values of `groups`
 * together, resampling whole groups: the groups are the independent draws (the rounds of one set of
 * processes share those processes' bias), so resampling single values would give too narrow an
 * interval. `draws` resamplings from a fixed seed.
 */
export function groupedMedianInterval(groups: ReadonlyArray<readonly number[]>, level = 0.95, draws = 2_000): [number, number] {
  if (groups.length === 0 || groups.every((g) => g.length === 0)) throw new Error('groupedMedianInterval needs at least one value');
  const random = seeded(20_261_208);
  const medians: number[] = [];
  for (let d = 0; d < draws; d++) {
    const values: number[] = [];
    for (let i = 0; i < groups.length; i++) values.push(...groups[Math.floor(random() * groups.length)]!);
    if (values.length > 0) medians.push(median(values));
  }
  const tail = (1 - level) / 2;
  return [quantile(medians, tail), quantile(medians, 1 - tail)];
}
