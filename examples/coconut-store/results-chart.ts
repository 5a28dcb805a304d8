// Server-rendered SVG plots of a test: a forest plot of each variant's difference to control, and the effect over time.
import { formatPoints, type ComparisonReport, type SetReport } from 'tracks-ab/analysis';
import { escapeHtml } from './layout.js';
import type { Look } from './store-results.js';

const COLOURS: Readonly<Record<string, string>> = { better: '#1a7f37', worse: '#cf222e', 'on-hold': '#9a6700' };
const NEUTRAL = '#4d7cc7';
const MAX_LABEL = 22;

function colourOf(c: ComparisonReport): string {
  return COLOURS[c.verdict.kind] ?? NEUTRAL;
}

function n(value: number): string {
  return value.toFixed(1);
}

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

/** A round step for about `ticks` ticks over `span` (1, 2 or 5 times a power of ten). */
function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/** Symmetric bounds around 0 that hold every value, in points (at most ±100). */
function symmetricBounds(values: readonly number[]): number {
  const biggest = Math.max(0.01, ...values.map((v) => Math.abs(v)));
  const step = niceStep(biggest, 2);
  return Math.min(1, Math.ceil(biggest / step) * step);
}

function ticksOf(bound: number, count: number): number[] {
  const step = niceStep(2 * bound, count);
  const ticks: number[] = [];
  for (let t = -Math.floor(bound / step) * step; t <= bound + 1e-12; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/**
 * A forest plot: one row per variant, its difference to control in points (a dot), the sequential
 * interval (the wide pale bar, what the verdict follows) and the fixed-horizon Newcombe interval (the
 * thin dark line), around a zero line. Green: better, red: worse, blue: not decided yet.
 */
export function renderForestPlot(report: SetReport): string {
  const rows = report.comparisons.filter((c) => c.difference !== null);
  if (rows.length === 0) return '<p class="muted">No plot yet: the control and at least one variant need users.</p>';
  const width = 680;
  const label = 170;
  const right = 20;
  const rowHeight = 30;
  const top = 28;
  const height = top + rows.length * rowHeight + 28;
  const ends = rows.flatMap((c) => [
    c.sequential.interval?.low ?? 0,
    c.sequential.interval?.high ?? 0,
    c.fixed.interval?.low ?? 0,
    c.fixed.interval?.high ?? 0,
  ]);
  const bound = symmetricBounds(ends);
  const x = (d: number) => label + ((Math.max(-bound, Math.min(bound, d)) + bound) / (2 * bound)) * (width - label - right);
  const axis = ticksOf(bound, 6)
    .map(
      (t) =>
        `<line x1="${n(x(t))}" y1="${top - 6}" x2="${n(x(t))}" y2="${height - 24}" stroke="${t === 0 ? '#59636e' : '#eaeef2'}"${t === 0 ? ' stroke-width="1.5"' : ''}/>` +
        `<text x="${n(x(t))}" y="${height - 8}" text-anchor="middle" font-size="12" fill="#59636e">${escapeHtml(formatPoints(t))}</text>`,
    )
    .join('');
  const bars = rows
    .map((c, i) => {
      const y = top + i * rowHeight + rowHeight / 2;
      const colour = colourOf(c);
      const seq = c.sequential.interval;
      const fixed = c.fixed.interval;
      const title = `${c.variant}: ${formatPoints(c.difference!)} points; sequential ${seq ? `${formatPoints(seq.low)} to ${formatPoints(seq.high)}` : '—'}; fixed horizon ${fixed ? `${formatPoints(fixed.low)} to ${formatPoints(fixed.high)}` : '—'}`;
      return `<g><title>${escapeHtml(title)}</title>
  <text x="${label - 10}" y="${n(y + 4)}" text-anchor="end" font-size="13" fill="#1f2328">${escapeHtml(shorten(c.variant))}</text>
  ${seq ? `<rect x="${n(x(seq.low))}" y="${n(y - 8)}" width="${n(Math.max(1, x(seq.high) - x(seq.low)))}" height="16" rx="4" fill="${colour}" fill-opacity="0.22"/>` : ''}
  ${fixed ? `<line x1="${n(x(fixed.low))}" y1="${n(y)}" x2="${n(x(fixed.high))}" y2="${n(y)}" stroke="${colour}" stroke-width="2.5"/>` : ''}
  <circle cx="${n(x(c.difference!))}" cy="${n(y)}" r="5" fill="${colour}"/>
</g>`;
    })
    .join('\n');
  const legend = `<text x="10" y="14" font-size="12" fill="#59636e">Points against ${escapeHtml(report.control)} · dot: difference · pale bar: sequential interval (the verdict’s) · line: fixed horizon</text>`;
  return `<svg class="forest" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`Difference to control per variant, test ${report.set}`)}">
${legend}${axis}
${bars}
</svg>`;
}

/**
 * The effect over time, as small multiples: per variant, its difference to control (the line) and
 * the sequential interval (the band) at each look, against the users in the test so far. The band
 * narrows as users arrive; a verdict is reached when it leaves the zero line, and looking every day
 * does not make that happen by luck.
 */
export function renderTimeline(report: SetReport, looks: readonly Look[]): string {
  const variants = report.comparisons.map((c) => c.variant);
  const series = variants.map((variant) => ({
    variant,
    final: report.comparisons.find((c) => c.variant === variant)!,
    points: looks.flatMap((look) => {
      const c = look.comparisons.find((x) => x.variant === variant);
      const i = c?.sequential.interval;
      return c && i && c.difference !== null ? [{ users: look.users, d: c.difference, low: i.low, high: i.high }] : [];
    }),
  }));
  const drawn = series.filter((s) => s.points.length >= 2);
  if (drawn.length === 0) return '<p class="muted">The effect over time needs at least two looks with users in control and a variant.</p>';
  const width = 215;
  const height = 130;
  const pad = { left: 36, right: 8, top: 20, bottom: 22 };
  const maxUsers = Math.max(...drawn.flatMap((s) => s.points.map((p) => p.users)));
  // One vertical scale for every panel, so the panels compare at a glance; wide early bands are clipped.
  const bound = symmetricBounds(drawn.flatMap((s) => s.points.slice(Math.floor(s.points.length / 4)).flatMap((p) => [p.low, p.high])));
  const x = (users: number) => pad.left + (users / maxUsers) * (width - pad.left - pad.right);
  const y = (d: number) => pad.top + ((bound - Math.max(-bound, Math.min(bound, d))) / (2 * bound)) * (height - pad.top - pad.bottom);
  const panels = drawn.map((s) => {
    const colour = colourOf(s.final);
    const band = [
      ...s.points.map((p) => `${n(x(p.users))},${n(y(p.high))}`),
      ...[...s.points].reverse().map((p) => `${n(x(p.users))},${n(y(p.low))}`),
    ].join(' ');
    const line = s.points.map((p) => `${n(x(p.users))},${n(y(p.d))}`).join(' ');
    return `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`${s.variant} against control over time`)}">
  <text x="${pad.left}" y="13" font-size="12" font-weight="600" fill="#1f2328">${escapeHtml(shorten(s.variant))}</text>
  <line x1="${pad.left}" y1="${n(y(0))}" x2="${width - pad.right}" y2="${n(y(0))}" stroke="#59636e"/>
  <text x="${pad.left - 4}" y="${n(y(bound) + 4)}" text-anchor="end" font-size="10" fill="#59636e">${escapeHtml(formatPoints(bound))}</text>
  <text x="${pad.left - 4}" y="${n(y(0) + 4)}" text-anchor="end" font-size="10" fill="#59636e">0</text>
  <text x="${pad.left - 4}" y="${n(y(-bound) + 4)}" text-anchor="end" font-size="10" fill="#59636e">${escapeHtml(formatPoints(-bound))}</text>
  <polygon points="${band}" fill="${colour}" fill-opacity="0.2"/>
  <polyline points="${line}" fill="none" stroke="${colour}" stroke-width="2"/>
  <text x="${width - pad.right}" y="${height - 6}" text-anchor="end" font-size="10" fill="#59636e">${escapeHtml(`${maxUsers.toLocaleString('en-US')} users`)}</text>
</svg>`;
  });
  return `<div class="multiples">${panels.join('\n')}</div>`;
}
