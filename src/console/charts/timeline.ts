// The effect over time: small multiples of each variant's difference to control and its sequential band, look by look.
import { formatPoints, type ComparisonReport, type SetReport } from '../../analysis/index.js';
import { escapeHtml } from '../escape.js';
import { coordinate as n, NEUTRAL, shorten, symmetricBounds, VERDICT_COLOURS } from './scale.js';

/** One look at a set's comparisons: as they stood after `users` of its users had arrived. */
export interface Look {
  readonly at: Date;
  readonly users: number;
  readonly comparisons: readonly ComparisonReport[];
}

/**
 * The effect over time, as small multiples: per variant, its difference to control (the line) and
 * the sequential interval (the band) at each look, against the users in the test so far. The band
 * narrows as users arrive; a verdict is reached when it leaves the zero line, and looking every day
 * does not make that happen by luck. Every number is an `analyzeSet` of the counts at that look.
 */
export function renderTimeline(report: SetReport, looks: readonly Look[]): string {
  const series = report.comparisons.map((final) => ({
    final,
    points: looks.flatMap((look) => {
      const c = look.comparisons.find((x) => x.variant === final.variant);
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
  const bound = symmetricBounds(
    drawn.flatMap((s) => s.points.slice(Math.floor(s.points.length / 4)).flatMap((p) => [p.low, p.high])),
    1,
  );
  const x = (users: number) => pad.left + (users / maxUsers) * (width - pad.left - pad.right);
  const y = (d: number) => pad.top + ((bound - Math.max(-bound, Math.min(bound, d))) / (2 * bound)) * (height - pad.top - pad.bottom);
  const panels = drawn.map((s) => {
    const colour = VERDICT_COLOURS[s.final.verdict.kind] ?? NEUTRAL;
    const band = [
      ...s.points.map((p) => `${n(x(p.users))},${n(y(p.high))}`),
      ...[...s.points].reverse().map((p) => `${n(x(p.users))},${n(y(p.low))}`),
    ].join(' ');
    const line = s.points.map((p) => `${n(x(p.users))},${n(y(p.d))}`).join(' ');
    return `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`${s.final.variant} against control over time`)}">
  <text x="${pad.left}" y="13" font-size="12" font-weight="600" fill="#1f2328">${escapeHtml(shorten(s.final.variant))}</text>
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
