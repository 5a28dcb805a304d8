// The complementary error function and the standard normal distribution: CDF, survival function, quantile.
import { gammaContinuedFraction, gammaSeries } from './gamma.js';

const SQRT_PI = 1.7724538509055160273;
const SQRT_TWO = 1.4142135623730950488;
const SQRT_TWO_PI = 2.5066282746310005024;

/**
 * e^(-x²/2 · k) for k = 2 or 1 without the rounding of x² spoiling the tail: x = h + r with h a multiple
 * of 1/16, so h² is exact and x² = h² + r(x + h) (the splitting W. J. Cody uses in his erfc, ACM TOMS 1993).
 */
function expMinusSquare(x: number, half: boolean): number {
  const h = Math.trunc(x * 16) / 16;
  const scale = half ? 0.5 : 1;
  return Math.exp(-h * h * scale) * Math.exp(-(x - h) * (x + h) * scale);
}

/**
 * erfc(y) = Q(1/2, y²) for y ≥ 0 given y² and e^(-y²) (accurate: see expMinusSquare). y² < 1.5: erf from the
 * incomplete-gamma series; beyond: the continued fraction for Q, which keeps the relative accuracy of tiny
 * tails (Press et al. 2007, §6.2.2; Abramowitz & Stegun 7.1.1 and 6.5.17).
 */
function erfcOf(y: number, y2: number, expMinusY2: number): number {
  // Γ(3/2) = √π / 2 and Γ(1/2) = √π.
  if (y2 < 1.5) return 1 - ((2 * y) / SQRT_PI) * expMinusY2 * gammaSeries(0.5, y2);
  return (y / SQRT_PI) * expMinusY2 * gammaContinuedFraction(0.5, y2);
}

/** The complementary error function erfc(x) = 1 - erf(x), to about 1e-15 relative accuracy. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  // Beyond 27.3 the result underflows to 0 (e^-745 is the smallest double).
  if (x > 27.3) return 0;
  return erfcOf(x, x * x, expMinusSquare(x, false));
}

/**
 * The standard normal CDF Φ(x) = erfc(-x / √2) / 2. In the lower tail the exponent e^(-x²/2) is formed
 * from x itself, not from the rounded x / √2, so tiny probabilities keep their relative accuracy.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  const tail = a > 38.6 ? 0 : erfcOf(a / SQRT_TWO, (a * a) / 2, expMinusSquare(a, true)) / 2;
  return x < 0 ? tail : 1 - tail;
}

/** The standard normal survival function 1 - Φ(x) = Φ(-x), with relative accuracy in the upper tail. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / SQRT_TWO_PI;
}

// P. J. Acklam's rational approximation to the normal quantile (relative error below 1.15e-9, 2003),
// used only as the starting point of the Halley refinement below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/**
 * The standard normal quantile Φ⁻¹(p): Acklam's approximation refined by two steps of Halley's method
 * on Φ(x) - p (Acklam 2003; the refinement as he describes it), which brings it to full double
 * precision given an accurate Φ. Below 0.5 the lower tail is solved directly; above, by symmetry
 * (1 - p is exact there), so tiny and near-one probabilities both keep their accuracy.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  for (let step = 0; step < 2; step++) {
    const e = normalCdf(x) - p;
    // e / φ(x), written so that φ(x) need not be formed where it underflows.
    const u = e * SQRT_TWO_PI * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}
