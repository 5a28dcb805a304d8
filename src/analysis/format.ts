// Numbers as the verdicts print them: percentages, signed points, confidence levels, p-values, counts.

/** A rate as a percentage: 0.031 → '3.1 %', 0.0042 → '0.42 %'. */
export function formatPercent(rate: number): string {
  const pct = rate * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** A difference of rates in percentage points, signed: 0.012 → '+1.2', -0.0004 → '−0.04'. */
export function formatPoints(difference: number): string {
  const points = Math.abs(difference * 100);
  const text = points !== 0 && points < 0.1 ? points.toFixed(2) : points.toFixed(1);
  if (Number(text) === 0) return '0.0';
  return `${difference < 0 ? '−' : '+'}${text}`;
}

/** An unsigned size in points, singular or plural: 0.01 → '1.0 point', 0.012 → '1.2 points'. */
export function formatPointSize(size: number): string {
  const text = formatPoints(Math.abs(size)).replace(/^[+−]/, '');
  return `${text} ${text === '1.0' ? 'point' : 'points'}`;
}

/** A confidence level: 0.95 → '95 %', 0.975 → '97.5 %', 1 - 0.05 / 3 → '98.33 %'. */
export function formatConfidence(confidence: number): string {
  return `${Number((confidence * 100).toFixed(2))} %`;
}

/** A p-value: 'p = 0.34', 'p = 0.004', 'p = 2.1e-9'. */
export function formatPValue(p: number): string {
  if (p >= 0.01) return `p = ${p.toFixed(2)}`;
  if (p >= 0.001) return `p = ${p.toFixed(3)}`;
  if (p === 0) return 'p < 1e-300';
  return `p = ${p.toExponential(1)}`;
}

/** A whole number with thousands separators: 12345 → '12,345'. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A metric's value to three significant digits, thousands separated: 1.1372 → '1.14', 12345.6 → '12,346', 0.000812 → '0.000812'. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return `${value < 0 ? '−' : ''}${formatCount(abs)}`;
  const text = Number(abs.toPrecision(3)).toString();
  return `${value < 0 && Number(text) !== 0 ? '−' : ''}${text}`;
}

/** A difference of a metric's values, signed: 0.081 → '+0.081', -2.5 → '−2.5'. */
export function formatSignedValue(difference: number): string {
  const text = formatValue(difference);
  return text.startsWith('−') || Number(text) === 0 ? text : `+${text}`;
}

/** A relative change as a signed percentage: 0.075 → '+7.5 %', -0.0004 → '−0.04 %'. */
export function formatRelative(change: number): string {
  return `${formatPoints(change)} %`;
}
