// Sample-ratio-mismatch check: are users split between variants as configured? (Pure, no I/O.)
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/** Chi-square goodness-of-fit test of exposed users per variant against the configured weights. */
export interface SampleRatioCheck {
  /** False when some configured variant expects fewer than 5 users (the test is not valid yet). */
  checked: boolean;
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** The split differs from the configuration beyond chance: the results can't be trusted. */
  flagged: boolean;
}

/**
 * Sample-ratio-mismatch check: Pearson's chi-square of observed against expected counts, with
 * p = 1 - cdf(statistic, k - 1). Variants with weight 0 are left out, unless users reached them,
 * which is itself a mismatch (flagged with p = 0). Flagged when p < `threshold` (default 0.001,
 * strict because the check runs on every page view).
 */
export function sampleRatioCheck(observed: readonly { count: number; weight: number }[], threshold = 0.001): SampleRatioCheck {
  const cells = observed.filter((cell) => cell.weight > 0);
  const degreesOfFreedom = Math.max(0, cells.length - 1);
  if (observed.some((cell) => cell.weight <= 0 && cell.count > 0)) {
    return { checked: true, statistic: Infinity, degreesOfFreedom, pValue: 0, flagged: true };
  }
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  const weights = cells.reduce((sum, cell) => sum + cell.weight, 0);
  let statistic = 0;
  let smallestExpected = Infinity;
  for (const cell of cells) {
    const expected = (total * cell.weight) / weights;
    smallestExpected = Math.min(smallestExpected, expected);
    statistic += (cell.count - expected) ** 2 / expected;
  }
  // Pearson's approximation needs about 5 expected per cell (Cochran's rule).
  if (degreesOfFreedom === 0 || !(smallestExpected >= 5)) {
    return { checked: false, statistic, degreesOfFreedom, pValue: 1, flagged: false };
  }
  const pValue = Math.max(0, 1 - chisquareCdf(statistic, degreesOfFreedom));
  return { checked: true, statistic, degreesOfFreedom, pValue, flagged: pValue < threshold };
}
