// `tracks-ab report` as text for a metric: its arms, its comparisons with control, CUPED and capping, and its verdicts.
import { formatCount, formatPercent, formatRelative, formatSignedValue, formatValue } from '../analysis/format.js';
import type { MetricReport } from '../analysis/metric-report-types.js';
import type { Interval } from '../analysis/types.js';
import { sampleRatioLine } from './report-table.js';
import { formatTable } from './table.js';

function range(interval: Interval | null, format: (n: number) => string): string {
  return interval === null ? '—' : `${format(interval.low)} to ${format(interval.high)}`;
}

/** The lines of one metric's report, as `tracks-ab report` prints them under the set's conversions. */
export function metricReportLines(report: MetricReport): string[] {
  const role = report.role === 'guardrail' && report.margin !== null ? `guardrail, margin ${formatPercent(report.margin)}` : report.role;
  const traits = [report.kind, role, report.higherIsBetter ? 'higher is better' : 'lower is better'];
  if (report.cap !== null) traits.push(`capped at ${formatValue(report.cap)}`);
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const rows = report.arms.map((arm) => {
    const c = comparisons.get(arm.variant);
    return [
      arm.isControl ? `${arm.variant} (control)` : arm.variant,
      formatCount(arm.n),
      arm.mean === null ? '—' : formatValue(arm.mean),
      range(arm.interval, formatValue),
      c?.difference == null ? '' : formatSignedValue(c.difference),
      c ? range(c.sequentialInterval, formatSignedValue) : '',
      c?.relativeLift == null ? '' : formatRelative(c.relativeLift),
      c ? range(c.relativeInterval, formatRelative) : '',
      c?.guardrail ?? '',
    ];
  });
  const lines = [
    `metric ${report.metric} (${traits.join('; ')})`,
    '',
    ...formatTable(
      [
        'variant',
        'persons',
        'mean',
        'interval',
        'difference',
        'sequential interval',
        'lift',
        'lift interval',
        report.role === 'guardrail' ? 'guardrail' : '',
      ],
      rows,
    )
      .split('\n')
      .map((l) => `  ${l}`.trimEnd()),
    '',
  ];
  if (report.cuped) {
    const balance = report.cuped.balanced ? 'pre-period balanced' : 'pre-period NOT balanced: check the assignment';
    lines.push(`CUPED: θ ${formatValue(report.cuped.theta)}, variance reduced by ${formatPercent(report.cuped.varianceReduction)}, ${balance}`);
  }
  if (report.sampleRatio) {
    lines.push(
      sampleRatioLine(
        'Sample ratio',
        report.arms.map((a) => a.variant),
        report.sampleRatio,
      ),
    );
  }
  const total = report.arms.reduce((sum, a) => sum + a.n, 0) + report.mixed;
  const share = total === 0 ? 0 : report.mixed / total;
  lines.push(
    `Mixed persons (exposed to two variants, left out): ${formatCount(report.mixed)} (${formatPercent(share)})${share > 0.01 ? ': ABOVE 1 %, check the identity set-up' : ''}`,
  );
  lines.push('', ...report.comparisons.map((c) => `${c.variant}: ${c.guardrailWords ?? c.verdict.words}`), '', report.summary);
  return lines;
}
