// Hooks answer synchronously: telling a thenable from a value, and keeping its rejection handled.
import { TracksError } from './errors.js';

/**
 * True when `value` is a promise or another thenable (an object or function with a `then`
 * method). A `then` getter that throws counts as a thenable: it is not a plain value either.
 */
export function isThenable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return true;
  }
}

function ignore(): void {}

/**
 * Attaches a rejection handler to a thenable, so that it never becomes an unhandled rejection;
 * a `then` that throws is caught too. `onRejected` (default: nothing) receives the reason.
 */
export function settleQuietly(thenable: unknown, onRejected: (reason: unknown) => void = ignore): void {
  try {
    (thenable as PromiseLike<unknown>).then(undefined, (reason: unknown) => {
      try {
        onRejected(reason);
      } catch {
        // A handler that throws here would itself become an unhandled rejection.
      }
    });
  } catch (error) {
    try {
      onRejected(error);
    } catch {
      // Same: nothing may escape.
    }
  }
}

/**
 * Calls a user hook whose answer nobody waits for (`onExposure`, `onError`, a writer's `onDrop`):
 * a throw, a rejected promise, or a thenable whose `then` throws goes to `onFailure`, never out of
 * here. Without `onFailure` (the hook is itself the last place to report to) failures end here.
 * The one helper for fire-and-forget hooks: report, never let one escape.
 */
export function callSafely(hook: () => unknown, onFailure: (error: unknown) => void = ignore): void {
  let pending: unknown;
  try {
    pending = hook();
  } catch (error) {
    try {
      onFailure(error);
    } catch {
      // A failure handler that throws has nowhere left to report to.
    }
    return;
  }
  if (isThenable(pending)) settleQuietly(pending, onFailure);
}

/** What `onError` receives when a hook returned a thenable: code `ERR_TRACKS_ASYNC_HOOK`, and where. */
export class AsyncHookError extends TracksError {
  /** The hook that returned a thenable: `key`, `context`, `isEligible`, `override.allow`, `bots`. */
  readonly where: string;
  /** The set whose hook it was (for `isEligible`), else null. */
  readonly setName: string | null;

  constructor(where: string, setName: string | null = null) {
    super(
      'ERR_TRACKS_ASYNC_HOOK',
      `${where}${setName ? ` of set "${setName}"` : ''} returned a promise where a value was expected: hooks must answer synchronously (load what they need in an earlier middleware); it was handled as failing`,
    );
    this.name = 'AsyncHookError';
    this.where = where;
    this.setName = setName;
  }
}

/**
 * Returns a hook's answer, or throws `AsyncHookError` when it is a thenable (after making sure
 * its rejection, if any, is handled). Call it inside the `try` that handles the hook throwing.
 */
export function syncAnswer<T>(value: T, where: string, setName: string | null = null): T {
  if (!isThenable(value)) return value;
  settleQuietly(value);
  throw new AsyncHookError(where, setName);
}
