// The checks a case must pass before its timings count: an even split and the same answer twice.
import type { ReadyReport } from './child.js';

/**
 * Allowed distance of each variant's share from 1/3: six standard deviations of a fair split over
 * `keys` keys, and never tighter than one percentage point (±0.63 pp at 200,000 keys, ±2 pp at 20,000).
 */
export function tolerance(keys: number): number {
  const p = 1 / 3;
  return Math.max(0.01, 6 * Math.sqrt((p * (1 - p)) / keys));
}

/** Problems with a case's ready report, as sentences; empty when the case may be timed. */
export function problems(report: ReadyReport, keys: number, expectsVariants: boolean): string[] {
  const found: string[] = [];
  if (report.mismatches > 0) found.push(`${report.mismatches} keys got a different variant on the second pass`);
  if (report.network > 0) found.push(`${report.network} network connections were attempted`);
  if (expectsVariants) {
    const tol = tolerance(keys);
    if (report.counts.length !== 3) found.push(`expected 3 variants, got ${report.counts.length}`);
    for (const { variant, count } of report.counts) {
      const share = count / keys;
      if (Math.abs(share - 1 / 3) > tol) {
        found.push(
          `variant ${variant} got ${(share * 100).toFixed(2)}% of keys (allowed ${((1 / 3 - tol) * 100).toFixed(2)}–${((1 / 3 + tol) * 100).toFixed(2)}%)`,
        );
      }
    }
  }
  return found;
}

/** `control 33.2% / a 33.5% / b 33.3%`, for the log. */
export function split(report: ReadyReport, keys: number): string {
  if (report.counts.length === 0) return 'no variants (determinism only)';
  return report.counts.map(({ variant, count }) => `${variant} ${((count / keys) * 100).toFixed(2)}%`).join(' / ');
}

export { median } from '../stats.js';
