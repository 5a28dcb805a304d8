// What the database hands the statistics for one metric: per-arm sufficient statistics, one row per variant.

/** How a metric reads a person: did they do it, a value summed per person, or a ratio of two sums. */
export type MetricKind = 'proportion' | 'mean' | 'ratio';

/**
 * One arm's sufficient statistics for one metric, as one `group by variant` pass returns them,
 * capping already applied to each person's value. The unit is the person (aliases resolved,
 * attributed to their first exposure, people exposed to two variants excluded).
 *
 * - `proportion` and `mean`: `y` is the person's value (0/1 for a proportion, zeros included).
 * - `ratio`: `y` is the person's numerator and `d` their denominator (revenue and orders).
 * - With CUPED: `x` is the same metric's value for the person over the window before their first
 *   exposure (0 for a person with no pre-period data).
 */
export interface ArmSums {
  readonly variant: string;
  /** Persons in the arm. */
  readonly n: number;
  readonly sumY: number;
  readonly sumY2: number;
  /** Ratio metrics: Σd, Σd², Σyd. */
  readonly sumD?: number;
  readonly sumD2?: number;
  readonly sumYD?: number;
  /** CUPED: Σx, Σx², Σxy over the pre-period covariate. */
  readonly sumX?: number;
  readonly sumX2?: number;
  readonly sumXY?: number;
  /**
   * Persons whose value y is not 0 (for a proportion: those who did it; for a ratio: whose numerator is
   * not 0): what the minimum before a better/worse verdict counts. Without it the analysis uses
   * (Σy)²/Σy², which is that count for 0/1 values and at most that count for values of one sign.
   */
  readonly nonZero?: number;
}
