// Pure A/B statistics for the results page: conversion intervals, difference to control, verdicts, sample-ratio mismatch.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { sampleRatioCheck, type SampleRatioCheck } from './sample-ratio.js';

export { sampleRatioCheck, type SampleRatioCheck };

/** A closed interval `[low, high]`. */
export interface Interval {
  low: number;
  high: number;
}

/** Users exposed to one variant and how many of them converted (a `ResultsRow` from db.ts fits). */
export interface VariantCounts {
  setName: string;
  variant: string;
  exposedUsers: number;
  convertedUsers: number;
}

/** What the caller knows about a set: its variants in display order, their weights, which is control. */
export interface SetConfig {
  setName: string;
  /** The variant the others are compared with (`'control'`, or `'price_adjusted_by_0'` for pricing). */
  control: string;
  /** Configured variants and relative weights (equal split: every weight 1, see {@link equalSplit}). */
  variants: readonly { name: string; weight: number }[];
}

/** Thresholds of the analysis; every field has a default. */
export interface AnalysisOptions {
  /** Confidence level of every interval, and 1 - the significance level. Default 0.95. */
  confidence?: number;
  /** Fewer exposed users than this in a variant or in control: 'too little data'. Default 100. */
  minUsers?: number;
  /** Sample-ratio mismatch is flagged when its p-value is below this. Default 0.001. */
  srmThreshold?: number;
  /**
   * Bonferroni: with m variants besides control, test each difference at (1 - confidence) / m
   * and widen its interval to match, so that among many variants (pricing has ten) one lucky
   * variant is not called a winner. Default true.
   */
  adjustForComparisons?: boolean;
}

/** The plain-language verdict on a variant; the control row's verdict is `'control'`. */
export type Verdict = 'control' | 'better than control' | 'worse than control' | 'no clear difference yet' | 'too little data';

/** A variant's difference in conversion rate to control (variant minus control). */
export interface Difference {
  /** Absolute difference of the rates: 0.012 is 1.2 percentage points. */
  absolute: number;
  interval: Interval;
  /** Two-sided p-value of "no difference" (Bonferroni-adjusted in `analyzeSet`, capped at 1). */
  pValue: number;
  /** The same p-value before any adjustment for several comparisons. */
  unadjustedPValue: number;
}

/** One variant's numbers and verdict. */
export interface VariantStats {
  variant: string;
  isControl: boolean;
  /** Share of the set's users this variant should get (0 for a variant not in the config). */
  expectedShare: number;
  exposedUsers: number;
  convertedUsers: number;
  /** convertedUsers / exposedUsers; null with no users. */
  rate: number | null;
  /** Wilson score interval of the rate; null with no users. */
  rateInterval: Interval | null;
  /** Null for control and when either side has no users. */
  difference: Difference | null;
  verdict: Verdict;
}

/** Everything the results page shows about one set. */
export interface SetAnalysis {
  setName: string;
  control: string;
  totalUsers: number;
  /** Configured variants in configured order, then any variant seen in the data but not configured. */
  variants: VariantStats[];
  /** Sample-ratio check over configured weights; users in an unconfigured variant flag it too. */
  srm: SampleRatioCheck;
  /** The variant that significantly beats control with the best rate, if any. */
  winner: VariantStats | null;
  /** Comparisons each difference was adjusted for (1 when not adjusting). */
  comparisons: number;
  options: Required<AnalysisOptions>;
}

const DEFAULTS: Required<AnalysisOptions> = {
  confidence: 0.95,
  minUsers: 100,
  srmThreshold: 0.001,
  adjustForComparisons: true,
};

/** The two-sided critical value of the standard normal: 1.96 for 0.95. */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is invalid: ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/**
 * Wilson score interval for `successes` out of `trials` (Wilson 1927; Newcombe 1998, method 3).
 * Unlike the textbook p ± z·√(p(1-p)/n), it stays inside [0, 1] and is sound at 0 successes.
 * @returns null when there are no trials
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval | null {
  if (trials <= 0) return null;
  const z = zFor(confidence);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Two-sided p-value of a standard normal statistic. Z² follows a chi-square law with one degree
 * of freedom, so P(|Z| ≥ |z|) = 1 - chi2cdf(z², 1), with no normal CDF needed.
 */
export function twoSidedPValue(z: number): number {
  return 1 - chisquareCdf(z * z, 1);
}

/**
 * Difference of two independent proportions (variant minus control) with a normal-approximation
 * (Wald) interval, unpooled standard error √(p₁(1-p₁)/n₁ + p₀(1-p₀)/n₀). The p-value uses the same
 * standard error, so it is below 1 - confidence exactly when the interval excludes 0.
 * @returns null when either side has no trials
 */
export function differenceOfProportions(
  variant: { successes: number; trials: number },
  control: { successes: number; trials: number },
  confidence = 0.95,
): Difference | null {
  if (variant.trials <= 0 || control.trials <= 0) return null;
  const p1 = variant.successes / variant.trials;
  const p0 = control.successes / control.trials;
  const absolute = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / variant.trials + (p0 * (1 - p0)) / control.trials);
  const margin = zFor(confidence) * se;
  // With no variance (every rate 0 or 1) any difference is certain and no difference is no evidence.
  const pValue = se === 0 ? (absolute === 0 ? 1 : 0) : twoSidedPValue(absolute / se);
  return { absolute, interval: { low: absolute - margin, high: absolute + margin }, pValue, unadjustedPValue: pValue };
}

/** The variant with the best rate among those significantly better than control, or null. */
export function findWinner(variants: readonly VariantStats[]): VariantStats | null {
  let best: VariantStats | null = null;
  for (const v of variants) {
    if (v.verdict === 'better than control' && (best === null || (v.rate ?? 0) > (best.rate ?? 0))) best = v;
  }
  return best;
}

/** A {@link SetConfig} where every variant has the same weight, as the engine splits a set. */
export function equalSplit(setName: string, control: string, variants: readonly string[]): SetConfig {
  return { setName, control, variants: variants.map((name) => ({ name, weight: 1 })) };
}

function checkConfig(config: SetConfig): void {
  const names = config.variants.map((v) => v.name);
  const bad = config.variants.find((v) => !(Number.isFinite(v.weight) && v.weight >= 0));
  if (bad) throw new RangeError(`set ${config.setName}: weight of variant ${bad.name} is invalid: ${bad.weight}`);
  if (new Set(names).size !== names.length) throw new RangeError(`set ${config.setName}: variant names repeat`);
  if (!names.includes(config.control)) {
    throw new RangeError(`set ${config.setName}: control ${config.control} is not one of its variants`);
  }
}

function verdictOf(
  v: { exposedUsers: number },
  control: { exposedUsers: number },
  difference: Difference | null,
  options: Required<AnalysisOptions>,
): Verdict {
  if (v.exposedUsers < options.minUsers || control.exposedUsers < options.minUsers || difference === null) {
    return 'too little data';
  }
  if (difference.pValue >= 1 - options.confidence) return 'no clear difference yet';
  return difference.absolute > 0 ? 'better than control' : 'worse than control';
}

/**
 * Analyses one set from the counts of every set (rows of other sets are ignored).
 * @example
 * analyzeSet(equalSplit('delay', 'control', ['control', 'long', 'short']), store.resultsRows())
 */
export function analyzeSet(config: SetConfig, counts: readonly VariantCounts[], options: AnalysisOptions = {}): SetAnalysis {
  const opts: Required<AnalysisOptions> = { ...DEFAULTS, ...options };
  checkConfig(config);
  const mine = counts.filter((row) => row.setName === config.setName);
  const countsOf = (variant: string) => {
    const rows = mine.filter((row) => row.variant === variant);
    return {
      exposedUsers: rows.reduce((sum, row) => sum + row.exposedUsers, 0),
      convertedUsers: rows.reduce((sum, row) => sum + row.convertedUsers, 0),
    };
  };
  const configured = new Set(config.variants.map((v) => v.name));
  const extra = [...new Set(mine.map((row) => row.variant))].filter((name) => !configured.has(name)).sort();
  const layout = [...config.variants, ...extra.map((name) => ({ name, weight: 0 }))];
  const weights = config.variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  const control = countsOf(config.control);
  const comparisons = opts.adjustForComparisons ? Math.max(1, layout.length - 1) : 1;
  // Interval at 1 - α/m and p·m: the interval excludes 0 exactly when the adjusted p is below α.
  const differenceConfidence = 1 - (1 - opts.confidence) / comparisons;

  const variants = layout.map(({ name, weight }): VariantStats => {
    const c = countsOf(name);
    const isControl = name === config.control;
    const raw = isControl
      ? null
      : differenceOfProportions(
          { successes: c.convertedUsers, trials: c.exposedUsers },
          { successes: control.convertedUsers, trials: control.exposedUsers },
          differenceConfidence,
        );
    const difference = raw && { ...raw, pValue: Math.min(1, raw.pValue * comparisons) };
    return {
      variant: name,
      isControl,
      expectedShare: weights > 0 ? Math.max(0, weight) / weights : 0,
      ...c,
      rate: c.exposedUsers > 0 ? c.convertedUsers / c.exposedUsers : null,
      rateInterval: wilsonInterval(c.convertedUsers, c.exposedUsers, opts.confidence),
      difference,
      verdict: isControl ? 'control' : verdictOf(c, control, difference, opts),
    };
  });
  const srm = sampleRatioCheck(
    variants.map((v, i) => ({ count: v.exposedUsers, weight: layout[i]!.weight })),
    opts.srmThreshold,
  );
  return {
    setName: config.setName,
    control: config.control,
    totalUsers: variants.reduce((sum, v) => sum + v.exposedUsers, 0),
    variants,
    srm,
    winner: findWinner(variants),
    comparisons,
    options: opts,
  };
}
