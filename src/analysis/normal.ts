// The complementary error function and the standard normal distribution: CDF, survival function, quantile.
const SQRT_TWO = 1.4142135623730951;
const SQRT_TWO_PI = 2.5066282746310007;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

// W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of Computation 23
// (1969), 631-637, the double-precision coefficient sets (as in his SPECFUN routine CALERF): erf on
// [0, 0.46875]; erfc(x)·e^(x²) on [0.46875, 4] and, in 1/x², beyond 4. Relative error below 1e-16 in
// each approximation; the final multiplication by e^(-x²) is done with Cody's splitting (below). The
// published 18-digit values are written here as the doubles they round to.
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716,
  1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216,
  1230.3393548037495,
];
const P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
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
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((ACKLAM_C[0]! * q + ACKLAM_C[1]!) * q + ACKLAM_C[2]!) * q + ACKLAM_C[3]!) * q + ACKLAM_C[4]!) * q + ACKLAM_C[5]!) /
      ((((ACKLAM_D[0]! * q + ACKLAM_D[1]!) * q + ACKLAM_D[2]!) * q + ACKLAM_D[3]!) * q + 1)
    );
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
