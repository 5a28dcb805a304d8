// One metric's results as an HTML section (a MetricReport from tracks-ab/analysis): self-contained, to move into the console as it is.
import { formatCount, formatPercent, formatValue, type MetricComparisonReport, type MetricReport } from 'tracks-ab/analysis';
import { escapeHtml } from './layout.js';

/** Options of {@link renderMetricReport}. */
export interface MetricSectionOptions {
  /** The metric's name as a person reads it (default: its name). */
  readonly title?: string;
  /** Put before every value: `$` for money. */
  readonly prefix?: string;
  /** The words before the leading variant's name (default: "Highest <title>"). */
  readonly leaderWords?: string;
}

function signed(value: number, prefix: string): string {
  const text = `${prefix}${formatValue(Math.abs(value))}`;
  return value < 0 ? `−${text}` : `+${text}`;
}

function lift(value: number): string {
  return `${value < 0 ? '−' : '+'}${formatPercent(Math.abs(value))}`;
}

function verdictCell(c: MetricComparisonReport | undefined): string {
  if (c === undefined) return '<span class="muted">control</span>';
  const words = c.guardrailWords ?? c.verdict.words;
  const css =
    c.guardrail === 'failing' || c.verdict.kind === 'worse' ? 'worse' : c.guardrail === 'safe' || c.verdict.kind === 'better' ? 'better' : '';
  return `<span${css ? ` class="${css}"` : ''}>${escapeHtml(words)}</span>`;
}

/**
 * The variant that does best on the metric by the analysis's own estimates: control's mean plus
 * each variant's (CUPED-adjusted) difference, the largest (or smallest, when lower is better). Null
 * before any comparison has a difference.
 */
export function leadingVariant(report: MetricReport): { variant: string; value: number; comparison: MetricComparisonReport | null } | null {
  const control = report.arms.find((a) => a.isControl);
  if (control?.mean == null) return null;
  const candidates = [
    { variant: control.variant, value: control.mean, comparison: null },
    ...report.comparisons
      .filter((c) => c.difference !== null)
      .map((c) => ({ variant: c.variant, value: control.mean! + c.difference!, comparison: c })),
  ];
  if (candidates.length < 2) return null;
  const sign = report.higherIsBetter ? 1 : -1;
  return candidates.reduce((best, next) => (sign * next.value > sign * best.value ? next : best));
}

/**
 * One metric's section: its summary sentence, the leading variant named, a table of arms (persons,
 * mean with its interval, difference to control with the sequential interval the verdict follows,
 * relative lift, verdict or guardrail status), CUPED's figures and the persons left out as mixed.
 * Every value is escaped and every number comes from the report.
 */
export function renderMetricReport(report: MetricReport, options: MetricSectionOptions = {}): string {
  const title = options.title ?? report.metric;
  const prefix = options.prefix ?? '';
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const traits = [
    report.role === 'guardrail' && report.margin !== null ? `guardrail, at most ${formatPercent(report.margin)} worse` : report.role,
    report.kind,
  ];
  if (report.cuped) traits.push('CUPED');
  if (report.cap !== null) traits.push(`capped at ${prefix}${formatValue(report.cap)}`);
  const leader = leadingVariant(report);
  const leaderLine =
    leader === null
      ? ''
      : `<p class="leader" data-leader="${escapeHtml(leader.variant)}">${escapeHtml(options.leaderWords ?? `Highest ${title}`)}: <strong>${escapeHtml(leader.variant)}</strong> (${escapeHtml(prefix + formatValue(leader.value))}${
          leader.comparison?.relativeLift == null ? '' : `, ${escapeHtml(lift(leader.comparison.relativeLift))} against ${escapeHtml(report.control)}`
        }${report.cuped ? ', CUPED-adjusted' : ''}).</p>`;
  const rows = report.arms.map((arm) => {
    const c = comparisons.get(arm.variant);
    const mean =
      arm.mean === null
        ? '—'
        : `${escapeHtml(prefix + formatValue(arm.mean))}${arm.interval ? ` <span class="muted">(${escapeHtml(formatValue(arm.interval.low))}–${escapeHtml(formatValue(arm.interval.high))})</span>` : ''}`;
    const seq = c?.sequentialInterval;
    const difference =
      c === undefined
        ? '<span class="muted">baseline</span>'
        : c.difference === null
          ? '—'
          : `${escapeHtml(signed(c.difference, prefix))}${seq ? ` <span class="muted">(${escapeHtml(signed(seq.low, prefix))} to ${escapeHtml(signed(seq.high, prefix))})</span>` : ''}`;
    return `<tr><td>${escapeHtml(arm.variant)}${arm.isControl ? ' <span class="muted">(control)</span>' : ''}</td><td class="num">${formatCount(arm.n)}</td><td>${mean}</td><td>${difference}</td><td class="num">${
      c?.relativeLift == null ? '' : escapeHtml(lift(c.relativeLift))
    }</td><td>${verdictCell(c)}</td></tr>`;
  });
  const total = report.arms.reduce((sum, a) => sum + a.n, 0) + report.mixed;
  const mixedShare = total === 0 ? 0 : report.mixed / total;
  const notes = [
    report.cuped
      ? `CUPED (the same spend before the test as covariate): variance reduced by ${formatPercent(report.cuped.varianceReduction)}, pre-period ${report.cuped.balanced ? 'balanced ✓' : 'NOT balanced between variants'}.`
      : null,
    `Persons exposed to two variants, left out: ${formatCount(report.mixed)} (${formatPercent(mixedShare)})${mixedShare > 0.01 ? ' — above 1 %, check how users are identified' : ''}.`,
  ].filter((n): n is string => n !== null);
  return `<section class="metric" data-metric="${escapeHtml(report.metric)}">
<h3>${escapeHtml(title)} <span class="muted">(${escapeHtml(traits.join(' · '))})</span></h3>
<p class="summary">${escapeHtml(report.summary)}</p>
${leaderLine}
<table>
<thead><tr><th>Variant</th><th class="num">Persons</th><th>Mean <span class="muted">(interval)</span></th><th>Difference <span class="muted">(sequential interval)</span></th><th class="num">Lift</th><th>Verdict</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n')}
</section>`;
}
