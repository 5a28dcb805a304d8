// Renders the coconut store's /results page: per-set summary, table, sample-ratio warning and chart, in plain language.
import { escapeHtml, layout } from './layout.js';
import { renderRateChart } from './results-chart.js';
import { formatPercent, formatPoints, formatPointsInterval, formatPValue, formatRateInterval, setSummary, verdictPhrase } from './results-words.js';
import type { SetAnalysis, VariantStats } from './stats.js';

/** Options of {@link renderResults}. */
export interface ResultsPageOptions {
  /** Shown as "Updated …"; defaults to now. */
  generatedAt?: Date;
  /** The page title; defaults to "A/B test results". */
  title?: string;
}

/** The sentence the sample-ratio-mismatch warning leads with. */
export const SRM_WARNING =
  'The split of users between variants is not what was configured, so these numbers can’t be trusted until the cause is found.';

function shareList(set: SetAnalysis, share: (v: VariantStats) => number): string {
  return set.variants.map((v) => `${v.variant} ${(share(v) * 100).toFixed(1)}%`).join(' · ');
}

function srmWarning(set: SetAnalysis): string {
  if (!set.srm.flagged) return '';
  const seen = shareList(set, (v) => (set.totalUsers > 0 ? v.exposedUsers / set.totalUsers : 0));
  return `<div class="warning" role="alert">
  <p><strong>Warning:</strong> ${escapeHtml(SRM_WARNING)}</p>
  <p class="muted">Configured: ${escapeHtml(shareList(set, (v) => v.expectedShare))}.<br>
  Seen: ${escapeHtml(seen)} (chi-square test, ${escapeHtml(formatPValue(set.srm.pValue))}).
  Common causes: a variant that crashes or redirects before it is logged, bots, or weights changed mid-test.</p>
</div>`;
}

function verdictCell(v: VariantStats): string {
  const css = v.verdict === 'better than control' ? 'better' : v.verdict === 'worse than control' ? 'worse' : '';
  const fine =
    v.difference && v.verdict !== 'too little data' ? ` <span class="muted">(${escapeHtml(formatPValue(v.difference.pValue))})</span>` : '';
  return `<span${css ? ` class="${css}"` : ''}>${escapeHtml(verdictPhrase(v.verdict))}</span>${fine}`;
}

function tableRow(v: VariantStats): string {
  const rate =
    v.rate === null || v.rateInterval === null
      ? '—'
      : `${escapeHtml(formatPercent(v.rate))} <span class="muted">(${escapeHtml(formatRateInterval(v.rateInterval))})</span>`;
  const difference = v.isControl
    ? '<span class="muted">this is control</span>'
    : v.difference === null
      ? '—'
      : `${escapeHtml(formatPoints(v.difference.absolute))} points <span class="muted">(${escapeHtml(formatPointsInterval(v.difference.interval))})</span>`;
  return `<tr>
  <td>${escapeHtml(v.variant)}${v.isControl ? ' <span class="muted">(control)</span>' : ''}</td>
  <td class="num">${v.exposedUsers}</td>
  <td class="num">${v.convertedUsers}</td>
  <td>${rate}</td>
  <td>${difference}</td>
  <td>${verdictCell(v)}</td>
</tr>`;
}

function differenceRangeNote(set: SetAnalysis): string {
  const level = `${Math.round(set.options.confidence * 100)}% range`;
  return set.comparisons > 1 ? `${level}, widened for ${set.comparisons} comparisons` : level;
}

function setSection(set: SetAnalysis): string {
  return `<section>
<h2>Test “${escapeHtml(set.setName)}”</h2>
<p class="summary">${escapeHtml(setSummary(set))}</p>
${srmWarning(set)}
<table>
<thead><tr>
  <th>Variant</th><th class="num">Users who saw it</th><th class="num">Users who bought</th>
  <th>Conversion rate <span class="muted">(${Math.round(set.options.confidence * 100)}% range)</span></th>
  <th>Difference to control <span class="muted">(${differenceRangeNote(set)})</span></th><th>Verdict</th>
</tr></thead>
<tbody>
${set.variants.map(tableRow).join('\n')}
</tbody>
</table>
${renderRateChart(set)}
</section>`;
}

function howToRead(analyses: readonly SetAnalysis[]): string {
  const first = analyses[0]?.options;
  const confidence = first ? Math.round(first.confidence * 100) : 95;
  const minUsers = first ? first.minUsers : 100;
  const alpha = Number((1 - (first?.confidence ?? 0.95)).toFixed(4));
  return `<div class="note">
<h2>How to read this</h2>
<ul>
  <li><strong>Conversion rate</strong>: the share of users who bought a coconut after they first saw the variant.
    The range in brackets is where the true rate most likely lies (${confidence}% of the time); it narrows as more users arrive.</li>
  <li><strong>Difference to control</strong>: in percentage points (3.1% against 4.3% is 1.2 points worse).
    When its range does not include zero, the difference is likely real and not luck: the verdict then says
    “better than control” or “worse than control”.</li>
  <li><strong>No clear difference yet</strong>: so far the data fits “no effect”; keep the test running, or accept that any effect is small.
    <strong>Too little data</strong>: fewer than ${minUsers} users in the variant or in control.</li>
  <li>When a test has several variants, each difference’s range is widened and its <em>p</em> raised
    to match (Bonferroni), so that among many variants one lucky variant is not called a winner.</li>
  <li>Each user counts once per test, for the variant they saw first; purchases made before that don’t count.</li>
  <li>The small <em>p</em> is how often chance alone would give a difference this large; below ${alpha} counts as likely real.
    Decide how long a test runs before it starts: stopping at the first good-looking day finds “winners” that aren’t.</li>
</ul>
</div>`;
}

/**
 * Renders the whole /results HTML page from one {@link SetAnalysis} per set (see `analyzeSet` in
 * stats.ts): an at-a-glance line per set, a "How to read this" note, and per set a table, a
 * sample-ratio-mismatch warning when flagged, and an inline SVG chart. Every value is escaped.
 * @example
 * const rows = store.resultsRows();
 * res.type('html').send(renderResults([analyzeSet(delayConfig, rows), analyzeSet(pricingConfig, rows)]));
 */
export function renderResults(analyses: readonly SetAnalysis[], options: ResultsPageOptions = {}): string {
  const generatedAt = options.generatedAt ?? new Date();
  const glance =
    analyses.length === 0
      ? '<p>No tests are configured.</p>'
      : `<ul class="summary">\n${analyses.map((set) => `  <li>${escapeHtml(setSummary(set))}</li>`).join('\n')}\n</ul>`;
  const body = `<p class="muted">Updated ${escapeHtml(generatedAt.toISOString())}. Reload for fresh numbers.</p>
${glance}
${howToRead(analyses)}
${analyses.map(setSection).join('\n')}`;
  return layout(options.title ?? 'A/B test results', body);
}
