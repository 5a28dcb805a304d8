// Users per arm over time: one stacked bar per day of new persons, coloured by arm, with a legend.
import { formatCount } from '../../analysis/index.js';
import type { TrafficDayRow } from '../../postgres/traffic-queries.js';
import { escapeHtml } from '../escape.js';
import { ARM_COLOURS, coordinate as n, niceStep, shorten } from './scale.js';

/**
 * A stacked bar chart of new persons per UTC day, one colour per arm (`arms` in order, control
 * first), over the days of `rows` (the `readTraffic` rows of one set or member). Days without
 * anyone are drawn empty, so a gap in traffic shows.
 */
export function renderTrafficChart(rows: readonly TrafficDayRow[], arms: readonly string[], title: string): string {
  if (rows.length === 0) return '<p class="muted">No users yet.</p>';
  const dayNames = [...new Set(rows.map((r) => r.day))].sort();
  const first = Date.parse(`${dayNames[0]!}T00:00:00Z`);
  const last = Date.parse(`${dayNames[dayNames.length - 1]!}T00:00:00Z`);
  const days: string[] = [];
  for (let t = first; t <= last; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const byDay = new Map(days.map((d) => [d, new Map<string, number>()]));
  for (const r of rows) byDay.get(r.day)?.set(r.variant, (byDay.get(r.day)!.get(r.variant) ?? 0) + r.users);
  const totals = days.map((d) => [...byDay.get(d)!.values()].reduce((a, b) => a + b, 0));
  const width = 680;
  const height = 190;
  const pad = { left: 48, right: 10, top: 12, bottom: 38 };
  const step = niceStep(Math.max(1, ...totals), 4);
  const top = Math.ceil(Math.max(1, ...totals) / step) * step;
  const slot = (width - pad.left - pad.right) / days.length;
  const barWidth = Math.max(2, Math.min(40, slot * 0.75));
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const colour = (arm: string) => ARM_COLOURS[Math.max(0, arms.indexOf(arm)) % ARM_COLOURS.length]!;
  const grid: string[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid.push(
      `<line x1="${pad.left}" y1="${n(y(v))}" x2="${width - pad.right}" y2="${n(y(v))}" stroke="#eaeef2"/>` +
        `<text x="${pad.left - 6}" y="${n(y(v) + 4)}" text-anchor="end" font-size="11" fill="#59636e">${escapeHtml(formatCount(v))}</text>`,
    );
  }
  const labelEvery = Math.ceil(days.length / 7);
  const bars = days.map((day, i) => {
    const x = pad.left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    const stack = arms.map((arm) => {
      const users = byDay.get(day)!.get(arm) ?? 0;
      if (users === 0) return '';
      const rect = `<rect x="${n(x)}" y="${n(y(base + users))}" width="${n(barWidth)}" height="${n(y(base) - y(base + users))}" fill="${colour(arm)}"><title>${escapeHtml(`${day} · ${arm}: ${formatCount(users)} new users`)}</title></rect>`;
      base += users;
      return rect;
    });
    const label =
      i % labelEvery === 0
        ? `<text x="${n(x + barWidth / 2)}" y="${height - pad.bottom + 14}" text-anchor="middle" font-size="11" fill="#59636e">${escapeHtml(day.slice(5))}</text>`
        : '';
    return stack.join('') + label;
  });
  const legend = arms
    .map((arm, i) => {
      const lx = pad.left + (i % 4) * 150;
      const ly = height - 8;
      return i < 4
        ? `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${colour(arm)}"/><text x="${lx + 14}" y="${ly}" font-size="11" fill="#1f2328">${escapeHtml(shorten(arm, 18))}</text>`
        : '';
    })
    .join('');
  const more =
    arms.length > 4
      ? `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="11" fill="#59636e">${escapeHtml(`+${arms.length - 4} more (hover a bar)`)}</text>`
      : '';
  return `<svg class="traffic" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">
${grid.join('')}
${bars.join('\n')}
${legend}${more}
</svg>`;
}
