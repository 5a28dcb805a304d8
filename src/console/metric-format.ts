// How the console writes a metric's values: a proportion in percent and points, a mean or ratio with four significant digits.
import { formatPercent, formatPoints, type MetricKind } from '../analysis/index.js';

/** A value in the metric's unit: `12.3 %` for a proportion, `4.217` for a mean or ratio. */
export function formatMetricValue(kind: MetricKind, value: number): string {
  if (kind === 'proportion') return formatPercent(value);
  return minus(significant(value));
}

/** A typographic minus, as tracks-ab/analysis writes negative figures. */
function minus(text: string): string {
  return text.replace(/^-/, '−');
}

/** A difference in the metric's unit, signed: `+1.2` points for a proportion, `+0.3418` for a mean or ratio. */
export function formatMetricDifference(kind: MetricKind, value: number): string {
  if (kind === 'proportion') return formatPoints(value);
  const text = minus(significant(value));
  return value > 0 ? `+${text}` : text;
}

/** A relative lift: `+3.2 %`. */
export function formatLift(value: number): string {
  const text = minus(`${(value * 100).toFixed(1)} %`);
  return value > 0 ? `+${text}` : text;
}

function significant(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 1000 ? 0 : Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: Math.min(digits, 8) });
}
