// Wilson's score interval for one binomial proportion (one arm's conversion rate).
import { normalQuantile } from './normal.js';
import { checkConfidence, checkProportion, type Interval, type Proportion } from './types.js';

/**
 * The Wilson score interval for `converted / users` (E. B. Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22, 1927; method 3 of Newcombe, Statistics in Medicine
 * 17, 1998): the p₀ with |p̂ - p₀| ≤ z √(p₀(1 - p₀)/n), i.e.
 * (p̂ + z²/2n ± z √(p̂(1 - p̂)/n + z²/4n²)) / (1 + z²/n).
 * It stays inside [0, 1] and never has zero width, even at 0 % or 100 %.
 * @returns null for an arm with no users
 * @example
 * wilsonInterval({ converted: 0, users: 100 }) // { low: 0, high: 0.0370 }
 */
export function wilsonInterval(arm: Proportion, confidence = 0.95): Interval | null {
  checkProportion(arm);
  checkConfidence(confidence);
  const n = arm.users;
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = arm.converted / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 and n successes one end is exactly 0 or 1; rounding must not push it past.
  const low = arm.converted === 0 ? 0 : Math.max(0, centre - half);
  const high = arm.converted === n ? 1 : Math.min(1, centre + half);
  return { low, high };
}
