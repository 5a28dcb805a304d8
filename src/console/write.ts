// A button press turned into a control change: checked, written with who and why (the trigger records it), then refreshed here.
import { TracksError } from '../engine/errors.js';
import { changeControl, type ControlChange } from '../postgres/controls-write.js';
import type { ConsoleConfig } from './options.js';

/** The actions the console's buttons post. */
export const ACTIONS = ['disable', 'enable', 'pin', 'unpin', 'coverage', 'reset'] as const;

/** One of {@link ACTIONS}. */
export type ConsoleAction = (typeof ACTIONS)[number];

/** A press the console refuses before it reaches the database (a person's mistake): status 400. */
export class PressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PressError';
  }
}

/** The change an action makes, from the form's fields; a `PressError` for a missing or malformed field. */
export function changeOf(action: string | undefined, fields: ReadonlyMap<string, string>): ControlChange {
  switch (action) {
    case 'disable':
      return { disabled: true };
    case 'enable':
      return { disabled: false };
    case 'pin': {
      const variant = fields.get('variant');
      if (!variant) throw new PressError('pick the variant to pin');
      return { pinned: variant };
    }
    case 'unpin':
      return { pinned: null };
    case 'coverage': {
      const text = (fields.get('coverage') ?? '').trim();
      const percent = Number(text);
      if (text === '' || !Number.isFinite(percent) || percent < 0 || percent > 100)
        throw new PressError(`coverage must be a percentage from 0 to 100, not "${text}"`);
      return { coverage: percent / 100 };
    }
    case 'reset':
      return { disabled: null, pinned: null, coverage: null };
    default:
      throw new PressError(`unknown action "${action ?? ''}" (known: ${ACTIONS.join(', ')})`);
  }
}

/** A short, single-line text from a form field, or null when empty. */
export function fieldText(fields: ReadonlyMap<string, string>, name: string, max: number): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const text = (fields.get(name) ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return text === '' ? null : text.slice(0, max);
}

/**
 * Applies a press: `changeControl` (checked whole against the catalogue, refused with a
 * `TracksError`), recorded by the `tracks_control_changes` trigger with `by` and `note`, then the
 * app's controls source refreshed so this process serves the change on its next request (other
 * processes follow by LISTEN/NOTIFY or polling). A failing refresh is reported, not thrown: the
 * write is done.
 */
export async function press(config: ConsoleConfig, setName: string, change: ControlChange, by: string, note: string | null): Promise<void> {
  if (setName === '') throw new PressError('which set? the form names none');
  await changeControl(config.db, setName, change, { schema: config.schema, by, note });
  if (config.controls !== null) {
    try {
      await config.controls.refresh();
    } catch (error) {
      config.onError(error);
    }
  }
}

/** Whether an error is a refusal a person can act on (a TracksError or PressError), not a failure. */
export function isRefusal(error: unknown): error is Error {
  return error instanceof PressError || error instanceof TracksError;
}
