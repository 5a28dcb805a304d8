// The error class for configuration mistakes, with a stable code per kind of mistake.

/** Stable codes of the errors tracks-ab throws. */
export type TracksErrorCode =
  | 'ERR_TRACKS_INVALID_SET'
  | 'ERR_TRACKS_INVALID_OPTION'
  | 'ERR_TRACKS_INVALID_KEY'
  | 'ERR_TRACKS_UNKNOWN_SET'
  /** A run-time control names a variant the set does not have, or is malformed: it is refused whole. */
  | 'ERR_TRACKS_INVALID_CONTROL'
  /** A metric declaration is malformed (its name and the field are in the message). */
  | 'ERR_TRACKS_INVALID_METRIC'
  /** NODE_ENV is production, no `cookie.secret` is set, and the app did not opt out of signing. */
  | 'ERR_TRACKS_NO_SECRET'
  /** A QA override names a set or a variant the app does not have: reported to onError, the rest applied. */
  | 'ERR_TRACKS_UNKNOWN_OVERRIDE'
  /** A hook returned a promise where a value was expected (reported to onError, never thrown into a request). */
  | 'ERR_TRACKS_ASYNC_HOOK';

/**
 * Thrown at configuration time (or for programmer errors such as reading an unregistered set).
 * Per-request problems never throw: they fall back to control and go to `onError`.
 */
export class TracksError extends Error {
  readonly code: TracksErrorCode;
  constructor(code: TracksErrorCode, message: string) {
    super(message);
    this.name = 'TracksError';
    this.code = code;
  }
}

/** An error about one set's definition: `track set "pricing": option weight is invalid: -1`. */
export function setError(setName: string, message: string): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_SET', `track set "${setName}": ${message}`);
}

/** Renders a value for an error message without throwing on cycles or symbols. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
