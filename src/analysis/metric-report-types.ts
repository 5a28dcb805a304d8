// The shapes of a metric's results: what goes in (a declared metric's arms as sums) and what comes out.
import type { ArmSums, MetricKind } from './metric-sums.js';
import type { Verdict } from './report-types.js';
import type { SampleRatio } from './sample-ratio.js';
import type { Interval } from './types.js';

/** What a metric is for in one set's decision. */
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

/** A guardrail's outcome by the interval rule: the interval clears the margin, crosses it, or is wholly past it. */
export type GuardrailStatus = 'safe' | 'failing' | 'inconclusive';

/** One metric of one set, as the statistics need it. */
export interface MetricAnalysisInput {
  readonly name: string;
  readonly kind: MetricKind;
  readonly role: MetricRole;
  /** Default true: a larger value is better (revenue); false for latency, refunds. */
  readonly higherIsBetter?: boolean;
  /** Guardrails: the relative non-inferiority margin (0.02 = at most 2 % worse than control). */
  readonly margin?: number;
  /** The smallest relative change that matters: within ±minimumEffect a variant and control are alike (`same`). */
  readonly minimumEffect?: number;
  /** The baseline variant's name. */
  readonly control: string;
  /** One entry per variant, control included. */
  readonly arms: readonly ArmSums[];
  /** Whether `arms` carry the CUPED covariate sums and the adjustment is wanted. */
  readonly cuped?: boolean;
  /** The cap applied before the sums, for the report to say (null: none). */
  readonly cap?: number | null;
  /** Persons excluded because they were exposed to more than one variant. */
  readonly mixed?: number;
}

/** One arm's figures for a metric. */
export interface MetricArmReport {
  readonly variant: string;
  readonly isControl: boolean;
  readonly n: number;
  /** Σy / n (for a ratio, Σy / Σd); null without persons. */
  readonly mean: number | null;
  /** Sample variance with n − 1 (for a ratio, the delta-method variance of the ratio × n); null below 2 persons. */
  readonly variance: number | null;
  /** Interval of the mean (t) or ratio (delta method); null below 2 persons. */
  readonly interval: Interval | null;
  /** What counts towards the minimum before a verdict: conversions (the rarer outcome) or persons with a non-zero value. */
  readonly count: number;
}

/** One variant against control on one metric. */
export interface MetricComparisonReport {
  readonly variant: string;
  readonly control: string;
  /** Variant minus control (CUPED-adjusted when CUPED is on); null when an arm lacks persons. */
  readonly difference: number | null;
  /** Welch–Satterthwaite t interval of the difference at a fixed horizon. */
  readonly differenceInterval: Interval | null;
  /** Welch degrees of freedom. */
  readonly degreesOfFreedom: number | null;
  readonly pValue: number | null;
  /** Holm-adjusted over the metric's variants. */
  readonly adjustedPValue: number | null;
  /** (variant − control) / control, and its delta-method interval. */
  readonly relativeLift: number | null;
  readonly relativeInterval: Interval | null;
  /** The always-valid confidence sequence for the difference: what the verdict follows. */
  readonly sequentialInterval: Interval | null;
  readonly verdict: Verdict;
  /** Guardrails only. */
  readonly guardrail: GuardrailStatus | null;
  /** Variant minus control before CUPED (equal to `difference` without it). */
  readonly unadjustedDifference: number | null;
  /** The always-valid p-value of the sequence at the design level, before Holm. */
  readonly sequentialPValue: number | null;
  /** The level `sequentialInterval` is drawn at: Holm's level for this comparison (α with one variant). */
  readonly level: number | null;
  /** The relative lift's confidence sequence at α / (number of variants): what `guardrail` is judged on. */
  readonly relativeSequentialInterval: Interval | null;
  /** Guardrails only: the guardrail's status in words. */
  readonly guardrailWords: string | null;
}

/** What `analyzeMetric` can be told; every field has a default. */
export interface MetricAnalysisOptions {
  /** Confidence of every interval (default 0.95). */
  readonly confidence?: number;
  /** Persons (variant and control together) where the confidence sequences are tightest (default: plannedUsers, else 5,000). */
  readonly tuningUsers?: number;
  /** Persons the test is planned to reach; the tuning size defaults to it. */
  readonly plannedUsers?: number | null;
  /** Non-zero values (conversions for a proportion) each arm needs before a better/worse verdict (default 25). */
  readonly minimumPerArm?: number;
  /** Expected share of persons per variant (the set's weights), for the sample-ratio check; none: no check. */
  readonly expectedShares?: Readonly<Record<string, number>>;
  /** Sample-ratio mismatch and pre-period imbalance are flagged below this p-value (default 0.001). */
  readonly srmThreshold?: number;
}

/** CUPED's effect on a metric: the pooled θ and the variance it removed. */
export interface CupedFigures {
  readonly theta: number;
  /** 1 − Var(adjusted) / Var(unadjusted), pooled over arms. */
  readonly varianceReduction: number;
  /** Whether the pre-period means differ between arms more than chance allows (p of a test of equal means). */
  readonly balancePValue: number;
  readonly balanced: boolean;
}

/** Everything the results of one metric of one set show. */
export interface MetricReport {
  readonly metric: string;
  readonly kind: MetricKind;
  readonly role: MetricRole;
  readonly higherIsBetter: boolean;
  readonly control: string;
  readonly arms: readonly MetricArmReport[];
  readonly comparisons: readonly MetricComparisonReport[];
  readonly cuped: CupedFigures | null;
  readonly cap: number | null;
  readonly mixed: number;
  /** Users per arm against the configured weights, when the caller gave them. */
  readonly sampleRatio: SampleRatio | null;
  /** One sentence leading the metric's results. */
  readonly summary: string;
  /** Guardrails: the relative non-inferiority margin (null otherwise). */
  readonly margin: number | null;
  /** The smallest relative change that matters (null: no `same` verdict). */
  readonly minimumEffect: number | null;
  /** The tuning size the confidence sequences use. */
  readonly tuningUsers: number;
  /** What each arm's `count` must reach before a better/worse verdict. */
  readonly minimumPerArm: number;
  /** The level of the relative sequences guardrails are judged on: α / (number of comparisons). */
  readonly guardrailLevel: number;
}
