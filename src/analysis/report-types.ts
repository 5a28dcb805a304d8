// The shapes of a results report: what goes in (a set's description and its counts) and what comes out.
import type { DifferenceInterval } from './newcombe.js';
import type { SampleRatio } from './sample-ratio.js';
import type { Interval } from './types.js';

/** A variant as the analysis needs it; `describeSet(Set).variants` entries fit. */
export interface AnalysisVariant {
  readonly name: string;
  /** The share of the set's logged users this variant should get. */
  readonly expectedShare: number;
}

/** A set as the analysis needs it; `describeSet(Set)` fits. */
export interface AnalysisSet {
  readonly name: string;
  /** The control variant, or null (then `options.control` or the first variant is the baseline). */
  readonly control: string | null;
  readonly variants: readonly AnalysisVariant[];
  readonly disabled?: boolean;
  readonly pinned?: string | null;
}

/** A MultiTrackSet as the analysis needs it; `describeSet(Multi)` fits. */
export interface AnalysisMulti {
  readonly name: string;
  readonly members: readonly { readonly expectedShare: number; readonly set: AnalysisSet }[];
}

/** One variant's counts, as a `group by variant` query returns them. */
export interface VariantCounts {
  readonly variant: string;
  /** Users exposed to the variant (each person once). */
  readonly users: number;
  /** Of those, users who converted after their first exposure. */
  readonly converted: number;
}

/** One member set's variant counts, for a MultiTrackSet. */
export interface MemberCounts extends VariantCounts {
  /** The member set's name. */
  readonly set: string;
}

/** What a report can be told; every field has a default. */
export interface ReportOptions {
  /** Confidence of every interval (default 0.95): α = 1 - confidence. */
  readonly confidence?: number;
  /** Power for planning (default 0.8). */
  readonly power?: number;
  /** Users (control and variant together) at which the sequential intervals are tightest (default: `plannedUsers`, else 5,000). */
  readonly tuningUsers?: number;
  /**
   * Conversions (or, above a 50 % rate, non-conversions) each arm needs before a better/worse verdict
   * (default 25): the sequence is asymptotic, and this keeps its false verdicts at or below 5.5 % at 240
   * looks even when the tuning size is far below the test's size (docs/analysis.md).
   */
  readonly minimumConverted?: number;
  /** The baseline variant, when the set has no `control` (default: its first variant). */
  readonly control?: string;
  /** The smallest absolute difference that matters (0.01 = 1 point); null: none given (default). */
  readonly minimumEffect?: number | null;
  /** Users in the set at which a fixed-horizon verdict may be read; null: none shown (default). */
  readonly plannedUsers?: number | null;
  /** Sample-ratio mismatch is flagged below this p-value (default 0.001). */
  readonly srmThreshold?: number;
}

/** The options of a report with every default filled in. */
export type ResolvedReportOptions = Required<Omit<ReportOptions, 'control'>> & { readonly control: string };

/** What a verdict says, in a word a program can switch on. */
export type VerdictKind = 'better' | 'worse' | 'same' | 'unclear' | 'not-enough-data' | 'no-users' | 'on-hold';

/** A verdict: its kind, and the sentence a person reads. */
export interface Verdict {
  readonly kind: VerdictKind;
  readonly words: string;
}

/** One arm's figures. */
export interface ArmReport {
  readonly variant: string;
  readonly isControl: boolean;
  readonly expectedShare: number;
  readonly users: number;
  readonly converted: number;
  /** converted / users; null without users. */
  readonly rate: number | null;
  /** Wilson score interval of the rate; null without users. */
  readonly interval: Interval | null;
}

/** Figures of one test (fixed-horizon or sequential) of a variant against control. */
export interface TestFigures {
  /** The interval at the report's confidence, before any multiplicity adjustment. */
  readonly interval: DifferenceInterval | null;
  readonly pValue: number | null;
  /** Holm-adjusted over the comparisons that have users. */
  readonly adjustedPValue: number | null;
  /** The level Holm's procedure tests this comparison at (α when it is the only one). */
  readonly level: number | null;
  /** The interval at confidence 1 - level: the one a verdict follows. */
  readonly verdictInterval: DifferenceInterval | null;
}

/** Planning figures of one comparison. */
export interface PlanningFigures {
  /** The control rate planning starts from (Laplace's (x + 1)/(n + 2) when it is 0 % or 100 %). */
  readonly baseline: number | null;
  /** The level planning uses: α divided by the number of comparisons (Bonferroni, conservative for Holm). */
  readonly alpha: number;
  /** Smallest difference the users so far detect with the report's power, at a single fixed-horizon look. */
  readonly minimumDetectableEffect: number | null;
  /** The same for the sequential interval, which is what the verdict follows. */
  readonly sequentialMinimumDetectableEffect: number | null;
  /** Users needed in each arm to detect `minimumEffect` at a fixed horizon; null without one. */
  readonly requiredUsers: { readonly control: number; readonly variant: number } | null;
  /** The same for the sequential interval. */
  readonly sequentialRequiredUsers: { readonly control: number; readonly variant: number } | null;
}

/** A variant compared with control. */
export interface ComparisonReport {
  readonly variant: string;
  readonly control: string;
  /** Variant rate minus control rate; null when an arm has no users. */
  readonly difference: number | null;
  /** Newcombe's hybrid score interval and the pooled score test. */
  readonly fixed: TestFigures;
  /** The always-valid confidence sequence and its p-value. */
  readonly sequential: TestFigures;
  readonly planning: PlanningFigures;
  /** The verdict, following the sequential interval. */
  readonly verdict: Verdict;
  /** The fixed-horizon verdict, following Newcombe's interval; null before `plannedUsers` are in. */
  readonly fixedVerdict: Verdict | null;
  /** Variant rate / control rate − 1; null when an arm has no users or control's rate is 0. */
  readonly relativeLift: number | null;
  /** Its delta-method interval at the report's confidence, fixed horizon (see relativeLift). */
  readonly relativeInterval: Interval | null;
}

/** The state of a set's results as a whole. */
export type ReportStatus = 'running' | 'on-hold' | 'no-users' | 'disabled' | 'pinned';

/** Everything the results of one set show. */
export interface SetReport {
  readonly set: string;
  readonly control: string;
  readonly status: ReportStatus;
  readonly options: ResolvedReportOptions;
  readonly totalUsers: number;
  readonly arms: readonly ArmReport[];
  readonly comparisons: readonly ComparisonReport[];
  /** Users per arm against the configured weights. */
  readonly sampleRatio: SampleRatio;
  /** For a member of a MultiTrackSet: the split between members (null otherwise). */
  readonly memberSplit: SampleRatio | null;
  /** One sentence leading the set's results. */
  readonly summary: string;
}

/** The results of a MultiTrackSet: the member split and each member's report. */
export interface MultiReport {
  readonly set: string;
  readonly memberSplit: SampleRatio;
  /** The members that log exposures, in the order of the split's cells. */
  readonly splitMembers: readonly string[];
  readonly members: readonly SetReport[];
}
