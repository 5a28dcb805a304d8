// The results of one metric of one set, from per-arm sums: arms, comparisons with control, CUPED, guardrails, verdicts.
import { cupedEstimate, cupedFit, type CupedFit } from './cuped.js';
import { holmAdjust, holmLevels } from './holm.js';
import { armEstimate, armInterval, checkArmSums, type ArmEstimate } from './metric-arm.js';
import type { CupedFigures, MetricAnalysisInput, MetricAnalysisOptions, MetricArmReport, MetricReport, MetricRole } from './metric-report-types.js';
import { metricSequentialInterval, relativeSequentialInterval } from './metric-sequential.js';
import type { ArmSums, MetricKind } from './metric-sums.js';
import { deriveMetricVerdicts, type MetricComparisonNumbers } from './metric-verdicts.js';
import { checkMinimumPerArm, effectiveCount, PEEKING_DEFAULTS, resolveTuningUsers } from './peeking.js';
import { sampleRatioCheck, type SampleRatio } from './sample-ratio.js';
import { sequentialInterval } from './sequential.js';
import { studentUpperQuantile } from './student-t.js';
import type { Interval } from './types.js';
import { liftInterval, relativeLift, welchDifference } from './welch.js';

const KINDS: readonly MetricKind[] = ['proportion', 'mean', 'ratio'];
const ROLES: readonly MetricRole[] = ['primary', 'secondary', 'guardrail'];

function checkInput(input: MetricAnalysisInput): void {
  const label = `metric ${input.name}`;
  if (typeof input.name !== 'string' || input.name === '') throw new RangeError(`metric name is invalid: ${String(input.name)}`);
  if (!KINDS.includes(input.kind)) throw new RangeError(`${label}: field kind is invalid: ${String(input.kind)} (expected ${KINDS.join(', ')})`);
  if (!ROLES.includes(input.role)) throw new RangeError(`${label}: field role is invalid: ${String(input.role)} (expected ${ROLES.join(', ')})`);
  if (input.role === 'guardrail' && !(typeof input.margin === 'number' && input.margin > 0 && Number.isFinite(input.margin))) {
    throw new RangeError(`${label}: field margin is invalid: ${String(input.margin)} (a guardrail needs a relative margin > 0, 0.02 for 2 %)`);
  }
  const effect = input.minimumEffect;
  if (effect !== undefined && !(typeof effect === 'number' && effect > 0 && effect < 1)) {
    throw new RangeError(`${label}: field minimumEffect is invalid: ${String(effect)} (a relative change between 0 and 1, 0.02 for 2 %)`);
  }
  const names = input.arms.map((a) => a.variant);
  if (new Set(names).size !== names.length) throw new RangeError(`${label}: field arms is invalid: a variant appears twice (${names.join(', ')})`);
  if (!names.includes(input.control)) throw new RangeError(`${label}: field control is invalid: ${input.control} (arms: ${names.join(', ')})`);
  for (const arm of input.arms) checkArmSums(arm, input.kind, label);
  if (input.cuped) {
    if (input.kind === 'ratio') throw new RangeError(`${label}: field cuped is invalid: true (CUPED is for proportion and mean metrics)`);
    for (const arm of input.arms) {
      for (const field of ['sumX', 'sumX2', 'sumXY'] as const) {
        if (arm[field] === undefined) throw new RangeError(`${label}: arm ${arm.variant} field ${field} is invalid: undefined (cuped is on)`);
      }
    }
  }
}

function armReport(kind: MetricKind, arm: ArmSums, control: string, confidence: number): MetricArmReport {
  // The count towards the minimum: for a proportion the rarer outcome, conversions or non-conversions.
  const count = effectiveCount(arm);
  const estimate = armEstimate(kind, arm);
  const simple = kind === 'ratio' ? (arm.sumD ? arm.sumY / arm.sumD : null) : arm.n > 0 ? arm.sumY / arm.n : null;
  return {
    variant: arm.variant,
    isControl: arm.variant === control,
    n: arm.n,
    mean: estimate?.estimate ?? simple,
    variance: estimate?.unitVariance ?? null,
    interval: estimate ? armInterval(estimate, confidence) : null,
    count: kind === 'proportion' ? Math.min(count, arm.n - arm.sumY) : count,
  };
}

function cupedFigures(fit: CupedFit | null, threshold: number): CupedFigures | null {
  if (!fit) return null;
  return { theta: fit.theta, varianceReduction: fit.varianceReduction, balancePValue: fit.balancePValue, balanced: !(fit.balancePValue < threshold) };
}

function sampleRatioOf(input: MetricAnalysisInput, options: MetricAnalysisOptions, threshold: number): SampleRatio | null {
  const shares = options.expectedShares;
  if (!shares) return null;
  return sampleRatioCheck(
    input.arms.map((a) => a.n),
    input.arms.map((a) => shares[a.variant] ?? 0),
    threshold,
  );
}

/**
 * The results of one metric of one set from its per-arm sums (see ArmSums): per arm the mean (or
 * ratio) with its variance and t interval; per variant against control the difference with Welch's
 * interval and p-value (fixed horizon), Holm-adjusted over the metric's variants, the relative lift
 * with its delta-method interval, the always-valid confidence sequence the verdict follows (the
 * conversion sequence for proportions, the plug-in one for means and ratios; at the comparison's Holm
 * level), CUPED's adjustment with θ pooled over the arms when `cuped` is on, and for guardrails
 * the non-inferiority status; then every verdict in words (deriveMetricVerdicts). No better/worse
 * verdict before each arm has `minimumPerArm` non-zero values; the tuning size defaults to
 * `plannedUsers`. Pure: the same input gives the same report. Throws a RangeError naming the metric
 * and field for a misdeclared input.
 * @example
 * analyzeMetric({ name: 'revenue', kind: 'mean', role: 'primary', control: 'control', arms: [
 *   { variant: 'control', n: 5000, sumY: 5300, sumY2: 61000 },
 *   { variant: 'up5', n: 5000, sumY: 5700, sumY2: 70000 },
 * ]}).summary
 */
export function analyzeMetric(input: MetricAnalysisInput, options: MetricAnalysisOptions = {}): MetricReport {
  checkInput(input);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`option confidence is invalid: ${confidence}`);
  const alpha = Number((1 - confidence).toPrecision(12));
  const tuningUsers = resolveTuningUsers(options.tuningUsers, options.plannedUsers);
  const minimumPerArm = checkMinimumPerArm(options.minimumPerArm ?? PEEKING_DEFAULTS.minimumPerArm);
  const threshold = options.srmThreshold ?? 0.001;
  const higherIsBetter = input.higherIsBetter ?? true;
  const kind = input.kind;

  const fit = input.cuped ? cupedFit(input.arms) : null;
  const estimateOf = (arm: ArmSums): ArmEstimate | null => (fit ? cupedEstimate(arm, fit) : armEstimate(kind, arm));
  const controlArm = input.arms.find((a) => a.variant === input.control)!;
  const control = estimateOf(controlArm);
  const rawControl = armEstimate(kind, controlArm);
  const variants = input.arms.filter((a) => a.variant !== input.control);
  const seq = { alpha, tuningUsers };
  // Proportions keep the conversion report's sequence (variance under each candidate difference).
  const sequentialAt = (arm: ArmSums, estimate: ArmEstimate, level?: number): (Interval & { pValue: number }) | null =>
    kind === 'proportion' && !fit
      ? sequentialInterval({ converted: arm.sumY, users: arm.n }, { converted: controlArm.sumY, users: controlArm.n }, { ...seq, level })
      : metricSequentialInterval(estimate, control!, { ...seq, level });

  const pairs = variants.map((arm) => ({ arm, estimate: estimateOf(arm), raw: armEstimate(kind, arm) }));
  const welch = pairs.map((p) => (p.estimate && control ? welchDifference(p.estimate, control, confidence) : null));
  const sequentialP = pairs.map((p) => (p.estimate && control ? (sequentialAt(p.arm, p.estimate)?.pValue ?? null) : null));
  const adjusted = holmAdjust(welch.map((w) => w?.pValue ?? null));
  const levels = holmLevels(sequentialP, alpha);
  const m = Math.max(1, sequentialP.filter((p) => p !== null).length);
  const guardrailLevel = alpha / m;

  const comparisons = pairs.map(({ arm, estimate, raw }, i): MetricComparisonNumbers => {
    const w = welch[i]!;
    const lift = estimate && control ? relativeLift(estimate, control) : null;
    const level = levels[i]!;
    const verdictInterval = estimate && control && level !== null ? sequentialAt(arm, estimate, level) : null;
    return {
      variant: arm.variant,
      control: input.control,
      difference: w?.difference ?? null,
      differenceInterval: w?.interval ?? null,
      degreesOfFreedom: w?.degreesOfFreedom ?? null,
      pValue: w?.pValue ?? null,
      adjustedPValue: adjusted[i]!,
      relativeLift: lift?.lift ?? null,
      relativeInterval: lift && w ? liftInterval(lift, studentUpperQuantile((1 - confidence) / 2, w.degreesOfFreedom)) : null,
      sequentialInterval: verdictInterval ? { low: verdictInterval.low, high: verdictInterval.high } : null,
      unadjustedDifference: raw && rawControl ? raw.estimate - rawControl.estimate : null,
      sequentialPValue: sequentialP[i]!,
      level,
      relativeSequentialInterval: lift ? relativeSequentialInterval(lift, arm.n + controlArm.n, { ...seq, level: guardrailLevel }) : null,
    };
  });
  const numbers = {
    metric: input.name,
    kind,
    role: input.role,
    higherIsBetter,
    control: input.control,
    arms: input.arms.map((a) => armReport(kind, a, input.control, confidence)),
    comparisons,
    cuped: cupedFigures(fit, threshold),
    cap: input.cap ?? null,
    mixed: input.mixed ?? 0,
    sampleRatio: sampleRatioOf(input, options, threshold),
    margin: input.role === 'guardrail' ? input.margin! : null,
    minimumEffect: input.minimumEffect ?? null,
    tuningUsers,
    minimumPerArm,
    guardrailLevel,
  };
  const words = deriveMetricVerdicts(numbers);
  return { ...numbers, comparisons: comparisons.map((c, i) => ({ ...c, ...words.comparisons[i]! })), summary: words.summary };
}
