// The complementary error function and the standard normal distribution: CDF, survival function, quantile.
const SQRT_TWO = 1.4142135623730950488;
const SQRT_TWO_PI = 2.5066282746310005024;
const ONE_OVER_SQRT_PI = 0.56418958354775628695;

// W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of Computation 23
// (1969), 631-637, the double-precision coefficient sets (as in his SPECFUN routine CALERF): erf on
// [0, 0.46875]; erfc(x)·e^(x²) on [0.46875, 4] and, in 1/x², beyond 4. Relative error below 1e-16 in
// each approximation; the final multiplication by e^(-x²) is done with Cody's splitting (below).
const A = [3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const C = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2, 8.8195222124176909e2, 1.71204761263407058e3,
  2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3,
  3.43936767414372164e3, 1.23033935480374942e3,
];
const P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const Q = [2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
const SMALL = 0.46875;

/** erf(y) for |y| ≤ 0.46875: y·A(y²)/B(y²) (Cody 1969, first interval). */
function erfSmall(y: number): number {
  const z = y * y;
  let num = A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * z;
    den = (den + B[i]!) * z;
  }
  return (y * (num + A[3]!)) / (den + B[3]!);
}

/** erfc(y)·e^(y²) for y > 0.46875 (Cody 1969, second and third intervals). */
function erfcScaled(y: number): number {
  if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]!) / (den + D[7]!);
  }
  const z = 1 / (y * y);
  let num = P[5]! * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  return (ONE_OVER_SQRT_PI - (z * (num + P[4]!)) / (den + Q[4]!)) / y;
}

/**
 * e^(-x²·k), k = 1 or 1/2, without the rounding of x² spoiling the tail: x = h + r with h a multiple of
 * 1/16, so h² is exact and x² = h² + r(x + h) (the splitting of Cody's CALERF).
 */
function expMinusSquare(x: number, k: number): number {
  const h = Math.trunc(x * 16) / 16;
  return Math.exp(-h * h * k) * Math.exp(-(x - h) * (x + h) * k);
}

/** The complementary error function erfc(x) = 1 - erf(x), to about 1e-16 relative accuracy (Cody 1969). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x <= SMALL) return 1 - erfSmall(x);
  // Beyond 26.6 the result underflows (e^-708 is near the smallest normal double).
  if (x > 26.6) return 0;
  return expMinusSquare(x, 1) * erfcScaled(x);
}

/**
 * The standard normal CDF Φ(x) = erfc(-x / √2) / 2. In the tails e^(-x²/2) is formed from x itself, not
 * from the rounded x / √2, so that tiny probabilities keep their relative accuracy.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  const y = a / SQRT_TWO;
  let tail: number;
  if (y <= SMALL) tail = (1 - erfSmall(y)) / 2;
  else tail = a > 37.6 ? 0 : (expMinusSquare(a, 0.5) * erfcScaled(y)) / 2;
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
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((ACKLAM_C[0]! * q + ACKLAM_C[1]!) * q + ACKLAM_C[2]!) * q + ACKLAM_C[3]!) * q + ACKLAM_C[4]!) * q + ACKLAM_C[5]!) / ((((ACKLAM_D[0]! * q + ACKLAM_D[1]!) * q + ACKLAM_D[2]!) * q + ACKLAM_D[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((ACKLAM_A[0]! * r + ACKLAM_A[1]!) * r + ACKLAM_A[2]!) * r + ACKLAM_A[3]!) * r + ACKLAM_A[4]!) * r + ACKLAM_A[5]!) * q) /
    (((((ACKLAM_B[0]! * r + ACKLAM_B[1]!) * r + ACKLAM_B[2]!) * r + ACKLAM_B[3]!) * r + ACKLAM_B[4]!) * r + 1)
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
