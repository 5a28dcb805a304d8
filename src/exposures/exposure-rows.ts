// The plain rows an exposure log writes, the sink contract they are written through, and the event-to-row step.
import type { Reason } from '../engine/track-set.js';

/**
 * What the log needs from an exposure: the event the middleware hands to `onExposure` fits, and so
 * does any object with these fields (an exposure recorded outside a request, after `assign`).
 */
export interface ExposureInput {
  /** The set's name. */
  setName: string;
  /** The variant's name. */
  variant: string;
  /** The serialised key the user was assigned by (their id, or the anonymous id); null without a key. */
  key: string | null;
  /** The assignment's run id; null for one without (the log then makes one). */
  runId: string | null;
  /** Why the user got the variant. */
  reason: Reason;
  /** True when the user had no remembered assignment for this set before this request. */
  firstExposure: boolean;
  /** The MultiTrackSet the set was chosen through, if any. */
  multiSetName: string | null;
}

/**
 * One row for a sink: plain data that `JSON.stringify` writes whole (no request, no assignment).
 *
 * - `kind: 'first'`: a user's first exposure to a variant of a set. The log writes at most one per
 *   (key, set, variant) while it remembers the triple; a sink keeps one per triple for good (a
 *   unique key on them), so repeats from another process, or from a retried batch, change nothing.
 * - `kind: 'view'`: one exposure event (every first `get` of a set in a request), only with the
 *   log's `pageViews` option; a sink keeps one per `runId`, which is unique to the event.
 */
export interface ExposureRow {
  readonly kind: 'first' | 'view';
  /** The set's name (`feature_flag.key` in OpenTelemetry terms). */
  readonly setName: string;
  /** The variant's name. */
  readonly variant: string;
  /** The serialised key: the user's id or the anonymous visitor's id; null for a keyless (`random`) exposure. */
  readonly key: string | null;
  /** The assignment's run id: unique to this exposure, for joining later events with it. */
  readonly runId: string;
  /** Why the user got the variant: `hash`, `random` or `sticky` for exposures. */
  readonly reason: Reason;
  /** True when the user had no remembered assignment for the set before this request. */
  readonly firstExposure: boolean;
  /** The MultiTrackSet the set was chosen through, if any. */
  readonly multiSetName: string | null;
  /** When the exposure happened: an ISO 8601 time in UTC, to the millisecond. */
  readonly at: string;
}

/**
 * Where an exposure log writes its batches: a database table, a file, a queue, a warehouse.
 * `write` resolves once the rows are stored and rejects (or throws) when they are not; the log then
 * writes the same batch again later, possibly with more rows after it. So `write` must be
 * idempotent: keep one row per (key, setName, variant) for `first` rows and one per `runId` for
 * `view` rows (`insert … on conflict do nothing`, a MERGE, a keyed upsert, or dedup on load).
 *
 * @example
 * const sink: ExposureSink = { write: (rows) => queue.sendBatch(rows.map((row) => JSON.stringify(row))) };
 */
export interface ExposureSink {
  /** Stores the rows; the array is the log's copy, the sink's to keep or change. */
  write(rows: readonly ExposureRow[]): Promise<void> | void;
  /**
   * True when `write` failed because of the data of a row (no retry of that batch can succeed):
   * the log then splits the batch until the row is alone, drops it (`refused`) and writes the rest.
   * Any other failure is an outage, retried whole. Default: a PostgreSQL SQLSTATE of class 22 or
   * 23, or 54000 (`isDataError` of tracks-ab).
   */
  isDataError?(error: unknown): boolean;
}

/** The run id of an exposure, or a fresh one (Web Crypto's randomUUID, as the engine's) for an input without one. */
export function runIdOf(event: ExposureInput): string {
  return event.runId ?? globalThis.crypto.randomUUID();
}

/** The row of one exposure, of the given kind, with its run id and time (ISO 8601). */
export function exposureRow(event: ExposureInput, kind: ExposureRow['kind'], runId: string, at: string): ExposureRow {
  return {
    kind,
    setName: event.setName,
    variant: event.variant,
    key: event.key,
    runId,
    reason: event.reason,
    firstExposure: event.firstExposure,
    multiSetName: event.multiSetName,
    at,
  };
}
