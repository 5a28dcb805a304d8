// Renders the coconut store's /results page from tracks-ab/analysis: verdicts, a table per test, SVG plots, SRM and planning.
import {
  formatConfidence,
  formatCount,
  formatPercent,
  formatPoints,
  formatPValue,
  type ArmReport,
  type ComparisonReport,
  type MetricReport,
  type SampleRatio,
  type SetReport,
} from 'tracks-ab/analysis';
import { escapeHtml, layout } from './layout.js';
import { renderMetricReport, type MetricSectionOptions } from './metric-section.js';
import { renderForestPlot, renderTimeline } from './results-chart.js';
import type { Look, StoreResults } from './store-results.js';

/** Options of {@link renderResults}. */
export interface ResultsPageOptions {
  /** Shown as "Updated …"; defaults to now. */
  generatedAt?: Date;
  /** The page title; defaults to "A/B test results". */
  title?: string;
}

/** The sentence the sample-ratio-mismatch warning leads with. */
export const SRM_WARNING = 'The split of users is not what was configured, so these numbers can’t be trusted until the cause is found.';

function srmLine(label: string, cells: readonly string[], check: SampleRatio): string {
  const seen = check.observed
    .map((users, i) => `${cells[i] ?? '?'} ${formatCount(users)} (expected ${formatCount(check.expected[i] ?? 0)})`)
    .join(' · ');
  const state = check.flagged ? '<strong class="worse">mismatch</strong>' : check.checked ? 'as configured ✓' : 'too few users to check yet';
  return `<p class="muted">${escapeHtml(label)}: ${escapeHtml(seen)} — ${escapeHtml(formatPValue(check.pValue))}, ${state}</p>`;
}

function verdictCell(c: ComparisonReport | undefined): string {
  if (c === undefined) return '<span class="muted">control</span>';
  const css = c.verdict.kind === 'better' ? 'better' : c.verdict.kind === 'worse' ? 'worse' : '';
  return `<span${css ? ` class="${css}"` : ''}>${escapeHtml(c.verdict.words)}</span>`;
}

function range(low: number, high: number): string {
  return `${formatPoints(low)} to ${formatPoints(high)}`;
}

function tableRow(arm: ArmReport, c: ComparisonReport | undefined): string {
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
  return `<tr>
  <td>${escapeHtml(arm.variant)}${arm.isControl ? ' <span class="muted">(control)</span>' : ''}</td>
  <td class="num">${arm.users}</td>
  <td class="num">${arm.converted}</td>
  <td>${rate}</td>
  <td>${difference}</td>
  <td>${verdictCell(c)}</td>
</tr>`;
}

function planningLine(report: SetReport): string {
  const plans = report.comparisons.map((c) => c.planning.sequentialMinimumDetectableEffect).filter((d): d is number => d !== null);
  if (plans.length === 0) return '';
  const widest = Math.max(...plans);
  const needed = report.comparisons.map((c) => c.planning.sequentialRequiredUsers?.variant).filter((u): u is number => u !== undefined);
  const more =
    needed.length > 0
      ? ` To detect ${formatPoints(report.options.minimumEffect ?? 0).replace('+', '')} points: about ${formatCount(Math.max(...needed))} users per arm.`
      : '';
  return `<p class="muted">Power: with these users, a difference of about ${escapeHtml(formatPoints(widest).replace('+', '±'))} points would be detected (80 % of the time, sequential test).${escapeHtml(more)}</p>`;
}

/** How the store names its metrics on the page. */
const METRIC_WORDS: Readonly<Record<string, MetricSectionOptions>> = {
  revenue_per_visitor: { title: 'Revenue per visitor', prefix: '$', leaderWords: 'Earns the most per visitor' },
  conversion: { title: 'Conversion (share of shoppers who bought)', leaderWords: 'Converts the most' },
};

function metricsPart(metrics: readonly MetricReport[]): string {
  if (metrics.length === 0) return '';
  return `<h3>Metrics</h3>\n${metrics.map((m) => renderMetricReport(m, METRIC_WORDS[m.metric])).join('\n')}`;
}

function setSection(report: SetReport, looks: readonly Look[], metrics: readonly MetricReport[] = []): string {
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const level = formatConfidence(report.options.confidence);
  const hold =
    report.status === 'on-hold' ? `<div class="warning" role="alert"><p><strong>On hold:</strong> ${escapeHtml(SRM_WARNING)}</p></div>` : '';
  return `<section>
<h2>Test “${escapeHtml(report.set)}”</h2>
<p class="summary">${escapeHtml(report.summary)}</p>
${hold}
<h3>Difference to control, per variant</h3>
${renderForestPlot(report)}
<h3>The effect over time</h3>
${renderTimeline(report, looks)}
<table>
<thead><tr>
  <th>Variant</th><th class="num">Users</th><th class="num">Bought</th>
  <th>Conversion <span class="muted">(${escapeHtml(level)})</span></th>
  <th>Difference, points <span class="muted">(sequential ${escapeHtml(level)}; fixed horizon)</span></th><th>Verdict</th>
</tr></thead>
<tbody>
${report.arms.map((arm) => tableRow(arm, comparisons.get(arm.variant))).join('\n')}
</tbody>
</table>
${srmLine(
  'Split between variants',
  report.arms.map((a) => a.variant),
  report.sampleRatio,
)}
${planningLine(report)}
${metricsPart(metrics)}
</section>`;
}

const HOW_TO_READ = `<div class="note">
<h2>How to read this</h2>
<ul>
  <li>Each person counts once per test, for the variant they saw first (an anonymous visit and a later login are one person);
    a purchase counts if it came at or after that first visit.</li>
  <li><strong>The dot</strong> is the difference to control, in percentage points. <strong>The pale bar</strong> is the
    sequential interval: the verdict follows it, and it stays honest however often you look.
    <strong>The thin line</strong> is the classic fixed-horizon interval, valid only for a single look at a planned size.</li>
  <li><strong>Over time</strong>: the band is the sequential interval at each look; a verdict comes when it leaves the zero line.</li>
  <li>With many variants, each comparison is tested at a stricter level (Holm), so one lucky variant among ten is not a winner.</li>
  <li>The split check compares users per variant (and per test) with the configured weights; a mismatch puts verdicts on hold.</li>
</ul>
</div>`;

/**
 * Renders the whole /results page: the at-a-glance verdict of each test, the member split of the
 * multi set, and per test the forest plot, the effect over time, the table, the split check and the
 * power line. Every value is escaped; the plots are inline SVG (no script).
 * @example res.type('html').send(renderResults(await analyzeStore(store.client)));
 */
export function renderResults(results: StoreResults, options: ResultsPageOptions = {}): string {
  const generatedAt = options.generatedAt ?? new Date();
  const { report } = results;
  const glance = `<ul class="summary">\n${report.members.map((m) => `  <li>${escapeHtml(m.summary)}</li>`).join('\n')}\n</ul>`;
  const split = report.memberSplit.flagged
    ? `<div class="warning" role="alert"><p><strong>Warning:</strong> ${escapeHtml(SRM_WARNING)}</p></div>`
    : '';
  const body = `<p class="muted">Updated ${escapeHtml(generatedAt.toISOString())}. Reload for fresh numbers.</p>
${glance}
${split}
${srmLine('Split between the tests', report.splitMembers, report.memberSplit)}
${report.members.map((m) => setSection(m, results.timelines[m.set] ?? [], results.metrics?.[m.set])).join('\n')}
${HOW_TO_READ}`;
  return layout(options.title ?? 'A/B test results', body);
}
