// One declared metric's results on the console: its sentence, forest plot, arms and comparisons, guardrail and CUPED lines.
import { formatPValue, leadingVariant, type MetricArmReport, type MetricComparisonReport, type MetricReport } from '../analysis/index.js';
import { renderMetricForestPlot } from './charts/forest.js';
import { escapeHtml } from './escape.js';
import { splitLine } from './health.js';
import { formatLift, formatMetricDifference, formatMetricValue } from './metric-format.js';

const ROLE_WORDS: Readonly<Record<MetricReport['role'], string>> = { primary: 'primary', secondary: 'secondary', guardrail: 'guardrail' };

function interval(kind: MetricReport['kind'], i: { low: number; high: number } | null, diff: boolean): string {
  if (i === null) return '—';
  const f = (v: number) => (diff ? formatMetricDifference(kind, v) : formatMetricValue(kind, v));
  return `${f(i.low)} to ${f(i.high)}`;
}

function armRow(report: MetricReport, arm: MetricArmReport, c: MetricComparisonReport | undefined): string {
  const mean = arm.mean === null ? '—' : formatMetricValue(report.kind, arm.mean);
  const diff =
    c === undefined
      ? '<span class="muted">baseline</span>'
      : c.difference === null
        ? '—'
        : `${escapeHtml(formatMetricDifference(report.kind, c.difference))} <span class="muted">(${escapeHtml(interval(report.kind, c.sequentialInterval, true))}; fixed ${escapeHtml(interval(report.kind, c.differenceInterval, true))})</span>`;
  const lift =
    c?.relativeLift == null
      ? ''
      : `${escapeHtml(formatLift(c.relativeLift))}${c.relativeInterval ? ` <span class="muted">(${escapeHtml(formatLift(c.relativeInterval.low))} to ${escapeHtml(formatLift(c.relativeInterval.high))})</span>` : ''}`;
  const css = c?.verdict.kind === 'better' ? ' class="better"' : c?.verdict.kind === 'worse' || c?.guardrail === 'failing' ? ' class="worse"' : '';
  const verdict = c === undefined ? '<span class="muted">control</span>' : `<span${css}>${escapeHtml(c.verdict.words)}</span>`;
  const guard = c?.guardrail ? ` <span class="badge">${escapeHtml(`guardrail ${c.guardrail}`)}</span>` : '';
  const p = c?.adjustedPValue == null ? '' : ` <span class="muted">(${escapeHtml(formatPValue(c.adjustedPValue))}, Holm)</span>`;
  return `<tr data-variant="${escapeHtml(arm.variant)}" data-n="${arm.n}">
  <td>${escapeHtml(arm.variant)}${arm.isControl ? ' <span class="muted">(control)</span>' : ''}</td>
  <td class="num">${arm.n}</td>
  <td>${escapeHtml(mean)} <span class="muted">(${escapeHtml(interval(report.kind, arm.interval, false))})</span></td>
  <td>${diff}</td>
  <td>${lift}</td>
  <td>${verdict}${guard}${p}</td>
</tr>`;
}

/** The sentence naming the variant ahead (an estimate; the verdicts say whether the lead is real). */
function leaderLine(report: MetricReport): string {
  const leader = leadingVariant(report);
  if (leader === null) return '';
  const words = report.higherIsBetter ? 'Highest' : 'Lowest';
  const lift = leader.comparison?.relativeLift == null ? '' : `, ${formatLift(leader.comparison.relativeLift)} against ${report.control}`;
  const adjusted = report.cuped ? ', CUPED-adjusted' : '';
  return `<p class="leader" data-leader="${escapeHtml(leader.variant)}">${words} ${escapeHtml(report.metric)}: <strong>${escapeHtml(leader.variant)}</strong> (${escapeHtml(formatMetricValue(report.kind, leader.value) + lift + adjusted)}).</p>`;
}

/**
 * The results of one metric of a set, as `MetricReport` gives them: the sentence, the variant ahead, the forest plot
 * (difference to control, the always-valid interval and the Welch interval), a table of arms and
 * comparisons with relative lift, the guardrail state, CUPED's variance reduction and balance, the
 * cap, the excluded persons and the split check. Every figure comes from the report.
 */
export function metricSection(report: MetricReport): string {
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const direction = report.higherIsBetter ? 'higher is better' : 'lower is better';
  const notes: string[] = [];
  if (report.cuped) {
    const c = report.cuped;
    notes.push(
      `CUPED: θ ${c.theta.toPrecision(3)}, variance reduced by ${(c.varianceReduction * 100).toFixed(1)} %; pre-period ${c.balanced ? 'balanced ✓' : `<strong class="worse">not balanced</strong> (${escapeHtml(formatPValue(c.balancePValue))})`}`,
    );
  }
  if (report.cap !== null) notes.push(`values capped at ${escapeHtml(formatMetricValue(report.kind, report.cap))}`);
  notes.push(`${report.mixed} person${report.mixed === 1 ? '' : 's'} in two variants excluded`);
  const split = report.sampleRatio
    ? splitLine(
        'Split',
        report.arms.map((a) => a.variant),
        report.sampleRatio,
      )
    : '';
  return `<div class="metric" data-metric="${escapeHtml(report.metric)}" data-role="${report.role}">
<h4>Metric “${escapeHtml(report.metric)}” <span class="badge">${ROLE_WORDS[report.role]}</span> <span class="muted">${escapeHtml(report.kind)}, ${direction}</span></h4>
<p class="summary">${escapeHtml(report.summary)}</p>
${leaderLine(report)}
${renderMetricForestPlot(report)}
<div class="scroll"><table>
<thead><tr><th>Variant</th><th class="num">Persons</th><th>Value</th><th>Difference <span class="muted">(sequential; fixed)</span></th><th>Lift</th><th>Verdict</th></tr></thead>
<tbody>
${report.arms.map((arm) => armRow(report, arm, comparisons.get(arm.variant))).join('\n')}
</tbody>
</table></div>
<p class="muted">${notes.join(' · ')}</p>
${split}
</div>`;
}
