// Forest plots: each variant's difference to control with its sequential and fixed-horizon intervals, for conversions and for metrics.
import type { ComparisonReport, MetricReport, SetReport } from '../../analysis/index.js';
import { formatPoints } from '../../analysis/index.js';
import { escapeHtml } from '../escape.js';
import { formatMetricDifference } from '../metric-format.js';
import { coordinate as n, NEUTRAL, shorten, symmetricBounds, ticksOf, VERDICT_COLOURS } from './scale.js';

/** One row of a forest plot. */
interface ForestRow {
  readonly label: string;
  readonly estimate: number;
  /** The interval the verdict follows (drawn as the pale bar). */
  readonly wide: { readonly low: number; readonly high: number } | null;
  /** The fixed-horizon interval (drawn as the thin line). */
  readonly narrow: { readonly low: number; readonly high: number } | null;
  readonly colour: string;
}

function colourOf(kind: string): string {
  return VERDICT_COLOURS[kind] ?? NEUTRAL;
}

function forestSvg(rows: readonly ForestRow[], legend: string, label: string, format: (value: number) => string, cap: number, floor: number): string {
  const width = 680;
  const left = 170;
  const right = 24;
  const rowHeight = 30;
  const top = 28;
  const height = top + rows.length * rowHeight + 28;
  const ends = rows.flatMap((r) => [r.estimate, r.wide?.low ?? 0, r.wide?.high ?? 0, r.narrow?.low ?? 0, r.narrow?.high ?? 0]);
  const bound = symmetricBounds(ends, cap, floor);
  const x = (d: number) => left + ((Math.max(-bound, Math.min(bound, d)) + bound) / (2 * bound)) * (width - left - right);
  const axis = ticksOf(bound, 6)
    .map(
      (t) =>
        `<line x1="${n(x(t))}" y1="${top - 6}" x2="${n(x(t))}" y2="${height - 24}" stroke="${t === 0 ? '#59636e' : '#eaeef2'}"${t === 0 ? ' stroke-width="1.5"' : ''}/>` +
        `<text x="${n(x(t))}" y="${height - 8}" text-anchor="middle" font-size="12" fill="#59636e">${escapeHtml(format(t))}</text>`,
    )
    .join('');
  const bars = rows
    .map((r, i) => {
      const y = top + i * rowHeight + rowHeight / 2;
      const title = `${r.label}: ${format(r.estimate)}; verdict interval ${r.wide ? `${format(r.wide.low)} to ${format(r.wide.high)}` : '—'}; fixed horizon ${r.narrow ? `${format(r.narrow.low)} to ${format(r.narrow.high)}` : '—'}`;
      return `<g><title>${escapeHtml(title)}</title>
  <text x="${left - 10}" y="${n(y + 4)}" text-anchor="end" font-size="13" fill="#1f2328">${escapeHtml(shorten(r.label))}</text>
  ${r.wide ? `<rect x="${n(x(r.wide.low))}" y="${n(y - 8)}" width="${n(Math.max(1, x(r.wide.high) - x(r.wide.low)))}" height="16" rx="4" fill="${r.colour}" fill-opacity="0.22"/>` : ''}
  ${r.narrow ? `<line x1="${n(x(r.narrow.low))}" y1="${n(y)}" x2="${n(x(r.narrow.high))}" y2="${n(y)}" stroke="${r.colour}" stroke-width="2.5"/>` : ''}
  <circle cx="${n(x(r.estimate))}" cy="${n(y)}" r="5" fill="${r.colour}"/>
</g>`;
    })
    .join('\n');
  return `<svg class="forest" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}">
<text x="10" y="14" font-size="12" fill="#59636e">${escapeHtml(legend)}</text>${axis}
${bars}
</svg>`;
}

/**
 * A forest plot of a set's conversions: one row per variant, its difference to control in points
 * (a dot), the sequential interval (the pale bar, what the verdict follows) and the fixed-horizon
 * Newcombe interval (the thin line), around a zero line. Green: better, red: worse, blue: not
 * decided yet. Every number comes from the report (`analyzeSet`).
 */
export function renderForestPlot(report: SetReport): string {
  const rows = report.comparisons
    .filter((c): c is ComparisonReport & { difference: number } => c.difference !== null)
    .map((c) => ({
      label: c.variant,
      estimate: c.difference,
      wide: c.sequential.interval,
      narrow: c.fixed.interval,
      colour: colourOf(c.verdict.kind),
    }));
  if (rows.length === 0) return '<p class="muted">No plot yet: the control and at least one variant need users.</p>';
  return forestSvg(
    rows,
    `Points against ${report.control} · dot: difference · pale bar: sequential interval (the verdict’s) · line: fixed horizon`,
    `Difference to control per variant, test ${report.set}`,
    formatPoints,
    1,
    0.01,
  );
}

/**
 * A forest plot of one metric: per variant, its difference to control in the metric's unit (a
 * percentage-point difference for a proportion), the always-valid interval (pale bar) and the
 * Welch interval (line). Colours follow the metric's verdicts, which know whether lower is better.
 */
export function renderMetricForestPlot(report: MetricReport): string {
  const rows = report.comparisons
    .filter((c) => c.difference !== null)
    .map((c) => ({
      label: c.variant,
      estimate: c.difference!,
      wide: c.sequentialInterval,
      narrow: c.differenceInterval,
      colour: colourOf(c.guardrail === 'failing' ? 'worse' : c.verdict.kind),
    }));
  if (rows.length === 0) return '<p class="muted">No plot yet: the control and at least one variant need persons.</p>';
  const proportion = report.kind === 'proportion';
  return forestSvg(
    rows,
    `${report.metric}: difference to ${report.control} · pale bar: sequential interval (the verdict’s) · line: fixed horizon`,
    `Difference to control per variant, metric ${report.metric}`,
    (v) => formatMetricDifference(report.kind, v),
    proportion ? 1 : Number.POSITIVE_INFINITY,
    proportion ? 0.01 : 1e-9,
  );
}
