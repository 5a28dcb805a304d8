// `tracks-ab report` as text: a set's report as an aligned table, its sample-ratio and planning lines, and its verdicts.
import { formatConfidence, formatCount, formatPercent, formatPoints, formatPValue } from '../analysis/format.js';
import type { MultiReport, SetReport } from '../analysis/report-types.js';
import type { SampleRatio } from '../analysis/sample-ratio.js';

/** Columns padded to their widest cell; numbers right-aligned, text left-aligned. */
function alignedTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

function range(interval: { low: number; high: number } | null, asPoints: boolean): string {
  if (interval === null) return '—';
  return asPoints
    ? `${formatPoints(interval.low)} to ${formatPoints(interval.high)}`
    : `${formatPercent(interval.low).replace(' %', '')}–${formatPercent(interval.high)}`;
}

/** The sample-ratio line: observed against expected users, the p-value, and what it means. */
export function sampleRatioLine(label: string, cells: readonly string[], check: SampleRatio): string {
  const observed = check.observed.map((n, i) => `${cells[i] ?? '?'} ${formatCount(n)}`).join(', ');
  const expected = check.expected.map((n) => formatCount(n)).join(' / ');
  const state = check.flagged
    ? `MISMATCH (below ${check.threshold}): results on hold until the cause is found`
    : check.checked
      ? 'as configured'
      : 'too few users to check yet';
  return `${label}: ${observed} (expected ${expected}), ${formatPValue(check.pValue)}: ${state}`;
}

/** The lines of one set's report, as `tracks-ab report` prints them. */
export function setReportLines(report: SetReport): string[] {
  const level = formatConfidence(report.options.confidence);
  const comparisons = new Map(report.comparisons.map((c) => [c.variant, c]));
  const rows = report.arms.map((arm) => {
    const c = comparisons.get(arm.variant);
    return [
      arm.isControl ? `${arm.variant} (control)` : arm.variant,
      `${(arm.expectedShare * 100).toFixed(1)} %`,
      formatCount(arm.users),
      formatCount(arm.converted),
      arm.rate === null ? '—' : formatPercent(arm.rate),
      range(arm.interval, false),
      c?.difference == null ? '' : formatPoints(c.difference),
      c ? range(c.sequential.interval, true) : '',
      c ? range(c.fixed.interval, true) : '',
    ];
  });
  const lines = [
    `${report.set}: ${formatCount(report.totalUsers)} users, ${report.status}`,
    '',
    ...alignedTable(
      ['variant', 'share', 'users', 'converted', 'rate', `${level} interval`, 'diff (pts)', `sequential ${level}`, `fixed-horizon ${level}`],
      rows,
      new Set([1, 2, 3, 4, 6]),
    ).map((l) => `  ${l}`),
    '',
    sampleRatioLine(
      'Sample ratio',
      report.arms.map((a) => a.variant),
      report.sampleRatio,
    ),
  ];
  if (report.memberSplit?.flagged) lines.push('Member split of the multi set: MISMATCH, results on hold');
  for (const c of report.comparisons) {
    const p = c.planning;
    const detectable =
      p.sequentialMinimumDetectableEffect === null
        ? 'no planning figures yet'
        : `detectable now: ${formatPoints(p.sequentialMinimumDetectableEffect).replace('+', '±')} points (sequential), ${formatPoints(p.minimumDetectableEffect ?? 0).replace('+', '±')} (fixed horizon)`;
    const needed = p.sequentialRequiredUsers ? `; for the minimum effect: ${formatCount(p.sequentialRequiredUsers.variant)} users in this arm` : '';
    lines.push(`Planning ${c.variant}: ${detectable}${needed}`);
  }
  lines.push(
    '',
    ...report.comparisons.map((c) => `${c.variant}: ${c.verdict.words}${c.fixedVerdict ? ` (fixed horizon: ${c.fixedVerdict.words})` : ''}`),
  );
  lines.push('', report.summary);
  return lines;
}

/** The lines of a MultiTrackSet's report: the member split, then each member's report. */
export function multiReportLines(report: MultiReport): string[] {
  return [
    `${report.set}: a multi set of ${report.members.length} members`,
    sampleRatioLine('Member split', report.splitMembers, report.memberSplit),
    ...report.members.flatMap((m) => ['', ...setReportLines(m)]),
  ];
}
