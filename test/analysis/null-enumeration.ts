// Exact rejection probabilities under no effect, by enumerating binomial outcomes (one look or many).
import { lnGamma } from '../../src/analysis/index.js';

/** A decision rule at one look: true when it calls a difference (a false one, under no effect). */
export type Rejects = (x1: number, n1: number, x0: number, n0: number) => boolean;

/** The arm sizes at one look: variant n1, control n0. */
export interface Look {
  readonly n1: number;
  readonly n0: number;
}

/** Probability below which a state is dropped (and counted as unaccounted). */
const NEGLIGIBLE = 1e-24;

/** A count beyond which a Binomial(n, p) has no mass worth counting (well below 1e-30). */
export function cap(n: number, p: number): number {
  return Math.min(n, Math.ceil(n * p + 12 * Math.sqrt(n * p * (1 - p)) + 20));
}

/** P(X = k) for k = 0..max, X ~ Binomial(n, p), 0 < p < 1: from the mode by the ratio recurrence. */
export function binomialPmf(n: number, p: number, max: number): Float64Array {
  const pmf = new Float64Array(max + 1);
  if (n === 0) {
    pmf[0] = 1;
    return pmf;
  }
  const mode = Math.min(max, Math.floor((n + 1) * p));
  const q = 1 - p;
  pmf[mode] = Math.exp(lnGamma(n + 1) - lnGamma(mode + 1) - lnGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log(q));
  for (let k = mode; k < max; k++) pmf[k + 1] = (pmf[k]! * (n - k) * p) / ((k + 1) * q);
  for (let k = mode; k > 0; k--) pmf[k - 1] = (pmf[k]! * k * q) / ((n - k + 1) * p);
  return pmf;
}

/** The result of an enumeration: the rejection probability and the mass the truncation left out. */
export interface Enumeration {
  readonly rejected: number;
  /** Probability outside the enumerated counts: an upper bound on what `rejected` can miss. */
  readonly unaccounted: number;
}

/**
 * P(the rule ever rejects at one of `looks`), both arms Binomial with the same rate p, stopping at the
 * first rejection: a forward pass over the joint distribution of (x1, x0) among the paths not stopped
 * yet, convolving each arm with its binomial increment between looks. One look is the fixed-horizon case.
 */
export function rejectionProbability(looks: readonly Look[], p: number, rejects: Rejects): Enumeration {
  const last = looks[looks.length - 1]!;
  const c1 = cap(last.n1, p);
  const c0 = cap(last.n0, p);
  const width = c0 + 1;
  let mass = new Float64Array((c1 + 1) * width);
  mass[0] = 1;
  let rejected = 0;
  let previous: Look = { n1: 0, n0: 0 };
  for (const look of looks) {
    const d1 = look.n1 - previous.n1;
    const d0 = look.n0 - previous.n0;
    const inc1 = binomialPmf(d1, p, Math.min(d1, cap(d1, p)));
    const inc0 = binomialPmf(d0, p, Math.min(d0, cap(d0, p)));
    // Convolve along x0 (rows), then along x1 (columns); counts beyond the caps are dropped (unaccounted).
    const along0 = new Float64Array(mass.length);
    for (let x1 = 0; x1 <= c1; x1++) {
      const row = x1 * width;
      for (let x0 = 0; x0 <= c0; x0++) {
        const m = mass[row + x0]!;
        // Paths this unlikely cannot move the result; dropping them is counted in `unaccounted`.
        if (m < NEGLIGIBLE) continue;
        const top = Math.min(inc0.length - 1, c0 - x0);
        for (let k = 0; k <= top; k++) along0[row + x0 + k] = along0[row + x0 + k]! + m * inc0[k]!;
      }
    }
    const next = new Float64Array(mass.length);
    for (let x1 = 0; x1 <= c1; x1++) {
      const top = Math.min(inc1.length - 1, c1 - x1);
      for (let x0 = 0; x0 <= c0; x0++) {
        const m = along0[x1 * width + x0]!;
        if (m < NEGLIGIBLE) continue;
        for (let k = 0; k <= top; k++) next[(x1 + k) * width + x0] = next[(x1 + k) * width + x0]! + m * inc1[k]!;
      }
    }
    for (let x1 = 0; x1 <= Math.min(c1, look.n1); x1++) {
      for (let x0 = 0; x0 <= Math.min(c0, look.n0); x0++) {
        const i = x1 * width + x0;
        if (next[i]! > 0 && rejects(x1, look.n1, x0, look.n0)) {
          rejected += next[i]!;
          next[i] = 0;
        }
      }
    }
    mass = next;
    previous = look;
  }
  const alive = mass.reduce((sum, m) => sum + m, 0);
  return { rejected, unaccounted: Math.max(0, 1 - alive - rejected) };
}

/** `count` equally spaced looks up to `n1 + n0` users, split in the ratio n1 : n0 at every look. */
export function equallySpacedLooks(n1: number, n0: number, count: number): Look[] {
  return Array.from({ length: count }, (_, i) => {
    const users = Math.round(((n1 + n0) * (i + 1)) / count);
    const v = Math.round((users * n1) / (n1 + n0));
    return { n1: v, n0: users - v };
  });
}
