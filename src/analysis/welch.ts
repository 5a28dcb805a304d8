// A variant against control at a fixed horizon: Welch's t for the difference, the delta method for the relative lift.
import type { ArmEstimate } from './metric-arm.js';
import { studentTwoSidedP, studentUpperQuantile } from './student-t.js';
import type { Interval } from './types.js';

/** The difference of two arms' estimates with Welch's interval and test. */
export interface WelchDifference {
  /** Variant minus control. */
  readonly difference: number;
  /** √(V₁ + V₀). */
  readonly standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly degreesOfFreedom: number;
  readonly interval: Interval;
  /** Two-sided p-value of "no difference". */
  readonly pValue: number;
}

/**
 * Welch–Satterthwaite degrees of freedom of V₁ + V₀ with ν₁ = n₁ − 1 and ν₀ = n₀ − 1:
 * ν = (V₁ + V₀)² / (V₁²/ν₁ + V₀²/ν₀) (B. L. Welch, "The generalization of 'Student's' problem when
 * several different population variances are involved", Biometrika 34, 1947; F. E. Satterthwaite,
 * Biometrics Bulletin 2, 1946). When both variances are 0 the pooled ν₁ + ν₀ is returned.
 */
export function welchDegreesOfFreedom(variant: ArmEstimate, control: ArmEstimate): number {
  const v1 = variant.variance;
  const v0 = control.variance;
  const denominator = (v1 * v1) / (variant.n - 1) + (v0 * v0) / (control.n - 1);
  if (!(denominator > 0)) return variant.n + control.n - 2;
  return ((v1 + v0) * (v1 + v0)) / denominator;
}

/**
 * Welch's unequal-variance t interval and test of variant minus control: d ± t_{ν, 1−α/2}·√(V₁ + V₀),
 * p = P(|T_ν| ≥ |d|/√(V₁ + V₀)), ν by {@link welchDegreesOfFreedom} (Welch 1947; what
 * scipy.stats.ttest_ind(equal_var=False) computes for means). For ratio metrics V is the
 * delta-method variance of each arm's ratio. With no variance at all the p-value is 1 for equal
 * estimates and 0 otherwise, and the interval is the point.
 */
export function welchDifference(variant: ArmEstimate, control: ArmEstimate, confidence = 0.95): WelchDifference {
  const difference = variant.estimate - control.estimate;
  const variance = variant.variance + control.variance;
  const standardError = Math.sqrt(variance);
  const degreesOfFreedom = welchDegreesOfFreedom(variant, control);
  if (!(standardError > 0)) {
    return { difference, standardError: 0, degreesOfFreedom, interval: { low: difference, high: difference }, pValue: difference === 0 ? 1 : 0 };
  }
  const half = studentUpperQuantile((1 - confidence) / 2, degreesOfFreedom) * standardError;
  return {
    difference,
    standardError,
    degreesOfFreedom,
    interval: { low: difference - half, high: difference + half },
    pValue: studentTwoSidedP(difference / standardError, degreesOfFreedom),
  };
}

/** The relative lift of variant over control and its standard error. */
export interface RelativeLift {
  /** (m₁ − m₀)/|m₀|: m₁/m₀ − 1 for a positive control, with the sign of the difference always. */
  readonly lift: number;
  readonly standardError: number;
}

/**
 * The relative lift L = (m₁ − m₀)/|m₀| and its delta-method variance for independent arms,
 * Var(L) ≈ V₁/m₀² + m₁²·V₀/m₀⁴ (first-order Taylor expansion of m₁/m₀; Deng, Knoblich and Lu, KDD 2018,
 * §3.3; GrowthBook's gbstats uses the same). For m₀ > 0 it is m₁/m₀ − 1; dividing by |m₀| keeps the
 * lift's sign that of the difference when the control's mean is negative (profit per visitor going
 * from −10 to −5 is +50 %, not −50 %), as gbstats does, so a guardrail's margin and the words read
 * the right way round; the variance is the same either way. The same for means, ratios and
 * proportions: only each arm's estimate and its variance enter.
 * @returns null when the control's estimate is 0
 */
export function relativeLift(variant: { estimate: number; variance: number }, control: { estimate: number; variance: number }): RelativeLift | null {
  const m0 = control.estimate;
  if (m0 === 0) return null;
  const m1 = variant.estimate;
  const variance = variant.variance / (m0 * m0) + (m1 * m1 * control.variance) / (m0 * m0 * m0 * m0);
  return { lift: (m1 - m0) / Math.abs(m0), standardError: Math.sqrt(variance) };
}

/** lift ± critical × standard error: the interval of a relative lift for a given critical value. */
export function liftInterval(lift: RelativeLift, critical: number): Interval {
  return { low: lift.lift - critical * lift.standardError, high: lift.lift + critical * lift.standardError };
}
