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
  /** The pooled standard error SE(0) that the p-value uses: see {@link standardErrorUnder}. */
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
 * The standard error of p̂₁ - p̂₀ evaluated under a candidate difference δ: the rates are moved to
 * p̃₀ = p̄ - n₁δ/(n₁ + n₀) and p̃₁ = p̃₀ + δ (kept inside [0, 1]), which keep the pooled count and differ by
 * δ, and SE(δ) = √(p̃₁q̃₁/n₁ + p̃₀q̃₀/n₀). At δ = 0 it is the pooled standard error of the score test; at the
 * true difference it is consistent. Using the variance under each candidate, as Newcombe's and
 * Miettinen-Nurminen's score intervals do for a single look, keeps false winners near α at unbalanced
 * splits and low rates, where the plug-in (unpooled) variance is far too small, and the interval never
 * has zero width, even at 0 % or 100 %.
 */
export function standardErrorUnder(variant: Proportion, control: Proportion, delta: number): number {
  const n1 = variant.users;
  const n0 = control.users;
  const pooled = (variant.converted + control.converted) / (n1 + n0);
  const q0 = Math.min(Math.max(pooled - (n1 * delta) / (n1 + n0), Math.max(0, -delta)), Math.min(1, 1 - delta));
  const q1 = q0 + delta;
  return Math.sqrt(Math.max(0, (q1 * (1 - q1)) / n1 + (q0 * (1 - q0)) / n0));
}

/**
 * The outer end of {δ : |d - δ| ≤ c·SE(δ)} on the side of `outside` (-1 or 1). Where a rate is clipped at
 * 0 or 1 the set can have gaps, so it is scanned outward from d in geometric steps (5 % of the distance
 * each) and the outermost point found inside is refined by bisection: the interval is the set's hull,
 * which can only be wider, never narrower.
 */
function boundary(variant: Proportion, control: Proportion, d: number, c: number, outside: number): number {
  const isIn = (delta: number) => Math.abs(d - delta) <= c * standardErrorUnder(variant, control, delta);
  if (isIn(outside)) return outside;
  const span = Math.abs(outside - d);
  let inside = d;
  let beyond = outside;
  for (let step = 1e-12 * Math.max(span, 1e-300); step < span; step *= 1.05) {
    const delta = d + Math.sign(outside - d) * step;
    if (isIn(delta)) inside = delta;
  }
  // The first scanned point past `inside` that is outside bounds the bisection.
  for (let step = 1e-12 * Math.max(span, 1e-300); step < span; step *= 1.05) {
    const delta = d + Math.sign(outside - d) * step;
    if (Math.abs(delta - d) > Math.abs(inside - d)) {
      beyond = delta;
      break;
    }
  }
  for (let i = 0; i < 64 && Math.abs(beyond - inside) > 1e-17; i++) {
    const mid = (inside + beyond) / 2;
    if (isIn(mid)) inside = mid;
    else beyond = mid;
  }
  return inside;
}

/**
 * The always-valid p-value of "no difference" alone, without the interval's ends: what
 * {@link sequentialInterval} returns as `pValue`, for callers that test many tables.
 * @returns null when either arm has no users
 */
export function sequentialTest(variant: Proportion, control: Proportion, options: SequentialOptions = {}): { z: number; pValue: number } | null {
  const rho2 = mixtureRho2(options.alpha ?? SEQUENTIAL_DEFAULTS.alpha, options.tuningUsers ?? SEQUENTIAL_DEFAULTS.tuningUsers);
  if (variant.users === 0 || control.users === 0) return null;
  const standardError = standardErrorUnder(variant, control, 0);
  if (!(standardError > 0)) return { z: 0, pValue: 1 };
  const z = (variant.converted / variant.users - control.converted / control.users) / standardError;
  return { z, pValue: sequentialPValue(z, variant.users + control.users, rho2) };
}

/**
 * The asymptotic confidence sequence for p₁ - p₀ (variant minus control) at the current counts:
 * {δ : |d̂ - δ| ≤ SE(δ) · √((tρ² + 1)/(tρ²) · ln((tρ² + 1)/a²))}, with t = n₁ + n₀ users, ρ² tuned by
 * {@link mixtureRho2}, a = `level` (default: the design α) and SE(δ) from {@link standardErrorUnder}.
 * Valid at every look at once: the chance that it ever excludes the true difference is at most a,
 * asymptotically, however often it is read (Waudby-Smith et al. 2024, Theorem 2.2, with the normal-mixture
 * boundary of Howard et al. 2021). It excludes 0 exactly when `pValue` < a, except where a clipped rate
 * leaves a gap in the set at 0 (the interval, its hull, then keeps 0: the verdict stays cautious). Inside [-1, 1].
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
  const c = sequentialCritical(users, rho2, level);
  return {
    difference,
    low: boundary(variant, control, difference, c, -1),
    high: boundary(variant, control, difference, c, 1),
    pValue: sequentialTest(variant, control, options)!.pValue,
    standardError: standardErrorUnder(variant, control, 0),
    level,
  };
}
