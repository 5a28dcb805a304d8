// A set's status in words, from what is in force: running, paused variants, disabled, concluded (pinned), coverage, not published.
import type { ControlListing } from '../postgres/controls-write.js';

/** What a status badge says, in a word a program can switch on. */
export type StatusKind = 'running' | 'disabled' | 'concluded' | 'not-published';

/** A set's status on the console. */
export interface SetStatus {
  readonly kind: StatusKind;
  /** The badge's words: `running`, `disabled`, `concluded: long for everyone`, `running, coverage 20 %`. */
  readonly words: string;
  readonly disabled: boolean;
  readonly pinned: string | null;
  readonly coverage: number;
  /** Variants taking no new users (their enrolled users keep them). */
  readonly paused: readonly string[];
  /** Whether a run-time control (not the code) makes it so. */
  readonly controlled: boolean;
  /** Who last changed the control and when, or null. */
  readonly changed: { readonly by: string | null; readonly at: Date; readonly note: string | null } | null;
}

/** The variants a control pauses, when the controls carry them (a `paused` list of variant names). */
function pausedOf(control: object | undefined): string[] {
  const paused = (control as { paused?: unknown } | undefined)?.paused;
  return Array.isArray(paused) ? paused.filter((v): v is string => typeof v === 'string') : [];
}

function percent(coverage: number): string {
  return `${Math.round(coverage * 1000) / 10} %`;
}

/**
 * The status of a set: from the catalogue and its control (`listControls`) when the set is
 * published, else from the code's statics (`statics`), marked not published (the buttons need
 * `publishSets`). Precedence as the middleware applies it: disabled, then pinned.
 */
export function statusOf(
  listing: ControlListing | null,
  statics: { readonly disabled: boolean; readonly pinned: string | null; readonly coverage: number },
): SetStatus {
  const inForce = listing?.inForce ?? null;
  const record = listing?.record ?? null;
  const state = inForce ?? statics;
  const paused = pausedOf(record?.control);
  const controlled = record !== null && Object.keys(record.control).length > 0;
  const changed = record === null ? null : { by: record.updatedBy, at: record.updatedAt, note: record.note };
  const base = { disabled: state.disabled, pinned: state.pinned, coverage: state.coverage, paused, controlled, changed };
  if (inForce === null) return { ...base, kind: 'not-published', words: 'not published (the app has not called publishSets)' };
  if (state.disabled) return { ...base, kind: 'disabled', words: 'disabled: everyone gets control' };
  if (state.pinned !== null) return { ...base, kind: 'concluded', words: `concluded: ${state.pinned} for everyone` };
  const parts = ['running'];
  if (state.coverage < 1) parts.push(`coverage ${percent(state.coverage)}`);
  if (paused.length > 0) parts.push(`paused: ${paused.join(', ')}`);
  return { ...base, kind: 'running', words: parts.join(', ') };
}
