// One arm of a metric from its sums: the mean or ratio, the variance of the estimate, and its t interval.
import type { ArmSums, MetricKind } from './metric-sums.js';
import { studentUpperQuantile } from './student-t.js';
import type { Interval } from './types.js';

/** An arm's estimate of a metric and the variance of that estimate. */
export interface ArmEstimate {
  /** Persons in the arm. */
  readonly n: number;
  /** Σy/n for a mean (or proportion); Σy/Σd for a ratio. */
  readonly estimate: number;
  /** The variance of `estimate` (s²/n for a mean; the delta-method variance for a ratio). */
  readonly variance: number;
  /** The per-person variance behind it: s² (n − 1) for a mean; n × `variance` for a ratio. */
  readonly unitVariance: number;
}

/** Throws unless an arm's sums are finite and its count a whole number; names the arm and the field. */
export function checkArmSums(arm: ArmSums, kind: MetricKind, label: string): void {
  const bad = (field: string, value: unknown) => new RangeError(`${label}: arm ${arm.variant} field ${field} is invalid: ${String(value)}`);
  if (!Number.isInteger(arm.n) || arm.n < 0) throw bad('n', arm.n);
  for (const field of ['sumY', 'sumY2', 'sumD', 'sumD2', 'sumYD', 'sumX', 'sumX2', 'sumXY', 'nonZero'] as const) {
    const value = arm[field];
    if (value !== undefined && !Number.isFinite(value)) throw bad(field, value);
  }
  if (arm.sumY2 < 0) throw bad('sumY2', arm.sumY2);
  if (kind === 'proportion' && !(arm.sumY >= 0 && arm.sumY <= arm.n && arm.sumY2 === arm.sumY && Number.isInteger(arm.sumY))) {
    throw bad('sumY', `${arm.sumY} (a proportion's values are 0 or 1: whole sumY = sumY2 ≤ n)`);
  }
  if (kind === 'ratio') for (const field of ['sumD', 'sumD2', 'sumYD'] as const) if (arm[field] === undefined) throw bad(field, undefined);
}

/**
 * The centred sum of products Σ(u − ū)(v − v̄) = Σuv − ΣuΣv/n, clamped at 0 for a sum of squares
 * (rounding can make a constant column's slightly negative).
 */
export function centred(sumUV: number, sumU: number, sumV: number, n: number, square = false): number {
  const value = sumUV - (sumU * sumV) / n;
  return square ? Math.max(0, value) : value;
}

/**
 * A mean's estimate from sums: ȳ = Σy/n, s² = (Σy² − (Σy)²/n)/(n − 1), Var(ȳ) = s²/n (the unbiased
 * sample variance; e.g. Casella and Berger, "Statistical Inference", 2nd ed., 2002, §5.2).
 * @returns null below 2 persons
 */
export function meanEstimate(n: number, sumY: number, sumY2: number): ArmEstimate | null {
  if (n < 2) return null;
  const unitVariance = centred(sumY2, sumY, sumY, n, true) / (n - 1);
  return { n, estimate: sumY / n, variance: unitVariance / n, unitVariance };
}

/**
 * A ratio of per-person sums R = Σy/Σd (revenue per order with the person as the unit), and the
 * delta-method variance with the covariance of numerator and denominator:
 * Var(R) ≈ (s²_y − 2R·s_yd + R²·s²_d) / (n·d̄²), every s with n − 1 (A. Deng, U. Knoblich and J. Lu,
 * "Applying the delta method in metric analytics", KDD 2018, §3; the same as GrowthBook's ratio metrics).
 * @returns null below 2 persons or when Σd = 0
 */
export function ratioEstimate(n: number, sumY: number, sumY2: number, sumD: number, sumD2: number, sumYD: number): ArmEstimate | null {
  if (n < 2 || sumD === 0) return null;
  const r = sumY / sumD;
  const dBar = sumD / n;
  const syy = centred(sumY2, sumY, sumY, n, true) / (n - 1);
  const sdd = centred(sumD2, sumD, sumD, n, true) / (n - 1);
  const syd = centred(sumYD, sumY, sumD, n) / (n - 1);
  const unitVariance = Math.max(0, syy - 2 * r * syd + r * r * sdd) / (dBar * dBar);
  return { n, estimate: r, variance: unitVariance / n, unitVariance };
}

/** An arm's estimate for a metric of `kind`, from its sums (a proportion is the mean of 0/1 values). */
export function armEstimate(kind: MetricKind, arm: ArmSums): ArmEstimate | null {
  if (kind !== 'ratio') return meanEstimate(arm.n, arm.sumY, arm.sumY2);
  return ratioEstimate(arm.n, arm.sumY, arm.sumY2, arm.sumD ?? 0, arm.sumD2 ?? 0, arm.sumYD ?? 0);
}

/**
 * The t interval of an arm's estimate, estimate ± t_{n−1, 1−α/2}·√Var, with n − 1 degrees of freedom
 * (Student 1908; for a ratio the delta-method variance in its place, as GrowthBook does).
 */
export function armInterval(estimate: ArmEstimate, confidence = 0.95): Interval {
  const half = studentUpperQuantile((1 - confidence) / 2, estimate.n - 1) * Math.sqrt(estimate.variance);
  return { low: estimate.estimate - half, high: estimate.estimate + half };
}
