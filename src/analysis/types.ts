// The plain shapes the analysis functions share: counts in, intervals and comparisons out.

/** A closed interval `[low, high]`. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** One arm's counts: the users exposed to it, and how many of them converted. */
export interface Proportion {
  /** Converting users (successes). */
  readonly converted: number;
  /** Exposed users (trials). */
  readonly users: number;
}

/** Throws unless `p` is a valid count pair: whole numbers, 0 ≤ converted ≤ users. */
export function checkProportion(p: Proportion, label = 'counts'): void {
  if (!Number.isInteger(p.users) || p.users < 0 || !Number.isInteger(p.converted) || p.converted < 0 || p.converted > p.users) {
    throw new RangeError(`${label} are invalid: ${p.converted} converted of ${p.users} users (expected whole numbers, 0 ≤ converted ≤ users)`);
  }
}

/** Throws unless `confidence` is strictly between 0 and 1. */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is invalid: ${confidence} (expected a number between 0 and 1)`);
}
