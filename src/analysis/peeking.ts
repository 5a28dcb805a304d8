// Safe peeking: the tuning size of the confidence sequences and the minimum each arm needs before a verdict.
import type { ArmSums } from './metric-sums.js';

/**
 * The defaults that keep verdicts honest when results are read often. `minimumPerArm` is the number of
 * conversions (proportions) or of persons with a non-zero value (means, ratios) each arm needs before a
 * better/worse verdict: the confidence sequences are asymptotic (they lean on the central limit
 * theorem at every look), and with few events the first looks of a long test would otherwise call
 * false winners. Chosen by exact enumeration and simulation (docs/analysis.md, "Safe peeking"): without it
 * a 90/10 test of 10,000 users at 2 % tuned at 100 users calls 8.3 % false verdicts at 240 looks; with 10
 * at most 1.9 % in every cell tried, with 25 at most 2.2 % (simulated) and 0.7 % (exact), leaving a margin.
 */
export const PEEKING_DEFAULTS = Object.freeze({ minimumPerArm: 25, tuningUsers: 5000 });

/**
 * The tuning size of a confidence sequence: the one given, else the planned users of the test (the
 * sequence is tightest where the decision is due), else 5,000 (GrowthBook's default).
 */
export function resolveTuningUsers(tuningUsers: number | null | undefined, plannedUsers: number | null | undefined): number {
  const value = tuningUsers ?? plannedUsers ?? PEEKING_DEFAULTS.tuningUsers;
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`option tuningUsers is invalid: ${value} (expected a positive number)`);
  return value;
}

/** Throws unless a minimum per arm is a whole number ≥ 0. */
export function checkMinimumPerArm(minimum: number, label = 'option minimumPerArm'): number {
  if (!Number.isInteger(minimum) || minimum < 0) throw new RangeError(`${label} is invalid: ${minimum} (expected a whole number ≥ 0)`);
  return minimum;
}

/**
 * The count an arm's minimum is measured in: `nonZero` when the database gave it, else (Σy)²/Σy²,
 * which is the number of 1s for 0/1 values and at most the number of non-zero values for values of one
 * sign (by Cauchy–Schwarz, (Σy)² ≤ k·Σy² over the k non-zero values), so the minimum is never met early.
 */
export function effectiveCount(arm: ArmSums): number {
  if (arm.nonZero !== undefined) return arm.nonZero;
  return arm.sumY2 > 0 ? (arm.sumY * arm.sumY) / arm.sumY2 : 0;
}
