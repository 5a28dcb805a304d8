// The sample-ratio check: are users split between arms (or between a multi set's members) as configured?
import { chiSquareSf } from './chi-square.js';

/** The result of a sample-ratio check. */
export interface SampleRatio {
  /** Observed users per cell, in the order given. */
  readonly observed: readonly number[];
  /** Users each cell should have had: total × its expected share. */
  readonly expected: readonly number[];
  /** Pearson's X² statistic; null when a cell that should get nobody got users (p is then 0). */
  readonly statistic: number | null;
  readonly degreesOfFreedom: number;
  /** P(X² ≥ statistic) under the configured split; 1 when there is nothing to test. */
  readonly pValue: number;
  /**
   * False while the chi-square approximation is not trustworthy yet: fewer than 2 cells that should get
   * users, or any of them expecting fewer than 5 (Cochran's rule). Unusable checks never flag, except
   * for users in a cell that should have none, which is a mismatch at any size.
   */
  readonly checked: boolean;
  /** p < threshold (0.001 by default): the split is not what was configured beyond reasonable chance. */
  readonly flagged: boolean;
  readonly threshold: number;
}

/**
 * Pearson's chi-square goodness-of-fit test of observed users per cell against expected shares
 * (K. Pearson, Philosophical Magazine 50, 1900; Agresti 2013, §1.5): X² = Σ (Oᵢ - Eᵢ)² / Eᵢ with
 * Eᵢ = N·sᵢ over the cells with a positive share, k - 1 degrees of freedom, p = P(χ²ₖ₋₁ ≥ X²). Flagged
 * at p < 0.001, the threshold GrowthBook and Optimizely use for sample-ratio mismatch: strict, because
 * the check runs at every look and a false alarm halts a healthy test. Shares need not sum to 1.
 * @example
 * sampleRatioCheck([8012, 1988], [0.8, 0.2]) // not flagged
 */
export function sampleRatioCheck(observed: readonly number[], shares: readonly number[], threshold = 0.001): SampleRatio {
  if (observed.length !== shares.length)
    throw new RangeError(`sample-ratio check needs one share per cell: ${observed.length} cells, ${shares.length} shares`);
  for (const o of observed) if (!Number.isInteger(o) || o < 0) throw new RangeError(`user count is invalid: ${o}`);
  for (const s of shares) if (!(s >= 0 && Number.isFinite(s))) throw new RangeError(`expected share is invalid: ${s}`);
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`threshold is invalid: ${threshold}`);
  const totalShare = shares.reduce((sum, s) => sum + s, 0);
  const total = observed.reduce((sum, o) => sum + o, 0);
  const expected = shares.map((s) => (totalShare > 0 ? (total * s) / totalShare : 0));
  const live = shares.map((s, i) => ({ o: observed[i]!, e: expected[i]!, s })).filter((c) => c.s > 0);
  const degreesOfFreedom = Math.max(0, live.length - 1);
  const base = { observed: [...observed], expected, degreesOfFreedom, threshold };
  if (observed.some((o, i) => o > 0 && !(shares[i]! > 0))) {
    return { ...base, statistic: null, pValue: 0, checked: true, flagged: true };
  }
  const statistic = total === 0 ? 0 : live.reduce((sum, c) => sum + (c.o - c.e) ** 2 / c.e, 0);
  const pValue = degreesOfFreedom === 0 ? 1 : chiSquareSf(statistic, degreesOfFreedom);
  const checked = degreesOfFreedom > 0 && live.every((c) => c.e >= 5);
  return { ...base, statistic, pValue, checked, flagged: checked && pValue < threshold };
}
