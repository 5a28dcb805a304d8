// The pooled two-proportion score test (the z test with pooled variance) of "no difference".
import { normalSf } from './normal.js';
import { checkProportion, type Proportion } from './types.js';

/** A two-sided test of p₁ = p₀. */
export interface ScoreTest {
  /** The standardised difference (variant minus control); 0 when there is no variance at all. */
  readonly z: number;
  readonly pValue: number;
}

/**
 * The score test of H₀: p₁ = p₀ for two independent binomials: z = (p̂₁ - p̂₀) / √(p̄(1 - p̄)(1/n₁ + 1/n₀))
 * with the pooled rate p̄ = (x₁ + x₀) / (n₁ + n₀), and p = 2(1 - Φ(|z|)). The variance is estimated under
 * H₀, which keeps the test's size near α where the unpooled (Wald) test calls false winners, at
 * unbalanced splits and low rates (Agresti, "Categorical Data Analysis", 3rd ed., 2013, §3.1.3 and
 * §1.4.1; it equals Pearson's chi-square test of the 2×2 table without continuity correction).
 * When both arms are all 0 % or all 100 %, nothing tells them apart: z = 0, p = 1.
 * @returns null when either arm has no users
 */
export function pooledScoreTest(variant: Proportion, control: Proportion): ScoreTest | null {
  checkProportion(variant, 'variant counts');
  checkProportion(control, 'control counts');
  const n1 = variant.users;
  const n0 = control.users;
  if (n1 === 0 || n0 === 0) return null;
  const pooled = (variant.converted + control.converted) / (n1 + n0);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n0);
  if (!(variance > 0)) return { z: 0, pValue: 1 };
  const z = (variant.converted / n1 - control.converted / n0) / Math.sqrt(variance);
  return { z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
