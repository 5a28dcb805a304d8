// A set's conversion report on the console: verdict sentence, forest plot, effect over time, the table of arms.
import { formatConfidence, formatPercent, formatPoints, type ArmReport, type ComparisonReport, type SetReport } from '../analysis/index.js';
import { renderForestPlot } from './charts/forest.js';
import { renderTimeline, type Look } from './charts/timeline.js';
import { escapeHtml } from './escape.js';

function verdictCell(c: ComparisonReport | undefined): string {
  if (c === undefined) return '<span class="muted">control</span>';
  const css = c.verdict.kind === 'better' ? 'better' : c.verdict.kind === 'worse' ? 'worse' : '';
  return `<span${css ? ` class="${css}"` : ''}>${escapeHtml(c.verdict.words)}</span>`;
}

function range(low: number, high: number): string {
  return `${formatPoints(low)} to ${formatPoints(high)}`;
}

function armRow(arm: ArmReport, c: ComparisonReport | undefined, conversions: boolean): string {
  const rate =
    arm.rate === null || arm.interval === null
      ? '—'
      : `${escapeHtml(formatPercent(arm.rate))} <span class="muted">(${escapeHtml(formatPercent(arm.interval.low))}–${escapeHtml(formatPercent(arm.interval.high))})</span>`;
  const seq = c?.sequential.interval;
  const fixed = c?.fixed.interval;
  const difference =
    c === undefined
      ? '<span class="muted">baseline</span>'
      : c.difference === null || !seq || !fixed
        ? '—'
        : `${escapeHtml(formatPoints(c.difference))} <span class="muted">(${escapeHtml(range(seq.low, seq.high))}; fixed ${escapeHtml(range(fixed.low, fixed.high))})</span>`;
  const name = `${escapeHtml(arm.variant)}${arm.isControl ? ' <span class="muted">(control)</span>' : ''}`;
  const data = `data-variant="${escapeHtml(arm.variant)}" data-users="${arm.users}" data-converted="${arm.converted}"`;
  if (!conversions)
    return `<tr ${data}><td>${name}</td><td class="num">${(arm.expectedShare * 100).toFixed(1)} %</td><td class="num">${arm.users}</td></tr>`;
  return `<tr ${data}>
  <td>${name}</td>
  <td class="num">${arm.users}</td>
  <td class="num">${arm.converted}</td>
  <td>${rate}</td>
  <td>${difference}</td>
  <td>${verdictCell(c)}</td>
</tr>`;
}

/** The table of arms: users (and with conversions: converted, rate, difference, verdict), one row per variant. */
export function armsTable(report: SetReport, conversions: boolean): string {
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const level = formatConfidence(report.options.confidence);
  const head = conversions
    ? `<th>Variant</th><th class="num">Users</th><th class="num">Converted</th>
  <th>Conversion <span class="muted">(${escapeHtml(level)})</span></th>
  <th>Difference, points <span class="muted">(sequential ${escapeHtml(level)}; fixed horizon)</span></th><th>Verdict</th>`
    : '<th>Variant</th><th class="num">Expected share</th><th class="num">Users</th>';
  return `<div class="scroll"><table class="arms" data-set="${escapeHtml(report.set)}">
<thead><tr>${head}</tr></thead>
<tbody>
${report.arms.map((arm) => armRow(arm, comparisons.get(arm.variant), conversions)).join('\n')}
</tbody>
</table></div>`;
}

/** The conversion results of a set: the forest plot, the effect over time and the table (the demo's results page, per set). */
export function conversionSection(report: SetReport, looks: readonly Look[]): string {
  return `<h4>Conversions: difference to control, per variant</h4>
${renderForestPlot(report)}
<h4>Conversions: the effect over time</h4>
${renderTimeline(report, looks)}
${armsTable(report, true)}`;
}
