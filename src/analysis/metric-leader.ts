// Which variant a metric puts ahead: the best estimate in the metric's direction, control included.
import type { MetricComparisonReport, MetricReport } from './metric-report-types.js';

/** The variant ahead on a metric, its estimated value, and its comparison with control (null: control itself). */
export interface MetricLeader {
  readonly variant: string;
  /** Control's mean plus the variant's difference (CUPED-adjusted when CUPED is on). */
  readonly value: number;
  readonly comparison: MetricComparisonReport | null;
}

/**
 * The variant with the best estimate in the metric's direction (highest, or lowest when lower is
 * better), control included; null while control or every other arm lacks an estimate. An estimate,
 * not a verdict: whether the lead is real is what the comparison's verdict says.
 */
export function leadingVariant(report: MetricReport): MetricLeader | null {
  const control = report.arms.find((a) => a.isControl);
  if (control?.mean == null) return null;
  const base = control.mean;
  const candidates: MetricLeader[] = [{ variant: control.variant, value: base, comparison: null }];
  for (const c of report.comparisons) if (c.difference !== null) candidates.push({ variant: c.variant, value: base + c.difference, comparison: c });
  if (candidates.length < 2) return null;
  const sign = report.higherIsBetter ? 1 : -1;
  return candidates.reduce((best, next) => (sign * next.value > sign * best.value ? next : best));
}
