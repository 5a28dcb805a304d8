// The planned sample of a set and the days left to reach it at today's traffic, from the report's planning figures.
import type { SetReport } from '../analysis/index.js';

/** Where a set stands against its planned sample. */
export interface Schedule {
  /** Users the set needs in all (its arms together), or null when no plan can be made yet. */
  readonly plannedUsers: number | null;
  /** Where the plan comes from: `plannedUsers` given, or derived from `minimumEffect`. */
  readonly basis: 'planned-users' | 'minimum-effect' | null;
  readonly users: number;
  /** Persons first exposed in the last 24 hours. */
  readonly usersPerDay: number;
  /** Days to the plan at that pace (0 when reached); null without a plan or without traffic. */
  readonly daysLeft: number | null;
}

/**
 * The set's planned sample: `plannedUsers` when the report was given one; else, with a
 * `minimumEffect`, the users each arm needs for the sequential test to detect it
 * (`planning.sequentialRequiredUsers`), divided by the arm's expected share, the largest of them.
 */
export function plannedUsersOf(report: SetReport): { users: number; basis: 'planned-users' | 'minimum-effect' } | null {
  if (report.options.plannedUsers !== null) return { users: report.options.plannedUsers, basis: 'planned-users' };
  const share = new Map(report.arms.map((a) => [a.variant, a.expectedShare]));
  let needed = 0;
  for (const c of report.comparisons) {
    const required = c.planning.sequentialRequiredUsers;
    if (required === null) continue;
    const controlShare = share.get(c.control) ?? 0;
    const variantShare = share.get(c.variant) ?? 0;
    if (controlShare > 0) needed = Math.max(needed, required.control / controlShare);
    if (variantShare > 0) needed = Math.max(needed, required.variant / variantShare);
  }
  return needed > 0 ? { users: Math.ceil(needed), basis: 'minimum-effect' } : null;
}

/** The schedule of a set: its plan, its users, today's pace, and the days left at that pace (rounded up). */
export function scheduleOf(report: SetReport, usersPerDay: number): Schedule {
  const plan = plannedUsersOf(report);
  const users = report.totalUsers;
  const left = plan === null ? null : Math.max(0, plan.users - users);
  const daysLeft = left === null ? null : left === 0 ? 0 : usersPerDay > 0 ? Math.ceil(left / usersPerDay) : null;
  return { plannedUsers: plan?.users ?? null, basis: plan?.basis ?? null, users, usersPerDay, daysLeft };
}
