// Newcombe's hybrid score interval for the difference of two independent proportions.
import { checkConfidence, checkProportion, type Interval, type Proportion } from './types.js';
import { wilsonInterval } from './wilson.js';

/** A difference of rates, variant minus control (0.012 is 1.2 percentage points), with an interval. */
export interface DifferenceInterval extends Interval {
  readonly difference: number;
}

/**
 * Newcombe's hybrid score interval for p₁ - p₀ (variant minus control): R. G. Newcombe, "Interval
 * estimation for the difference between independent proportions: comparison of eleven methods",
 * Statistics in Medicine 17 (1998), method 10. With Wilson limits (l₁, u₁), (l₀, u₀) of each arm:
 * low = d - √((p₁ - l₁)² + (u₀ - p₀)²), high = d + √((u₁ - p₁)² + (p₀ - l₀)²).
 * Never zero width, and inside [-1, 1], even for 0 % against 100 %.
 * @returns null when either arm has no users
 */
export function newcombeInterval(variant: Proportion, control: Proportion, confidence = 0.95): DifferenceInterval | null {
  checkProportion(variant, 'variant counts');
  checkProportion(control, 'control counts');
  checkConfidence(confidence);
  const w1 = wilsonInterval(variant, confidence);
  const w0 = wilsonInterval(control, confidence);
  if (!w1 || !w0) return null;
  const p1 = variant.converted / variant.users;
  const p0 = control.converted / control.users;
  const difference = p1 - p0;
  const low = difference - Math.hypot(p1 - w1.low, w0.high - p0);
  const high = difference + Math.hypot(w1.high - p1, p0 - w0.low);
  return { difference, low: Math.max(-1, low), high: Math.min(1, high) };
}
