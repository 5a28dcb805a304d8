// The chi-square distribution's survival function, for Pearson's goodness-of-fit test.
import { regularizedGammaQ } from './gamma.js';

/**
 * P(X ≥ x) for X chi-square with `df` degrees of freedom: Q(df / 2, x / 2), the regularised upper
 * incomplete gamma function (Abramowitz & Stegun 1964, 26.4.19; computed as in Press et al. 2007, §6.2).
 */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square degrees of freedom must be positive, not ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
