// Always-valid confidence sequences for the difference of two proportions, safe to look at every day.
import { checkProportion, type Proportion } from './types.js';
import type { DifferenceInterval } from './newcombe.js';

/** How a confidence sequence is tuned. */
export interface SequentialOptions {
  /** The significance level the sequence is designed for (default 0.05). */
  readonly alpha?: number;
  /**
   * The number of users (both arms together) at which the sequence should be tightest: the sample size
   * at which a decision is most likely. Default 5,000, GrowthBook's default. Keep it fixed for a test.
   */
  readonly tuningUsers?: number;
}

/** A confidence sequence's value at one look. */
export interface SequentialInterval extends DifferenceInterval {
  /** Always-valid p-value of "no difference": the smallest level at which the sequence excludes 0. */
  readonly pValue: number;
  /** The standard error the sequence scales: see {@link sequentialInterval}. */
  readonly standardError: number;
  /** The level the interval is drawn at (1 - confidence). */
  readonly level: number;
}

/** Default design level and tuning sample size of the confidence sequences. */
export const SEQUENTIAL_DEFAULTS = Object.freeze({ alpha: 0.05, tuningUsers: 5000 });

/**
 * The mixing parameter ρ² of the normal-mixture boundary that makes the sequence tightest near
 * `tuningUsers` users: ρ² = (-2 ln α + ln(-2 ln α + 1)) / t* (Waudby-Smith, Arbour, Sinha, Kennedy and
 * Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences", Annals of
 * Statistics, 2024 (arXiv:2103.06476, 2021-2023), §3.2, the approximate width-optimal choice).
 */
export function mixtureRho2(alpha: number, tuningUsers: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha is invalid: ${alpha}`);
  if (!(tuningUsers > 0 && Number.isFinite(tuningUsers))) throw new RangeError(`tuningUsers is invalid: ${tuningUsers} (expected a positive number)`);
  const l = -2 * Math.log(alpha);
  return (l + Math.log(l + 1)) / tuningUsers;
}

/**
 * The multiple of the standard error that the sequence's half-width is at `users` users and level
 * `level`: √((tρ² + 1)/(tρ²) · ln((tρ² + 1)/level²)), the two-sided normal-mixture boundary of
 * Robbins (1970) in the form of Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Annals of Statistics 49 (2021), eq. (14), applied as an
 * asymptotic confidence sequence (Waudby-Smith et al., Theorem 2.2).
 */
export function sequentialCritical(users: number, rho2: number, level: number): number {
  const tr = users * rho2;
  return Math.sqrt(((tr + 1) / tr) * Math.log((tr + 1) / (level * level)));
}

/**
 * The always-valid p-value of z at `users` users: √(tρ² + 1) · exp(-z² tρ² / (2(tρ² + 1))), capped at 1
 * (the reciprocal of the normal-mixture likelihood ratio; Howard et al. 2021, Johari et al., "Always valid
 * inference", Operations Research 70, 2022). Below a level exactly when the sequence at that level
 * excludes 0, since both come from the same boundary.
 */
export function sequentialPValue(z: number, users: number, rho2: number): number {
  const tr = users * rho2;
  return Math.min(1, Math.sqrt(tr + 1) * Math.exp((-z * z * tr) / (2 * (tr + 1))));
}

/**
 * The standard error the sequence uses for p̂₁ - p̂₀: the larger of the unpooled √(p̂₁q̂₁/n₁ + p̂₀q̂₀/n₀)
 * (consistent for any true rates, as the asymptotic theory asks) and the pooled √(p̄q̄(1/n₁ + 1/n₀)) (the
 * variance under no difference, which keeps false winners near α at unbalanced splits and low rates
 * where the unpooled one is too small). A larger consistent-or-conservative estimate only widens the
 * sequence. When every user converted or none did, p̄ is replaced by Laplace's (x + 1)/(n + 2) so that
 * the interval never has zero width.
 */
export function sequentialStandardError(variant: Proportion, control: Proportion): number {
  const n1 = variant.users;
  const n0 = control.users;
  const x = variant.converted + control.converted;
  const n = n1 + n0;
  let pooled = x / n;
  if (x === 0 || x === n) pooled = (x + 1) / (n + 2);
  const p1 = variant.converted / n1;
  const p0 = control.converted / n0;
  const unpooled = (p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0;
  return Math.sqrt(Math.max(unpooled, pooled * (1 - pooled) * (1 / n1 + 1 / n0)));
}

/**
 * The asymptotic confidence sequence for p₁ - p₀ (variant minus control) at the current counts:
 * d̂ ± SE · √((tρ² + 1)/(tρ²) · ln((tρ² + 1)/a²)), with t = n₁ + n₀ users, ρ² tuned by
 * {@link mixtureRho2} and a = `level` (default: the design α). Valid at every look at once: the chance
 * that it ever excludes the true difference is at most a, asymptotically, however often it is read
 * (Waudby-Smith et al. 2024, Theorem 2.2; Howard et al. 2021). Clipped to [-1, 1].
 * @returns null when either arm has no users
 */
export function sequentialInterval(
  variant: Proportion,
  control: Proportion,
  options: SequentialOptions & { readonly level?: number } = {},
): SequentialInterval | null {
  checkProportion(variant, 'variant counts');
  checkProportion(control, 'control counts');
  const alpha = options.alpha ?? SEQUENTIAL_DEFAULTS.alpha;
  const level = options.level ?? alpha;
  if (!(level > 0 && level < 1)) throw new RangeError(`level is invalid: ${level}`);
  const rho2 = mixtureRho2(alpha, options.tuningUsers ?? SEQUENTIAL_DEFAULTS.tuningUsers);
  if (variant.users === 0 || control.users === 0) return null;
  const users = variant.users + control.users;
  const difference = variant.converted / variant.users - control.converted / control.users;
  const standardError = sequentialStandardError(variant, control);
  const half = standardError * sequentialCritical(users, rho2, level);
  return {
    difference,
    low: Math.max(-1, difference - half),
    high: Math.min(1, difference + half),
    pValue: sequentialPValue(difference / standardError, users, rho2),
    standardError,
    level,
  };
}
