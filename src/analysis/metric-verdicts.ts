// Every verdict of a metric in words, derived in one place from the metric report's numbers.
import { formatConfidence, formatCount, formatPercent, formatPValue, formatRelative, formatSignedValue, formatValue } from './format.js';
import { guardrailStatus } from './guardrail.js';
import type { GuardrailStatus, MetricComparisonReport, MetricReport } from './metric-report-types.js';
import type { Verdict } from './report-types.js';
import type { Interval } from './types.js';

/** A comparison's numbers, before its words. */
export type MetricComparisonNumbers = Omit<MetricComparisonReport, 'verdict' | 'guardrail' | 'guardrailWords'>;

/** A metric report's numbers, before any words, with what the words need besides. */
export type MetricReportNumbers = Omit<MetricReport, 'summary' | 'comparisons'> & { readonly comparisons: readonly MetricComparisonNumbers[] };

/** The words of a metric report. */
export interface MetricReportWords {
  readonly comparisons: readonly { readonly verdict: Verdict; readonly guardrail: GuardrailStatus | null; readonly guardrailWords: string | null }[];
  readonly summary: string;
}

function ci(interval: Interval, level: number, relative: boolean): string {
  const f = relative ? formatRelative : formatSignedValue;
  return `${formatConfidence(1 - level)} CI ${f(interval.low)} to ${f(interval.high)}, always valid`;
}

function unitOf(report: MetricReportNumbers): string {
  return report.kind === 'proportion' ? 'conversions' : 'persons with a non-zero value';
}

/** The sentence for an arm pair below the minimum, or null when both arms have reached it. */
function shortOf(report: MetricReportNumbers, c: MetricComparisonNumbers): string | null {
  const have = [c.variant, c.control].map((v) => report.arms.find((a) => a.variant === v)?.count ?? 0);
  if (have.every((h) => h >= report.minimumPerArm)) return null;
  const counts = `${c.variant} has ${formatCount(Math.floor(have[0]!))}, ${c.control} ${formatCount(Math.floor(have[1]!))}`;
  return `each arm needs ${formatCount(report.minimumPerArm)} ${unitOf(report)} before a verdict (${counts})`;
}

function holdOf(report: MetricReportNumbers): string | null {
  if (!report.sampleRatio?.flagged) return null;
  return `on hold: the split of persons does not match the weights (${formatPValue(report.sampleRatio.pValue)}); find the cause before reading results`;
}

function verdictOf(report: MetricReportNumbers, c: MetricComparisonNumbers, hold: string | null): Verdict {
  if (hold) return { kind: 'on-hold', words: hold };
  const interval = c.sequentialInterval;
  if (c.difference === null || interval === null || c.level === null) {
    const few = report.arms.filter((a) => (a.variant === c.variant || a.variant === c.control) && a.interval === null).map((a) => a.variant);
    return { kind: 'no-users', words: `not enough persons in ${few.join(' or ') || `${c.variant} or ${c.control}`} yet on ${report.metric}` };
  }
  const metric = report.metric;
  if (interval.low > 0 || interval.high < 0) {
    const short = shortOf(report, c);
    if (short) return { kind: 'not-enough-data', words: `not enough data yet on ${metric}: ${short}` };
    const better = interval.low > 0 === report.higherIsBetter;
    const lift = c.relativeLift === null ? '' : `${formatRelative(c.relativeLift)}; `;
    const cuped = report.cuped ? ', CUPED' : '';
    return {
      kind: better ? 'better' : 'worse',
      words: `${c.variant} is ${better ? 'better' : 'worse'} than ${c.control} on ${metric}: ${formatSignedValue(c.difference)} (${lift}${ci(interval, c.level, false)}${cuped})`,
    };
  }
  const effect = report.minimumEffect;
  const relative = c.relativeSequentialInterval;
  // Alike: the relative change's always-valid interval (at the guardrails' level, α / comparisons) lies within ±minimumEffect.
  if (effect !== null && relative !== null && relative.low > -effect && relative.high < effect && shortOf(report, c) === null) {
    return {
      kind: 'same',
      words: `${c.variant} and ${c.control} are alike on ${metric}: the change is within ±${formatPercent(effect)} (${ci(relative, report.guardrailLevel, true)})`,
    };
  }
  return { kind: 'unclear', words: `no clear difference yet on ${metric} between ${c.variant} and ${c.control} (${ci(interval, c.level, false)})` };
}

function guardrailOf(report: MetricReportNumbers, c: MetricComparisonNumbers): { guardrail: GuardrailStatus; guardrailWords: string } | null {
  if (report.role !== 'guardrail' || report.margin === null) return null;
  const m = report.margin;
  const limit = `${report.higherIsBetter ? '−' : '+'}${formatPercent(m)}`;
  const head = `${report.metric} guardrail for ${c.variant}`;
  const interval = c.relativeSequentialInterval;
  if (interval === null || c.relativeLift === null) {
    return {
      guardrail: 'inconclusive',
      guardrailWords: `${head}: not settled yet (no relative change while ${c.control} has no data or a mean of 0)`,
    };
  }
  const short = shortOf(report, c);
  if (short) return { guardrail: 'inconclusive', guardrailWords: `${head}: not settled yet: ${short}` };
  const status = guardrailStatus(interval, m, report.higherIsBetter);
  const range = `${formatRelative(c.relativeLift)}, ${ci(interval, report.guardrailLevel, true)}`;
  if (status === 'safe') return { guardrail: status, guardrailWords: `${head} holds: within the margin of ${limit} against ${c.control} (${range})` };
  if (status === 'failing') {
    return {
      guardrail: status,
      guardrailWords: `${head} fails: past the margin of ${limit} against ${c.control} (${range}); stop ${c.variant} or find the cause before shipping it`,
    };
  }
  return { guardrail: status, guardrailWords: `${head}: not settled yet: the interval contains the margin of ${limit} (${range})` };
}

function summaryOf(report: MetricReportNumbers, words: MetricReportWords['comparisons'], hold: string | null): string {
  const name = report.metric;
  if (hold) return `${name}: ${hold}.`;
  const balance =
    report.cuped && !report.cuped.balanced
      ? ` (the pre-period differs between arms, ${formatPValue(report.cuped.balancePValue)}: the CUPED adjustment moves the difference; check the covariate's window)`
      : '';
  if (report.arms.every((a) => a.n === 0)) return `${name}: no persons yet.`;
  if (report.comparisons.length === 0) {
    const only = report.arms.find((a) => a.mean !== null);
    return `${name}: nothing to compare${only ? `: only ${only.variant} (${formatValue(only.mean!)} over ${formatCount(only.n)} persons)` : ''}.`;
  }
  const failing = words.find((w) => w.guardrail === 'failing');
  if (failing) return `${name}: ${failing.guardrailWords}${balance}.`;
  const verdicts = words.map((w) => w.verdict);
  const order: Verdict['kind'][] = ['better', 'worse', 'not-enough-data', 'unclear', 'same', 'no-users'];
  const lead = [...verdicts].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0]!;
  const clear = verdicts.filter((v) => v.kind === 'better' || v.kind === 'worse').length;
  const others = clear - (lead.kind === 'better' || lead.kind === 'worse' ? 1 : 0);
  const more = others > 0 ? ` (and ${others} more clear ${others === 1 ? 'difference' : 'differences'})` : '';
  return `${name}: ${lead.words}${more}${balance}.`;
}

/** A short statement of a value and its interval, for tables: '1.14 (1.02 to 1.26)'. */
export function formatEstimate(value: number, interval: Interval | null): string {
  return interval ? `${formatValue(value)} (${formatValue(interval.low)} to ${formatValue(interval.high)})` : formatValue(value);
}

/**
 * Derives every verdict of a metric report from its numbers: the verdict follows the confidence
 * sequence at the comparison's Holm level (it excludes 0: better or worse, by `higherIsBetter`; else no
 * clear difference yet), but no better/worse verdict is given before both arms reach `minimumPerArm`
 * (not enough data yet); a guardrail's status follows the relative lift's sequence at α/m against its
 * margin (see guardrailStatus), inconclusive before the minimum; a flagged sample-ratio check puts every
 * verdict on hold. The summary leads with a failing guardrail, else with the clearest verdict.
 */
export function deriveMetricVerdicts(report: MetricReportNumbers): MetricReportWords {
  const hold = holdOf(report);
  const comparisons = report.comparisons.map((c) => {
    const g = guardrailOf(report, c);
    return { verdict: verdictOf(report, c, hold), guardrail: g?.guardrail ?? null, guardrailWords: g?.guardrailWords ?? null };
  });
  return {
    comparisons,
    summary: summaryOf(report, comparisons, hold),
  };
}
