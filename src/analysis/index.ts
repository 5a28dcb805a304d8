// tracks-ab/analysis: pure statistics for A/B results, from per-variant counts to a report with verdicts in words.
export { analyzeMulti, analyzeSet, memberSplitCheck } from './report.js';
export type {
  AnalysisMulti,
  AnalysisSet,
  AnalysisVariant,
  ArmReport,
  ComparisonReport,
  MemberCounts,
  MultiReport,
  PlanningFigures,
  ReportOptions,
  ReportStatus,
  ResolvedReportOptions,
  SetReport,
  TestFigures,
  VariantCounts,
  Verdict,
  VerdictKind,
} from './report-types.js';
export { deriveVerdicts } from './verdicts.js';
export type { ComparisonNumbers, ReportNumbers, ReportWords } from './verdicts.js';
export { wilsonInterval } from './wilson.js';
export { newcombeInterval } from './newcombe.js';
export type { DifferenceInterval } from './newcombe.js';
export { pooledScoreTest } from './score-test.js';
export type { ScoreTest } from './score-test.js';
export { holmAdjust, holmLevels } from './holm.js';
export { sampleRatioCheck } from './sample-ratio.js';
export type { SampleRatio } from './sample-ratio.js';
export {
  mixtureRho2,
  SEQUENTIAL_DEFAULTS,
  sequentialCritical,
  sequentialInterval,
  sequentialPValue,
  sequentialTest,
  standardErrorUnder,
} from './sequential.js';
export type { SequentialInterval, SequentialOptions } from './sequential.js';
export { minimumDetectableEffect, requiredUsers } from './planning.js';
export type { PowerOptions, RequiredUsers } from './planning.js';
export { chiSquareSf } from './chi-square.js';
export { erfc, normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
export { lnGamma, regularizedGammaP, regularizedGammaQ } from './gamma.js';
export {
  formatConfidence,
  formatCount,
  formatPercent,
  formatPoints,
  formatPointSize,
  formatPValue,
  formatRelative,
  formatSignedValue,
  formatValue,
} from './format.js';
export type { Interval, Proportion } from './types.js';
export type { ArmSums, MetricKind } from './metric-sums.js';
export type {
  CupedFigures,
  GuardrailStatus,
  MetricAnalysisInput,
  MetricAnalysisOptions,
  MetricArmReport,
  MetricComparisonReport,
  MetricReport,
  MetricRole,
} from './metric-report-types.js';
export { analyzeMetric } from './metric-report.js';
export { armEstimate, armInterval, meanEstimate, ratioEstimate } from './metric-arm.js';
export type { ArmEstimate } from './metric-arm.js';
export { liftInterval, relativeLift, welchDegreesOfFreedom, welchDifference } from './welch.js';
export type { RelativeLift, WelchDifference } from './welch.js';
export { cupedEstimate, cupedFit } from './cuped.js';
export type { CupedFit } from './cuped.js';
export { metricSequentialInterval, relativeSequentialInterval, sequentialStandardError } from './metric-sequential.js';
export type { MetricSequentialInterval, MetricSequentialOptions } from './metric-sequential.js';
export { guardrailStatus } from './guardrail.js';
export { deriveMetricVerdicts, formatEstimate } from './metric-verdicts.js';
export type { MetricComparisonNumbers, MetricReportNumbers, MetricReportWords } from './metric-verdicts.js';
export { effectiveCount, PEEKING_DEFAULTS, resolveTuningUsers } from './peeking.js';
export { fisherSf, lnBeta, regularizedBeta, studentPdf, studentSf, studentTwoSidedP, studentUpperQuantile } from './student-t.js';
export { leadingVariant } from './metric-leader.js';
export type { MetricLeader } from './metric-leader.js';
