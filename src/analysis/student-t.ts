// Student's t and Fisher's F distributions through the regularised incomplete beta function.
import { lnGamma } from './gamma.js';
import { normalQuantile } from './normal.js';

const EPSILON = Number.EPSILON;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/**
 * The remainder of Stirling's series, ln Γ(z) − ((z − ½) ln z − z + ½ ln 2π) = Σ B₂ₖ / (2k(2k − 1) z^(2k−1)),
 * for z ≥ 10, where five terms leave less than 1e-17 (Abramowitz and Stegun 1964, 6.1.40).
 */
function stirlingRemainder(z: number): number {
  const w = 1 / (z * z);
  return (1 / z) * (1 / 12 - w * (1 / 360 - w * (1 / 1260 - w * (1 / 1680 - w / 1188))));
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When one argument is large the three logs are large and
 * cancel; then ln Γ(a + b) − ln Γ(a) is formed from Stirling's series as (a − ½)·log1p(b/a) + b·ln(a + b)
 * − b + remainders, which keeps the result's absolute accuracy near 1e-15 however large a is.
 */
export function lnBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10 || small >= 10) return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  const difference =
    (big - 0.5) * Math.log1p(small / big) + small * Math.log(big + small) - small + stirlingRemainder(big + small) - stirlingRemainder(big);
  return lnGamma(small) - difference;
}

/**
 * The continued fraction of I_x(a, b) evaluated by the modified Lentz method (Press et al. 2007, §6.4,
 * eq. 6.4.5). Its first denominator 1 − (a + b)x/(a + 1) is formed as (1 − b + (a + b)y)/(a + 1) from
 * y = 1 − x: near x = 1 with a large a (a t tail at Welch's degrees of freedom) the direct form cancels
 * to a few digits.
 */
function betaContinuedFraction(x: number, y: number, a: number, b: number): number {
  let c = 1;
  let d = (1 - b + (a + b) * y) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new RangeError(`incomplete beta continued fraction did not converge for x = ${x}, a = ${a}, b = ${b}`);
}

/**
 * The regularised incomplete beta function I_x(a, b), given x and y = 1 − x separately so that a
 * caller who knows 1 − x more accurately than x (or the other way) keeps that accuracy. The continued
 * fraction is used directly below x = (a + 1)/(a + b + 2) and through I_x(a, b) = 1 − I_y(b, a) above it
 * (Press et al., "Numerical Recipes", 3rd ed., 2007, §6.4).
 */
export function regularizedBeta(x: number, y: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && y >= 0) || Math.abs(x + y - 1) > 1e-12) {
    throw new RangeError(`incomplete beta needs a, b > 0 and x + y = 1 in [0, 1], not x = ${x}, a = ${a}, b = ${b}`);
  }
  if (x === 0) return 0;
  if (y === 0) return 1;
  // ln x from whichever of x and y is the smaller: log1p(−y) keeps ln x accurate as x nears 1, where
  // a·ln x with a large a (Welch's degrees of freedom / 2) would otherwise carry a·1e-16 of rounding.
  const ln = (u: number, v: number) => (u < 0.5 ? Math.log(u) : Math.log1p(-v));
  const front = (s: number, t: number, p: number, q: number) => Math.exp(p * ln(s, t) + q * ln(t, s) - lnBeta(p, q));
  if (x < (a + 1) / (a + b + 2)) return (front(x, y, a, b) * betaContinuedFraction(x, y, a, b)) / a;
  return 1 - (front(y, x, b, a) * betaContinuedFraction(y, x, b, a)) / b;
}

/**
 * P(|T| ≥ |t|) for Student's t with ν degrees of freedom (ν > 0, not necessarily whole, as Welch's are):
 * I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz and Stegun 1964, 26.7.1 and 26.5.27).
 */
export function studentTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom are invalid: ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  return regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

/** P(T > t) for Student's t with ν degrees of freedom, accurate in the upper tail. */
export function studentSf(t: number, df: number): number {
  const tail = studentTwoSidedP(t, df) / 2;
  return t >= 0 ? tail : 1 - tail;
}

/** The density of Student's t with ν degrees of freedom. */
export function studentPdf(t: number, df: number): number {
  const logNorm = -lnBeta(df / 2, 0.5) - 0.5 * Math.log(df);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The quantile of Student's t: the t with P(T > t) = q, for 0 < q < 1. Starts from the normal quantile
 * with the first Cornish–Fisher correction (Abramowitz and Stegun 1964, 26.7.5) and refines by Newton's
 * method on the upper tail, which converges to full precision in a few steps from there.
 */
export function studentUpperQuantile(q: number, df: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`tail probability is invalid: ${q}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom are invalid: ${df}`);
  if (q > 0.5) return -studentUpperQuantile(1 - q, df);
  if (q === 0.5) return 0;
  const z = normalQuantile(1 - q);
  let t = z + (z * z * z + z) / (4 * df);
  if (!Number.isFinite(t) || t <= 0) t = z;
  for (let step = 0; step < 100; step++) {
    const f = studentSf(t, df) - q;
    const next = t + f / studentPdf(t, df);
    const moved = Math.abs(next - t);
    // Newton can overshoot to t ≤ 0 from a poor start in very heavy tails; halve towards 0 instead.
    t = next > 0 ? next : t / 2;
    if (moved <= 1e-15 * Math.abs(t)) break;
  }
  return t;
}

/**
 * P(F ≥ f) for Fisher's F with d₁ and d₂ degrees of freedom: I_{d₂/(d₂ + d₁f)}(d₂/2, d₁/2)
 * (Abramowitz and Stegun 1964, 26.6.2).
 */
export function fisherSf(f: number, d1: number, d2: number): number {
  if (!(d1 > 0 && d2 > 0)) throw new RangeError(`degrees of freedom are invalid: ${d1}, ${d2}`);
  if (!(f > 0)) return 1;
  if (!Number.isFinite(f)) return 0;
  return regularizedBeta(d2 / (d2 + d1 * f), (d1 * f) / (d2 + d1 * f), d2 / 2, d1 / 2);
}
