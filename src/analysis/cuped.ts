// CUPED: each arm's mean adjusted by a pre-period covariate with one θ pooled over all arms.
import { centred, type ArmEstimate } from './metric-arm.js';
import type { ArmSums } from './metric-sums.js';
import { fisherSf } from './student-t.js';

/** θ, what the adjustment removed, and whether the covariate is balanced between arms. */
export interface CupedFit {
  /** Pooled within-arm Σ(x − x̄ᵢ)(y − ȳᵢ) / Σ(x − x̄ᵢ)². */
  readonly theta: number;
  /** The covariate's mean over every arm, x̄, that adjusted means are centred on. */
  readonly pooledMeanX: number;
  /** 1 − Σ residual SS / Σ SSᵧ within arms: the pooled within-arm R² of y on x. */
  readonly varianceReduction: number;
  /** One-way ANOVA F test of equal covariate means over the arms. */
  readonly balancePValue: number;
}

interface Within {
  readonly sxx: number;
  readonly sxy: number;
  readonly syy: number;
}

function within(arm: ArmSums): Within {
  const sumX = arm.sumX ?? 0;
  return {
    sxx: centred(arm.sumX2 ?? 0, sumX, sumX, arm.n, true),
    sxy: centred(arm.sumXY ?? 0, sumX, arm.sumY, arm.n),
    syy: centred(arm.sumY2, arm.sumY, arm.sumY, arm.n, true),
  };
}

/**
 * CUPED's θ pooled over all arms, θ = Σᵢ Sₓᵧ,ᵢ / Σᵢ Sₓₓ,ᵢ with sums of products centred within each arm:
 * the coefficient of x in the OLS fit of y on x and one dummy per arm, so the adjusted difference
 * (ȳ₁ − ȳ₀) − θ(x̄₁ − x̄₀) is that fit's arm coefficient (A. Deng, Y. Xu, R. Kohavi and T. Walker,
 * "Improving the sensitivity of online controlled experiments by utilizing pre-experiment data",
 * WSDM 2013, §3.3 and §4; pooling over arms keeps θ free of the treatment effect). Arms with fewer
 * than 1 person are skipped.
 * @returns null when x does not vary within any arm (nothing to adjust by)
 */
export function cupedFit(arms: readonly ArmSums[]): CupedFit | null {
  const used = arms.filter((a) => a.n > 0);
  const parts = used.map(within);
  const sxx = parts.reduce((s, p) => s + p.sxx, 0);
  const sxy = parts.reduce((s, p) => s + p.sxy, 0);
  const syy = parts.reduce((s, p) => s + p.syy, 0);
  if (!(sxx > 0)) return null;
  const theta = sxy / sxx;
  const total = used.reduce((s, a) => s + a.n, 0);
  const pooledMeanX = used.reduce((s, a) => s + (a.sumX ?? 0), 0) / total;
  return {
    theta,
    pooledMeanX,
    varianceReduction: syy > 0 ? Math.min(1, Math.max(0, (theta * sxy) / syy)) : 0,
    balancePValue: balancePValue(used, sxx, pooledMeanX),
  };
}

/**
 * The one-way analysis of variance F test that the covariate's mean is the same in every arm:
 * F = (Σ nᵢ(x̄ᵢ − x̄)²/(k − 1)) / (Σ Sₓₓ,ᵢ/(N − k)) against F(k − 1, N − k) (R. A. Fisher, "Statistical
 * Methods for Research Workers", 1925; scipy.stats.f_oneway). Randomisation makes it hold; a small
 * p-value says the pre-period differs between arms more than chance allows (a bug in the assignment
 * or in the covariate's window), and the adjustment then moves the difference by θ·(x̄₁ − x̄₀).
 */
function balancePValue(arms: readonly ArmSums[], sxx: number, pooledMeanX: number): number {
  const k = arms.length;
  const total = arms.reduce((s, a) => s + a.n, 0);
  if (k < 2 || total <= k) return 1;
  const between = arms.reduce((s, a) => s + a.n * ((a.sumX ?? 0) / a.n - pooledMeanX) ** 2, 0);
  if (!(between > 0)) return 1;
  return fisherSf(between / (k - 1) / (sxx / (total - k)), k - 1, total - k);
}

/**
 * An arm's CUPED-adjusted mean ȳ − θ(x̄ − x̄_pooled) and its variance (s²ᵧ − 2θsₓᵧ + θ²s²ₓ)/n, every s
 * with n − 1: the mean and variance of the per-person values y − θ(x − x̄_pooled), with θ and x̄_pooled
 * taken as fixed (Deng et al. 2013, eq. 4; their estimation adds O(1/N) that is ignored, as there).
 * @returns null below 2 persons
 */
export function cupedEstimate(arm: ArmSums, fit: CupedFit): ArmEstimate | null {
  if (arm.n < 2) return null;
  const w = within(arm);
  const residual = Math.max(0, w.syy - 2 * fit.theta * w.sxy + fit.theta * fit.theta * w.sxx);
  const unitVariance = residual / (arm.n - 1);
  const estimate = arm.sumY / arm.n - fit.theta * ((arm.sumX ?? 0) / arm.n - fit.pooledMeanX);
  return { n: arm.n, estimate, variance: unitVariance / arm.n, unitVariance };
}
