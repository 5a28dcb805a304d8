// Health lines of a set: the split against the weights (sample ratio), persons seen in two variants, and the power and schedule.
import { formatCount, formatPoints, formatPValue, type SampleRatio, type SetReport } from '../analysis/index.js';
import { escapeHtml } from './escape.js';
import type { Schedule } from './schedule.js';

/** The sentence a sample-ratio mismatch warning leads with. */
export const SRM_WARNING = 'The split of users is not what was configured, so these numbers can’t be trusted until the cause is found.';

/** Above this share of persons in two variants, the health line warns (docs/analysis.md). */
export const MIXED_WARNING_SHARE = 0.01;

/** The split check in one line: observed against expected per cell, the p-value, and what it means. */
export function splitLine(label: string, cells: readonly string[], check: SampleRatio): string {
  const seen = check.observed
    .map((users, i) => `${cells[i] ?? '?'} ${formatCount(users)} (expected ${formatCount(check.expected[i] ?? 0)})`)
    .join(' · ');
  const state = check.flagged ? '<strong class="worse">mismatch</strong>' : check.checked ? 'as configured ✓' : 'too few users to check yet';
  return `<p class="muted" data-check="split" data-flagged="${check.flagged}">${escapeHtml(label)}: ${escapeHtml(seen)} — ${escapeHtml(formatPValue(check.pValue))}, ${state}</p>`;
}

/** Persons exposed to more than one variant: counted once (first exposure), excluded from metrics; a warning above 1 %. */
export function mixedLine(mixed: number, users: number): string {
  const share = users > 0 ? mixed / users : 0;
  const words = `Persons seen in more than one variant: ${formatCount(mixed)} of ${formatCount(users)} (${(share * 100).toFixed(1)} %)`;
  if (share > MIXED_WARNING_SHARE) {
    return `<div class="warning" data-check="mixed" data-flagged="true"><p><strong>Check the keys:</strong> ${escapeHtml(words)}. Above 1 % usually means the key changes between requests (log-in without aliases, cookies cleared).</p></div>`;
  }
  return `<p class="muted" data-check="mixed" data-flagged="false">${escapeHtml(words)} ✓</p>`;
}

/** What the users so far can detect (sequential test), and the users per arm the minimum effect needs. */
export function powerLine(report: SetReport): string {
  const plans = report.comparisons.map((c) => c.planning.sequentialMinimumDetectableEffect).filter((d): d is number => d !== null);
  if (plans.length === 0) return '';
  const widest = Math.max(...plans);
  const needed = report.comparisons.map((c) => c.planning.sequentialRequiredUsers?.variant).filter((u): u is number => u !== undefined);
  const more =
    needed.length > 0 && report.options.minimumEffect !== null
      ? ` To detect ${formatPoints(report.options.minimumEffect).replace('+', '')} points: about ${formatCount(Math.max(...needed))} users per arm.`
      : '';
  return `<p class="muted">Power: with these users, a difference of about ${escapeHtml(formatPoints(widest).replace('+', '±'))} points would be detected (80 % of the time, sequential test).${escapeHtml(more)}</p>`;
}

/** The days left to the planned sample at today's traffic, or why there is no such figure. */
export function scheduleLine(schedule: Schedule): string {
  const pace = `${formatCount(schedule.usersPerDay)} new users in the last 24 hours`;
  if (schedule.plannedUsers === null) {
    return `<p class="muted" data-schedule="none">Planned sample: none yet (give the set a minimumEffect or plannedUsers in reportOptions). Traffic: ${escapeHtml(pace)}.</p>`;
  }
  const basis = schedule.basis === 'planned-users' ? 'as planned' : 'to detect the minimum effect';
  const progress = `${formatCount(schedule.users)} of ${formatCount(schedule.plannedUsers)} users ${basis}`;
  const left =
    schedule.daysLeft === 0
      ? 'the planned sample is reached'
      : schedule.daysLeft === null
        ? 'no traffic in the last 24 hours, so no date'
        : `about ${formatCount(schedule.daysLeft)} day${schedule.daysLeft === 1 ? '' : 's'} left at today’s traffic (${pace})`;
  return `<p data-schedule="${schedule.daysLeft ?? 'unknown'}"><strong>Schedule:</strong> ${escapeHtml(progress)}; ${escapeHtml(left)}.</p>`;
}
