// Always-valid confidence sequences for the difference and relative lift of two arms' means or ratios.
import type { ArmEstimate } from './metric-arm.js';
import { mixtureRho2, SEQUENTIAL_DEFAULTS, sequentialCritical, sequentialPValue } from './sequential.js';
import type { Interval } from './types.js';
import type { RelativeLift } from './welch.js';

/** How a metric's confidence sequence is tuned and read. */
export interface MetricSequentialOptions {
  /** The design level of the sequence (default 0.05). */
  readonly alpha?: number;
  /** Persons (both arms) where the sequence is tightest (default 5,000); keep it fixed for a test. */
  readonly tuningUsers?: number;
  /** The level the interval is drawn at (default: alpha); a Holm level for a verdict. */
  readonly level?: number;
}

/** A metric's confidence sequence at one look. */
export interface MetricSequentialInterval extends Interval {
  readonly difference: number;
  /** Always-valid p-value of "no difference". */
  readonly pValue: number;
  /** The multiple of the standard error the half-width is at this look and level. */
  readonly critical: number;
  readonly level: number;
}

function parameters(users: number, options: MetricSequentialOptions): { rho2: number; level: number; critical: number } {
  const alpha = options.alpha ?? SEQUENTIAL_DEFAULTS.alpha;
  const level = options.level ?? alpha;
  if (!(level > 0 && level < 1)) throw new RangeError(`level is invalid: ${level}`);
  const rho2 = mixtureRho2(alpha, options.tuningUsers ?? SEQUENTIAL_DEFAULTS.tuningUsers);
  return { rho2, level, critical: sequentialCritical(users, rho2, level) };
}

/**
 * The standard error the sequence uses: the larger of the unpooled √(V₁ + V₀) and the pooled
 * √(s²ₚ(1/n₁ + 1/n₀)), s²ₚ = ((n₁ − 1)s²₁ + (n₀ − 1)s²₀)/(n₁ + n₀ − 2) from each arm's per-person variance.
 * The unpooled one alone makes false verdicts at unbalanced splits with skewed values: the small
 * arm's mean and its variance estimate fall together when its few large values are missing, so its
 * z is too large exactly then (simulated: 90/10 revenue, 8–23 % false at 240 looks). The pooled one is
 * the variance under "no difference" (as the pooled SE of the proportions' sequence at δ = 0), which the
 * large arm estimates well; taking the larger keeps the unpooled one's validity when the variances
 * differ. Measured in scripts/simulate-verdicts.ts.
 */
export function sequentialStandardError(variant: ArmEstimate, control: ArmEstimate): number {
  const unpooled = variant.variance + control.variance;
  const dof = variant.n + control.n - 2;
  const pooledUnit = dof > 0 ? ((variant.n - 1) * variant.unitVariance + (control.n - 1) * control.unitVariance) / dof : 0;
  return Math.sqrt(Math.max(unpooled, pooledUnit * (1 / variant.n + 1 / control.n)));
}

/**
 * The asymptotic confidence sequence for m₁ − m₀ (means, ratios, CUPED-adjusted means):
 * d̂ ± c(t, a)·SE, SE from {@link sequentialStandardError}, with t = n₁ + n₀ persons, c(t, a) = √((tρ² + 1)/(tρ²) · ln((tρ² + 1)/a²)) and
 * ρ² tuned as for proportions (see mixtureRho2): the same family and tuning parameter as the conversion
 * verdicts, with the plug-in variance of each arm's estimate in place of the binomial one
 * (I. Waudby-Smith, D. Arbour, R. Sinha, E. H. Kennedy and A. Ramdas, "Time-uniform central limit theory
 * and asymptotic confidence sequences", Annals of Statistics, 2024, Theorem 2.2 and §3.2; the boundary of
 * Howard et al. 2021, eq. (14); as GrowthBook's sequential testing for means). The always-valid p-value
 * is √(tρ² + 1)·exp(−z²tρ²/(2(tρ² + 1))), z = d̂/SE: below a exactly when the interval excludes 0.
 */
export function metricSequentialInterval(
  variant: ArmEstimate,
  control: ArmEstimate,
  options: MetricSequentialOptions = {},
): MetricSequentialInterval {
  const users = variant.n + control.n;
  const { rho2, level, critical } = parameters(users, options);
  const difference = variant.estimate - control.estimate;
  const standardError = sequentialStandardError(variant, control);
  if (!(standardError > 0)) {
    return { difference, low: difference, high: difference, pValue: difference === 0 ? 1 : 0, critical, level };
  }
  const half = critical * standardError;
  return {
    difference,
    low: difference - half,
    high: difference + half,
    pValue: sequentialPValue(difference / standardError, users, rho2),
    critical,
    level,
  };
}

/**
 * The confidence sequence of the relative lift, L̂ ± c(t, a)·SE(L̂), with SE from the delta method
 * (see relativeLift) and c as in {@link metricSequentialInterval}: what a guardrail's non-inferiority
 * is judged on, safe to read at every look under the same asymptotics.
 */
export function relativeSequentialInterval(lift: RelativeLift, users: number, options: MetricSequentialOptions = {}): Interval {
  const { critical } = parameters(users, options);
  return { low: lift.lift - critical * lift.standardError, high: lift.lift + critical * lift.standardError };
}
