// The results report of a set: per-arm rates, comparisons with control, sample-ratio checks, planning, verdicts.
import { holmAdjust, holmLevels } from './holm.js';
import { newcombeInterval } from './newcombe.js';
import { minimumDetectableEffect, requiredUsers } from './planning.js';
import type {
  AnalysisMulti,
  AnalysisSet,
  ArmReport,
  MemberCounts,
  MultiReport,
  ReportOptions,
  ReportStatus,
  ResolvedReportOptions,
  SetReport,
  TestFigures,
  VariantCounts,
} from './report-types.js';
import { sampleRatioCheck, type SampleRatio } from './sample-ratio.js';
import { normalQuantile } from './normal.js';
import { checkMinimumPerArm, PEEKING_DEFAULTS, resolveTuningUsers } from './peeking.js';
import { pooledScoreTest } from './score-test.js';
import { liftInterval, relativeLift } from './welch.js';
import { sequentialInterval } from './sequential.js';
import { checkProportion, type Proportion } from './types.js';
import { deriveVerdicts, type ComparisonNumbers } from './verdicts.js';
import { wilsonInterval } from './wilson.js';

function resolve(set: AnalysisSet, options: ReportOptions): ResolvedReportOptions {
  const control = options.control ?? set.control ?? set.variants[0]?.name;
  if (control === undefined || !set.variants.some((v) => v.name === control)) {
    throw new RangeError(`set ${set.name}: option control is invalid: ${String(control)} (variants: ${set.variants.map((v) => v.name).join(', ')})`);
  }
  const resolved = {
    confidence: options.confidence ?? 0.95,
    power: options.power ?? 0.8,
    tuningUsers: resolveTuningUsers(options.tuningUsers, options.plannedUsers),
    minimumConverted: checkMinimumPerArm(options.minimumConverted ?? PEEKING_DEFAULTS.minimumPerArm, 'option minimumConverted'),
    control,
    minimumEffect: options.minimumEffect ?? null,
    plannedUsers: options.plannedUsers ?? null,
    srmThreshold: options.srmThreshold ?? 0.001,
  };
  if (!(resolved.confidence > 0 && resolved.confidence < 1)) throw new RangeError(`option confidence is invalid: ${resolved.confidence}`);
  if (resolved.minimumEffect !== null && !(resolved.minimumEffect > 0 && resolved.minimumEffect < 1)) {
    throw new RangeError(`option minimumEffect is invalid: ${resolved.minimumEffect} (expected an absolute difference between 0 and 1)`);
  }
  return Object.freeze(resolved);
}

/** Sums the rows of each variant; variants the set does not list are kept, after the configured ones. */
function armsOf(set: AnalysisSet, counts: readonly VariantCounts[], control: string): ArmReport[] {
  const totals = new Map<string, { users: number; converted: number }>();
  for (const v of set.variants) totals.set(v.name, { users: 0, converted: 0 });
  for (const row of counts) {
    checkProportion(row, `counts of variant ${row.variant}`);
    const t = totals.get(row.variant) ?? { users: 0, converted: 0 };
    totals.set(row.variant, { users: t.users + row.users, converted: t.converted + row.converted });
  }
  const shares = new Map(set.variants.map((v) => [v.name, v.expectedShare]));
  return [...totals].map(([variant, t]) => ({
    variant,
    isControl: variant === control,
    expectedShare: shares.get(variant) ?? 0,
    users: t.users,
    converted: t.converted,
    rate: t.users > 0 ? t.converted / t.users : null,
    interval: wilsonInterval(t),
  }));
}

function statusOf(set: AnalysisSet, totalUsers: number, holds: readonly (SampleRatio | null)[]): ReportStatus {
  if (holds.some((h) => h?.flagged)) return 'on-hold';
  if (set.disabled) return 'disabled';
  if (set.pinned) return 'pinned';
  return totalUsers === 0 ? 'no-users' : 'running';
}

function binomial(arm: ArmReport): { estimate: number; variance: number } {
  const p = arm.rate!;
  return { estimate: p, variance: (p * (1 - p)) / arm.users };
}

function laplaceRate(p: Proportion): number {
  return p.converted === 0 || p.converted === p.users ? (p.converted + 1) / (p.users + 2) : p.converted / p.users;
}

/**
 * The report of one SimpleTrackSet or ParamTrackSet from its per-variant counts: per-arm rates with
 * Wilson intervals; each variant against control with Newcombe's interval, the pooled score test and
 * Holm's correction (fixed horizon), and the always-valid confidence sequence with its Holm-adjusted
 * p-value (sequential); the sample-ratio check against the configured split; planning figures; and the
 * verdicts in words (see deriveVerdicts). Pure: the same inputs give the same report. `set` is
 * `describeSet(Set)` (or any object of that shape); `counts` are rows from any source, a SQL
 * `group by variant` for instance. `memberSplit` is the multi set's member check, when the set is a member.
 * @example
 * analyzeSet(describeSet(CheckoutTracks), [
 *   { variant: 'control', users: 8012, converted: 160 },
 *   { variant: 'oneClick', users: 1988, converted: 61 },
 * ]).summary
 */
export function analyzeSet(
  set: AnalysisSet,
  counts: readonly VariantCounts[],
  options: ReportOptions = {},
  memberSplit: SampleRatio | null = null,
): SetReport {
  const opts = resolve(set, options);
  // 1 - 0.95 is 0.050000000000000044 in doubles; the level is meant to be 0.05.
  const alpha = Number((1 - opts.confidence).toPrecision(12));
  const arms = armsOf(set, counts, opts.control);
  const control = arms.find((a) => a.isControl)!;
  const totalUsers = arms.reduce((sum, a) => sum + a.users, 0);
  const sampleRatio = sampleRatioCheck(
    arms.map((a) => a.users),
    arms.map((a) => a.expectedShare),
    opts.srmThreshold,
  );
  const variants = arms.filter((a) => !a.isControl);
  const fixedP = variants.map((v) => pooledScoreTest(v, control)?.pValue ?? null);
  const sequentialAt = (v: ArmReport, level?: number) => sequentialInterval(v, control, { alpha, tuningUsers: opts.tuningUsers, level });
  const sequentialP = variants.map((v) => sequentialAt(v)?.pValue ?? null);
  const fixedLevels = holmLevels(fixedP, alpha);
  const sequentialLevels = holmLevels(sequentialP, alpha);
  const fixedAdjusted = holmAdjust(fixedP);
  const sequentialAdjusted = holmAdjust(sequentialP);
  const m = Math.max(1, fixedP.filter((p) => p !== null).length);

  const comparisons = variants.map((v, i): ComparisonNumbers => {
    const both = v.users > 0 && control.users > 0;
    const fixed: TestFigures = {
      interval: newcombeInterval(v, control, opts.confidence),
      pValue: fixedP[i]!,
      adjustedPValue: fixedAdjusted[i]!,
      level: fixedLevels[i]!,
      verdictInterval: both ? newcombeInterval(v, control, 1 - fixedLevels[i]!) : null,
    };
    const sequential: TestFigures = {
      interval: sequentialAt(v),
      pValue: sequentialP[i]!,
      adjustedPValue: sequentialAdjusted[i]!,
      level: sequentialLevels[i]!,
      verdictInterval: both ? sequentialAt(v, sequentialLevels[i]!) : null,
    };
    const baseline = control.users > 0 ? laplaceRate(control) : null;
    const ratio =
      v.expectedShare > 0 && control.expectedShare > 0 ? v.expectedShare / control.expectedShare : v.users / Math.max(1, control.users) || 1;
    const plan = { alpha: alpha / m, power: opts.power };
    const seq = { alpha, tuningUsers: opts.tuningUsers };
    const withUsers = baseline !== null && v.users > 0;
    const needed = (sequentialPlan: boolean) =>
      baseline === null || opts.minimumEffect === null
        ? null
        : requiredUsers({
            ...plan,
            baseline,
            ratio,
            effect: baseline <= 0.5 ? opts.minimumEffect : -opts.minimumEffect,
            sequential: sequentialPlan ? seq : null,
          });
    // Binomial variances p(1 − p)/n in the delta method (see relativeLift), with the normal quantile.
    const lift = both ? relativeLift(binomial(v), binomial(control)) : null;
    return {
      variant: v.variant,
      control: control.variant,
      difference: both ? v.rate! - control.rate! : null,
      relativeLift: lift?.lift ?? null,
      relativeInterval: lift ? liftInterval(lift, normalQuantile(1 - alpha / 2)) : null,
      fixed,
      sequential,
      planning: {
        baseline,
        alpha: plan.alpha,
        minimumDetectableEffect: withUsers ? minimumDetectableEffect({ ...plan, baseline, control: control.users, variant: v.users }) : null,
        sequentialMinimumDetectableEffect: withUsers
          ? minimumDetectableEffect({ ...plan, baseline, control: control.users, variant: v.users, sequential: seq })
          : null,
        requiredUsers: needed(false),
        sequentialRequiredUsers: needed(true),
      },
    };
  });
  const numbers = {
    set: set.name,
    control: control.variant,
    status: statusOf(set, totalUsers, [sampleRatio, memberSplit]),
    options: opts,
    totalUsers,
    arms,
    comparisons,
    sampleRatio,
    memberSplit,
  };
  const words = deriveVerdicts(numbers);
  return { ...numbers, comparisons: comparisons.map((c, i) => ({ ...c, ...words.comparisons[i]! })), summary: words.summary };
}

/**
 * The member split of a MultiTrackSet: users per member (summed over its variants) against the members'
 * expected shares, by Pearson's chi-square, flagged at p < threshold. Members that log nobody
 * (disabled, pinned: expected share 0) are left out, with their users. It assumes every user is eligible
 * for every member; members with their own `isEligible` shift the split by design.
 */
export function memberSplitCheck(
  multi: AnalysisMulti,
  counts: readonly MemberCounts[],
  threshold = 0.001,
): { split: SampleRatio; members: string[] } {
  const live = multi.members.filter((m) => m.expectedShare > 0);
  const users = live.map((m) => counts.filter((row) => row.set === m.set.name).reduce((sum, row) => sum + row.users, 0));
  return {
    split: sampleRatioCheck(
      users,
      live.map((m) => m.expectedShare),
      threshold,
    ),
    members: live.map((m) => m.set.name),
  };
}

/**
 * The report of a MultiTrackSet: the member split check, and each member's report (`analyzeSet` over
 * that member's rows), all on hold while the member split is flagged: users lost from one member bias
 * its comparison in ways its own arms cannot show.
 */
export function analyzeMulti(multi: AnalysisMulti, counts: readonly MemberCounts[], options: ReportOptions = {}): MultiReport {
  const { split, members } = memberSplitCheck(multi, counts, options.srmThreshold);
  return {
    set: multi.name,
    memberSplit: split,
    splitMembers: members,
    members: multi.members.map((m) =>
      analyzeSet(
        m.set,
        counts.filter((row) => row.set === m.set.name),
        options,
        split,
      ),
    ),
  };
}
