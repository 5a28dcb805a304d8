// The exposure log: takes exposure events on the request path, deduplicates first exposures, writes rows in batches through a sink.
import { invalidKeyError, keyProblem } from '../engine/key-rule.js';
import { checkKnownOptions, functionOption, invalidOption as invalid, numberOption, optionsObject } from '../engine/option-checks.js';
import { callSafely } from '../engine/thenable.js';
import { BatchWriter, type BatchWriterStats, type WriteFailure } from '../bounded/batch-writer.js';
import { exposureRow, runIdOf, type ExposureInput, type ExposureRow, type ExposureSink } from './exposure-rows.js';
import { BoundedMemo } from '../bounded/memo.js';

/** Options of {@link exposureLog}. */
export interface ExposureLogOptions {
  /** Where the rows go: `{ write(rows) }`, idempotent (see {@link ExposureSink}). */
  sink: ExposureSink;
  /** Write a `first` row per user, set and variant (default true). */
  firstExposures?: boolean;
  /** Also write a `view` row for every exposure event, one per run id (default false). */
  pageViews?: boolean;
  /**
   * How many (key, set, variant) triples the log remembers to skip repeat first exposures before
   * they are queued (default 20,000; it holds up to twice that, the busiest first). A triple it has
   * forgotten is queued again, and the sink's unique key drops the repeat.
   */
  memoSize?: number;
  /**
   * Longest one sink write may take, in ms (default 10,000). A write that has not settled by then
   * counts as failed and is retried (the sink is idempotent), so a hung write never stops the log.
   */
  writeTimeoutMs?: number;
  /** Rows per batch (default 500). A full batch is written at once. */
  maxBatch?: number;
  /** A partial batch waits at most this long, in ms (default 1,000). */
  flushIntervalMs?: number;
  /** Rows held at most, in flight included (default 100,000); past it, rows are dropped, counted and reported. */
  maxQueue?: number;
  /** First retry delay after a failed write, in ms (default 100), doubled on each failure up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest retry delay, in ms (default 30,000). A failing batch is retried as long as the log is open. */
  maxRetryMs?: number;
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
  /** Records one exposure: converts it to rows and queues them. */
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
  const memo = new BoundedMemo<true>(Math.floor(options.memoSize ?? 20_000));
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
  // Exposures arrive many to the millisecond: one ISO string per millisecond, not one per event.
  let lastMs = -1;
  let lastIso = '';
  const isoNow = (): string => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  };

  const record = (event: ExposureInput): void => {
    received++;
    // The key rule, as at every source: a key no database holds as itself never reaches the queue.
    const problem = event.key === null ? null : keyProblem(event.key);
    if (problem !== null) {
      invalid++;
      callSafely(() => onError(invalidKeyError(event.key, problem), { refused: true, attempt: 0, items: 1, retryInMs: 0, item: event }));
      return;
    }
    let triple: string | null = null;
    if (first && event.key !== null) {
      // Length-prefixed, so no set, variant or key can make two triples read the same.
      triple = `${event.setName.length}:${event.setName}${event.variant.length}:${event.variant}${event.key}`;
      if (memo.get(triple) !== undefined) {
        deduplicated++;
        if (!views) return; // a busy user's repeat: nothing more to do on the request path
        triple = null;
      }
    }
    const runId = runIdOf(event);
    const at = isoNow();
    if (first && (triple !== null || event.key === null)) {
      // Remembered only once queued: a row dropped by a full queue is tried again next time.
      if (writer.enqueue(exposureRow(event, 'first', runId, at)) && triple !== null) memo.set(triple, true);
    }
    if (views) writer.enqueue(exposureRow(event, 'view', runId, at));
  };

  const stats = (): ExposureLogStats => {
    const counts = writer.stats;
    return { ...counts, refused: counts.refused + invalid, received, deduplicated };
  };
  return Object.defineProperties(record, {
    stats: { get: stats, enumerable: true },
    flush: { value: (timeoutMs?: number) => writer.flush(timeoutMs) },
    close: {
      value: async (timeoutMs?: number): Promise<ExposureLogStats> => {
        await writer.close(timeoutMs);
        return stats();
      },
    },
  }) as ExposureLog;
}
