// Every verdict in words, derived in one place from a report's numbers.
import { formatConfidence, formatCount, formatPercent, formatPointSize, formatPoints, formatPValue } from './format.js';
import type { ComparisonReport, SetReport, Verdict } from './report-types.js';
import type { DifferenceInterval } from './newcombe.js';

/** A comparison's numbers, before its verdicts are written. */
export type ComparisonNumbers = Omit<ComparisonReport, 'verdict' | 'fixedVerdict'>;

/** A report's numbers, before any words. */
export type ReportNumbers = Omit<SetReport, 'summary' | 'comparisons'> & { readonly comparisons: readonly ComparisonNumbers[] };

/** The words of a report: one verdict (and fixed-horizon verdict) per comparison, and the summary. */
export interface ReportWords {
  readonly comparisons: readonly { readonly verdict: Verdict; readonly fixedVerdict: Verdict | null }[];
  readonly summary: string;
}

function ci(interval: DifferenceInterval, level: number, sequential: boolean): string {
  const kind = sequential ? ', always valid' : ', fixed horizon';
  return `${formatConfidence(1 - level)} CI ${formatPoints(interval.low)} to ${formatPoints(interval.high)}${kind}`;
}

function onHoldWords(report: ReportNumbers): string | null {
  if (report.memberSplit?.flagged) {
    return `on hold: the split of users between the members of the multi set does not match their weights (${formatPValue(report.memberSplit.pValue)}); find the cause before reading results`;
  }
  if (report.sampleRatio.flagged) {
    return `on hold: the split of users does not match the weights (${formatPValue(report.sampleRatio.pValue)}); find the cause before reading results`;
  }
  return null;
}

function moreUsers(c: ComparisonNumbers, users: { control: number; variant: number }): string | null {
  const needControl = Math.max(0, c.planning.sequentialRequiredUsers!.control - users.control);
  const needVariant = Math.max(0, c.planning.sequentialRequiredUsers!.variant - users.variant);
  if (needControl === 0 && needVariant === 0) return null;
  // Equal weights give bucket ranges a bucket apart (3,333 and 3,334): call that per arm.
  if (Math.abs(needControl - needVariant) <= 0.01 * Math.max(needControl, needVariant)) {
    return `about ${formatCount(Math.max(needControl, needVariant))} more users per arm`;
  }
  return `about ${formatCount(needVariant)} more users in ${c.variant} and ${formatCount(needControl)} in ${c.control}`;
}

/**
 * The sentence for arms below the minimum before a verdict, or null: each arm needs `minimumConverted`
 * conversions (non-conversions above a 50 % rate), since the sequence is asymptotic.
 */
function shortOf(report: ReportNumbers, c: ComparisonNumbers): string | null {
  const min = report.options.minimumConverted;
  const count = (name: string) => {
    const a = report.arms.find((x) => x.variant === name)!;
    return Math.min(a.converted, a.users - a.converted);
  };
  const have = [count(c.variant), count(c.control)];
  if (have.every((h) => h >= min)) return null;
  return `each arm needs ${formatCount(min)} conversions before a verdict (${c.variant} has ${formatCount(have[0]!)}, ${c.control} ${formatCount(have[1]!)})`;
}

function sequentialVerdict(report: ReportNumbers, c: ComparisonNumbers, hold: string | null): Verdict {
  if (hold) return { kind: 'on-hold', words: hold };
  const arm = (name: string) => report.arms.find((a) => a.variant === name)!;
  const users = { control: arm(c.control).users, variant: arm(c.variant).users };
  if (users.variant === 0 || users.control === 0) {
    const empty = [users.variant === 0 ? c.variant : null, users.control === 0 ? c.control : null].filter((x) => x !== null);
    return { kind: 'no-users', words: `no users in ${empty.join(' or ')} yet` };
  }
  const s = c.sequential;
  const interval = s.verdictInterval!;
  const level = s.level!;
  if (interval.low > 0 || interval.high < 0) {
    const short = shortOf(report, c);
    if (short) return { kind: 'not-enough-data', words: `not enough data yet: ${short}` };
    const better = interval.low > 0;
    return {
      kind: better ? 'better' : 'worse',
      words: `${c.variant} converts ${better ? 'better' : 'worse'} than ${c.control}: ${formatPoints(c.difference!)} points (${ci(interval, level, true)})`,
    };
  }
  const effect = report.options.minimumEffect;
  if (effect !== null) {
    if (interval.low > -effect && interval.high < effect) {
      return {
        kind: 'same',
        words: `${c.variant} and ${c.control} convert alike: the difference is within ±${formatPointSize(effect)} (${ci(interval, level, true)})`,
      };
    }
    const more = c.planning.sequentialRequiredUsers ? moreUsers(c, users) : null;
    if (more) {
      return { kind: 'not-enough-data', words: `not enough data yet: ${more} to detect a difference of ${formatPointSize(effect)}` };
    }
  }
  const mde = c.planning.sequentialMinimumDetectableEffect;
  const reach = mde === null ? '' : `; with the users so far it detects about ${formatPointSize(mde)} or more`;
  return { kind: 'unclear', words: `no clear difference yet between ${c.variant} and ${c.control} (${ci(interval, level, true)})${reach}` };
}

function fixedVerdict(report: ReportNumbers, c: ComparisonNumbers, hold: string | null): Verdict | null {
  const planned = report.options.plannedUsers;
  if (planned === null || report.totalUsers < planned || hold || c.fixed.verdictInterval === null) return null;
  const interval = c.fixed.verdictInterval;
  const at = `at the planned ${formatCount(planned)} users`;
  if (interval.low > 0 || interval.high < 0) {
    const better = interval.low > 0;
    return {
      kind: better ? 'better' : 'worse',
      words: `${at}, ${c.variant} converts ${better ? 'better' : 'worse'} than ${c.control}: ${formatPoints(c.difference!)} points (${ci(interval, c.fixed.level!, false)})`,
    };
  }
  return { kind: 'unclear', words: `${at}, no clear difference between ${c.variant} and ${c.control} (${ci(interval, c.fixed.level!, false)})` };
}

function summaryOf(report: ReportNumbers, verdicts: readonly Verdict[], hold: string | null): string {
  const name = report.set;
  const prefix =
    report.status === 'disabled' ? `${name} is disabled (everyone gets control); ` : report.status === 'pinned' ? `${name} is pinned; ` : '';
  if (hold) return `${prefix}${name}: ${hold}.`;
  if (report.totalUsers === 0) return `${prefix}${name}: no users yet.`;
  if (report.comparisons.length === 0) {
    const only = report.arms.find((a) => a.users > 0)!;
    return `${prefix}${name}: nothing to compare: only ${only.variant} (${formatPercent(only.rate!)} of ${formatCount(only.users)} convert).`;
  }
  const order: Verdict['kind'][] = ['better', 'worse', 'not-enough-data', 'unclear', 'same', 'no-users'];
  const lead = [...verdicts].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0]!;
  const others = verdicts.filter((v) => v.kind === 'better' || v.kind === 'worse').length - (lead.kind === 'better' || lead.kind === 'worse' ? 1 : 0);
  return `${prefix}${name}: ${lead.words}${others > 0 ? ` (and ${others} more clear ${others === 1 ? 'difference' : 'differences'})` : ''}.`;
}

/**
 * Derives every verdict of a report from its numbers: the verdict follows the sequential interval at
 * the level Holm's procedure gives the comparison (it excludes 0: better or worse, once each arm has
 * `minimumConverted` conversions, else not enough data yet; it lies within
 * ±minimumEffect: the same; else how many more users it needs, or no clear difference yet); the
 * fixed-horizon verdict, shown once `plannedUsers` are in, follows Newcombe's interval at its Holm level,
 * never a p-value that might disagree. A flagged sample-ratio check (the set's or its multi set's
 * member split) puts every verdict on hold. The summary leads with the clearest verdict.
 */
export function deriveVerdicts(report: ReportNumbers): ReportWords {
  const hold = onHoldWords(report);
  const comparisons = report.comparisons.map((c) => ({ verdict: sequentialVerdict(report, c, hold), fixedVerdict: fixedVerdict(report, c, hold) }));
  return {
    comparisons,
    summary: summaryOf(
      report,
      comparisons.map((c) => c.verdict),
      hold,
    ),
  };
}
