// The exposure log: takes exposure events on the request path, deduplicates first exposures, writes rows in batches through a sink.
import { invalidKeyError, keyProblem } from '../engine/key-rule.js';
import { checkKnownOptions, functionOption, invalidOption as invalid, numberOption, optionsObject } from '../engine/option-checks.js';
import { callSafely } from '../engine/thenable.js';
import { BatchWriter, type BatchWriterStats, type WriteFailure } from '../bounded/batch-writer.js';
import type { WriterTuning } from '../bounded/batch-writer-options.js';
import { exposureRow, runIdOf, type ExposureInput, type ExposureRow, type ExposureSink } from './exposure-rows.js';
import { ExposureMemo } from './exposure-memo.js';

/** Runs `fn` once the current event-loop turn's callbacks are done (a timer where there is no setImmediate). */
const nextTurn: (fn: () => void) => unknown = typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);
/** Events waiting for the end of the turn at most: past it, they are handled at once. */
const PENDING_MAX = 1024;
/** The dedupe memo's bound in bytes, whatever `memoSize` says: keys are counted at two bytes a character. */
const MEMO_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Options of {@link exposureLog}. Its writes' defaults: `writeTimeoutMs` 10,000, `maxBatch` 500,
 * `flushIntervalMs` 1,000, `maxQueue` 100,000, `retryMs` 100, `maxRetryMs` 30,000.
 */
export interface ExposureLogOptions extends WriterTuning {
  /** Where the rows go: `{ write(rows) }`, idempotent (see {@link ExposureSink}). */
  sink: ExposureSink;
  /** Write a `first` row per user, set and variant (default true). */
  firstExposures?: boolean;
  /** Also write a `view` row for every exposure event, one per run id (default false). */
  pageViews?: boolean;
  /**
   * How many (key, set, variant) triples the log remembers to skip repeat first exposures before
   * they are queued (default 20,000; it holds up to twice that, the busiest first, and never more
   * than 16 MiB of keys, however long they are). A triple it has forgotten is queued again, and
   * the sink's unique key drops the repeat.
   */
  memoSize?: number;
  /**
   * Told of every failed write (`info.refused` false: retried), of every row the sink refused for
   * its data (`refused` true, code `ERR_TRACKS_ROW_REFUSED`, the row in `info.item`: dropped), and
   * of every exposure whose key the key rule refuses (`refused` true, code `ERR_TRACKS_INVALID_KEY`:
   * never queued). Default: console.error.
   */
  onError?: (error: unknown, info: WriteFailure<ExposureRow | ExposureInput>) => void | Promise<void>;
  /** Told of dropped rows, summed, at most once a second and at `close` (default: console.error). */
  onDrop?: (count: number, stats: BatchWriterStats) => void | Promise<void>;
}

/** Counters of an exposure log. `queued`, `written` and `dropped` count rows; the rest count events. */
export interface ExposureLogStats extends BatchWriterStats {
  /** Exposure events the log was given. */
  readonly received: number;
  /**
   * Rows the sink refused for their data (dropped, each told to `onError`), plus events never
   * queued because the key rule refuses their key (a NUL, an unpaired surrogate, too long).
   */
  readonly refused: number;
  /** First exposures not queued because the log had already queued that (key, set, variant). */
  readonly deduplicated: number;
}

/**
 * An exposure log: a function to pass as the middleware's `onExposure` (it only enqueues: no I/O,
 * no promise, never throws), with the log's counters and its shutdown calls.
 */
export interface ExposureLog {
  /**
   * Records one exposure: appends the event (held, not copied, until the end of the event-loop
   * turn, so do not change it after the call); the key rule, the dedupe and the rows are done
   * then, batch-side.
   */
  (event: ExposureInput): void;
  /** Counters: received, deduplicated, queued, written, dropped, failures, retries. */
  readonly stats: ExposureLogStats;
  /**
   * Resolves true once every row queued before the call is written. While the sink fails it waits
   * for the retries; with `timeoutMs` it resolves false when that runs out first.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /**
   * Stops taking exposures (later ones are dropped and counted) and writes what is queued. What is
   * still unwritten after `timeoutMs` (default 10,000) is dropped and reported, so a dead sink never
   * hangs a shutdown. Resolves with the final counters.
   */
  close(timeoutMs?: number): Promise<ExposureLogStats>;
}

const OPTION_NAMES: { [K in keyof Required<ExposureLogOptions>]: true } = {
  sink: true,
  firstExposures: true,
  pageViews: true,
  memoSize: true,
  maxBatch: true,
  writeTimeoutMs: true,
  flushIntervalMs: true,
  maxQueue: true,
  retryMs: true,
  maxRetryMs: true,
  onError: true,
  onDrop: true,
};
const NUMBERS = ['memoSize', 'maxBatch', 'writeTimeoutMs', 'flushIntervalMs', 'maxQueue', 'retryMs', 'maxRetryMs'] as const;

function checkOptions(o: ExposureLogOptions): void {
  optionsObject('options', o, 'expected { sink, … }');
  checkKnownOptions('', o, OPTION_NAMES);
  if (typeof o.sink?.write !== 'function') throw invalid('sink', o.sink, 'expected { write(rows) }');
  for (const name of ['firstExposures', 'pageViews'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') throw invalid(name, o[name], 'expected true or false');
  }
  if (o.firstExposures === false && o.pageViews !== true) throw invalid('firstExposures', false, 'with pageViews off the log would write nothing');
  for (const name of NUMBERS) numberOption(name, o[name], 1);
  for (const name of ['onError', 'onDrop'] as const) functionOption(name, o[name]);
}

function defaultOnError(error: unknown, info: WriteFailure<ExposureRow | ExposureInput>): void {
  if (info.refused) return console.error('tracks-ab: exposure log: a row was dropped:', error);
  console.error(
    `tracks-ab: exposure log: ${info.items} rows could not be written (failure ${info.attempt}); retrying in ${info.retryInMs} ms:`,
    error,
  );
}

function defaultOnDrop(count: number, stats: BatchWriterStats): void {
  console.error(
    `tracks-ab: exposure log: ${count} rows dropped (${stats.dropped} in all): the queue was full or the log closed before they were written`,
  );
}

/**
 * Creates an exposure log. Pass it as `onExposure`; call `close()` on shutdown.
 *
 * First exposures are deduplicated twice: in process, a bounded memo of (key, set, variant) skips a
 * busy user's repeats before they are queued; in the sink, a unique key on the triple makes every
 * write idempotent, so a retried batch, a forgotten triple or another server's row adds nothing.
 * A keyless (`random`) exposure has no user to deduplicate by: each is written once, by run id.
 * On the request path the log only appends the event; the key rule, the dedupe and the rows are
 * done at the end of the event-loop turn, for the turn's events together (so `stats` and `flush`
 * see them at once).
 *
 * @example
 * const log = exposureLog({ sink: exposureSink(pool) });
 * app.use(tracks([DelayTracks], { onExposure: log }));
 * process.once('SIGTERM', () => server.close(() => void log.close()));
 */
export function exposureLog(options: ExposureLogOptions): ExposureLog {
  checkOptions(options);
  const { sink } = options;
  const first = options.firstExposures ?? true;
  const views = options.pageViews ?? false;
  const memo = new ExposureMemo(Math.floor(options.memoSize ?? 20_000), MEMO_MAX_BYTES);
  const onError = options.onError ?? defaultOnError;
  const writer = new BatchWriter<ExposureRow>({
    write: (rows) => sink.write(rows),
    isDataError: sink.isDataError?.bind(sink),
    writeTimeoutMs: options.writeTimeoutMs,
    maxBatch: options.maxBatch,
    flushIntervalMs: options.flushIntervalMs,
    maxQueue: options.maxQueue,
    retryMs: options.retryMs,
    maxRetryMs: options.maxRetryMs,
    onError,
    onDrop: options.onDrop ?? defaultOnDrop,
  });
  let received = 0;
  let deduplicated = 0;
  let invalid = 0;
  // The request path only appends the event it was handed; the rest happens at the end of the
  // event-loop turn (or when PENDING_MAX are waiting), batch-side: one clock read for the turn's
  // events, the key rule, the dedupe, the rows.
  let pending: ExposureInput[] = [];
  let turnAt = '';
  let scheduled = false;

  const take = (event: ExposureInput, at: string): void => {
    const key = event.key;
    // The key rule, as at every source: a key no database holds as itself never reaches the queue.
    const problem = key === null ? null : keyProblem(key);
    if (problem !== null) {
      invalid++;
      callSafely(() => onError(invalidKeyError(key, problem), { refused: true, attempt: 0, items: 1, retryInMs: 0, item: event }));
      return;
    }
    let fresh = false;
    if (first && key !== null) {
      if (memo.has(key, event.setName, event.variant)) {
        deduplicated++;
        if (!views) return; // a busy user's repeat
      } else fresh = true;
    }
    const runId = runIdOf(event);
    // Remembered only once queued: a row dropped by a full queue is tried again next time.
    if (fresh && writer.enqueue(exposureRow(event, 'first', runId, at))) memo.add(key!, event.setName, event.variant);
    else if (first && key === null) writer.enqueue(exposureRow(event, 'first', runId, at));
    if (views) writer.enqueue(exposureRow(event, 'view', runId, at));
  };

  const drain = (): void => {
    scheduled = false;
    const events = pending;
    if (events.length === 0) return;
    pending = [];
    const at = turnAt;
    for (let i = 0; i < events.length; i++) {
      try {
        take(events[i]!, at);
      } catch {
        invalid++; // not an exposure (a field missing or throwing): nothing to write
      }
    }
  };

  const record = (event: ExposureInput): void => {
    received++;
    if (!scheduled) {
      // The first exposure of a turn: its time stands for the turn's (one clock read a turn).
      scheduled = true;
      turnAt = new Date().toISOString();
      nextTurn(drain);
    }
    if (pending.push(event) >= PENDING_MAX) drain();
  };

  const stats = (): ExposureLogStats => {
    drain();
    const counts = writer.stats;
    return { ...counts, refused: counts.refused + invalid, received, deduplicated };
  };
  return Object.defineProperties(record, {
    stats: { get: stats, enumerable: true },
    flush: {
      value: (timeoutMs?: number) => {
        drain();
        return writer.flush(timeoutMs);
      },
    },
    close: {
      value: async (timeoutMs?: number): Promise<ExposureLogStats> => {
        drain();
        await writer.close(timeoutMs);
        return stats();
      },
    },
  }) as ExposureLog;
}
