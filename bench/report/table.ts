// Renders the rows of every suite as one table, in plain text for the terminal or in Markdown.
import type { Row, SuiteResult } from '../suite.js';

const HEADER = ['suite', 'case', 'kind', 'median', 'min', 'max', 'unit', 'vs baseline'];

/** 3 significant-ish digits: 2.41, 38.7, 612.4, 7,310. */
export function formatNumber(n: number): string {
  if (n < 10) return n.toFixed(2);
  if (n < 1000) return n.toFixed(1);
  return Math.round(n).toLocaleString('en-US');
}

function ratio(row: Row, baseline: Row | undefined): string {
  // A suite with no single baseline row (http: each framework against itself) may still give ratios.
  if (!baseline) return row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`;
  if (row === baseline) return 'baseline';
  return `${(row.ratio ?? row.median / baseline.median).toFixed(2)}×`;
}

/** The cells of the table, one array per row, header first. */
export function cells(results: readonly SuiteResult[]): string[][] {
  const out = [HEADER];
  for (const result of results) {
    const baseline = result.rows.find((r) => r.id === result.baseline);
    for (const row of result.rows) {
      out.push([
        result.suite,
        row.label,
        row.kind,
        formatNumber(row.median),
        formatNumber(row.min),
        formatNumber(row.max),
        row.unit,
        ratio(row, baseline),
      ]);
    }
  }
  return out;
}

const numeric = new Set([3, 4, 5, 7]);

/** Fixed-width text, numbers right-aligned. */
export function textTable(results: readonly SuiteResult[]): string {
  const rows = cells(results);
  const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(results: readonly SuiteResult[]): string {
  const rows = cells(results);
  const line = (r: string[]): string => `| ${r.join(' | ')} |`;
  const rule = `|${HEADER.map((_, c) => (numeric.has(c) ? '---:' : '---')).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
