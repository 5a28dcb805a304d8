// Planning: the smallest effect the users so far can detect, and the users needed to detect a given one.
import { normalQuantile } from './normal.js';
import { mixtureRho2, type SequentialOptions } from './sequential.js';

/** Error rates of a plan. */
export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  readonly alpha?: number;
  /** Chance of detecting the effect when it is real (default 0.8). */
  readonly power?: number;
  /**
   * Plan for the confidence sequence instead of a single fixed-horizon look: the critical value
   * z₁₋α/₂ becomes the sequence's boundary multiple at the planned users (see sequentialCritical).
   */
  readonly sequential?: SequentialOptions | null;
}

function critical(users: number, alpha: number, sequential: SequentialOptions | null | undefined): number {
  if (!sequential) return normalQuantile(1 - alpha / 2);
  const rho2 = mixtureRho2(sequential.alpha ?? alpha, sequential.tuningUsers ?? 5000);
  const tr = users * rho2;
  return Math.sqrt(((tr + 1) / tr) * Math.log((tr + 1) / (alpha * alpha)));
}

function checkRate(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} is invalid: ${p} (expected a rate from 0 to 1)`);
}

/**
 * The power equation of the pooled two-proportion test under the normal approximation (J. L. Fleiss,
 * B. Levin and M. C. Paik, "Statistical Methods for Rates and Proportions", 3rd ed., 2003, §4.2,
 * eq. 4.14 without continuity correction): |δ| = c·√(p̄q̄(1/n₀ + 1/n₁)) + z₁₋β·√(p₀q₀/n₀ + p₁q₁/n₁),
 * with p₁ = p₀ + δ and p̄ = (n₀p₀ + n₁p₁)/(n₀ + n₁). Returns the left side minus the right side.
 */
function margin(p0: number, effect: number, n0: number, n1: number, c: number, zPower: number): number {
  const p1 = p0 + effect;
  const pBar = (n0 * p0 + n1 * p1) / (n0 + n1);
  const null0 = Math.sqrt(pBar * (1 - pBar) * (1 / n0 + 1 / n1));
  const alt = Math.sqrt((p0 * (1 - p0)) / n0 + (p1 * (1 - p1)) / n1);
  return Math.abs(effect) - c * null0 - zPower * alt;
}

/** Users needed in each arm of one comparison. */
export interface RequiredUsers {
  readonly control: number;
  readonly variant: number;
}

/**
 * The users needed in control and in the variant to detect an absolute `effect` (0.01 = 1 point) on a
 * `baseline` rate with the given power: n₀ = (c√(p̄q̄(1 + 1/r)) + z₁₋β√(p₀q₀ + p₁q₁/r))² / δ² and
 * n₁ = r·n₀, r = `ratio` (variant users per control user), from Fleiss, Levin and Paik (2003) eq. 4.14.
 * With `sequential`, c depends on n and the smallest n that satisfies the equation is found by bisection.
 * @returns null when p₀ + δ falls outside [0, 1] or δ is 0
 * @example
 * requiredUsers({ baseline: 0.05, effect: 0.01 }) // { control: 8158, variant: 8158 }
 */
export function requiredUsers(plan: { baseline: number; effect: number; ratio?: number } & PowerOptions): RequiredUsers | null {
  const { baseline: p0, effect } = plan;
  const ratio = plan.ratio ?? 1;
  const alpha = plan.alpha ?? 0.05;
  const power = plan.power ?? 0.8;
  checkRate('baseline', p0);
  if (!(ratio > 0 && Number.isFinite(ratio))) throw new RangeError(`ratio is invalid: ${ratio}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power is invalid: ${power}`);
  const p1 = p0 + effect;
  if (effect === 0 || !(p1 >= 0 && p1 <= 1)) return null;
  const zPower = normalQuantile(power);
  const pBar = (p0 + ratio * p1) / (1 + ratio);
  const root = (c: number) => c * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / ratio)) + zPower * Math.sqrt(p0 * (1 - p0) + (p1 * (1 - p1)) / ratio);
  let n0: number;
  if (!plan.sequential) {
    n0 = (root(critical(0, alpha, null)) / effect) ** 2;
  } else {
    const enough = (n: number) => Math.sqrt(n) * Math.abs(effect) >= root(critical(n * (1 + ratio), alpha, plan.sequential));
    let high = 1;
    while (!enough(high)) high *= 2;
    let low = high / 2;
    // Bisection to well below one user, so that rounding up gives the smallest whole number that suffices.
    while (high - low > 1e-9 * high) {
      const mid = (low + high) / 2;
      if (enough(mid)) high = mid;
      else low = mid;
    }
    n0 = high;
  }
  return { control: Math.ceil(n0), variant: Math.ceil(n0 * ratio) };
}

/**
 * The minimum detectable effect: the smallest absolute difference δ > 0 (an increase when the baseline is
 * at most 50 %, else a decrease, returned as a positive number) that `control` and `variant` users detect
 * with the given power, solving Fleiss, Levin and Paik's eq. 4.14 (above) for δ by bisection.
 * @returns null when no effect within [0, 1] can be detected with these users (or an arm is empty)
 */
export function minimumDetectableEffect(plan: { baseline: number; control: number; variant: number } & PowerOptions): number | null {
  const { baseline: p0, control: n0, variant: n1 } = plan;
  checkRate('baseline', p0);
  if (!(n0 > 0 && n1 > 0)) return null;
  const alpha = plan.alpha ?? 0.05;
  const zPower = normalQuantile(plan.power ?? 0.8);
  const c = critical(n0 + n1, alpha, plan.sequential);
  const sign = p0 <= 0.5 ? 1 : -1;
  const room = sign > 0 ? 1 - p0 : p0;
  if (margin(p0, sign * room, n0, n1, c, zPower) < 0) return null;
  let low = 0;
  let high = room;
  for (let i = 0; i < 200 && high - low > 1e-15 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (margin(p0, sign * mid, n0, n1, c, zPower) >= 0) high = mid;
    else low = mid;
  }
  return high;
}
