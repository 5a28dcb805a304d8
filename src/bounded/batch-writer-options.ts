// The batch writer's options, counters and defaults: what a background writer is told and what it reports.
import { numberOption } from '../engine/option-checks.js';

/**
 * How a background writer batches, times out and retries: the options the batch writer, the
 * exposure log and the store client share. Each states its own defaults.
 */
export interface WriterTuning {
  /** Longest one write may take, in ms; past it the write counts as failed (an outage) and is retried (the sink is idempotent). */
  writeTimeoutMs?: number;
  /** Items per write; a full batch is written at once. */
  maxBatch?: number;
  /** Longest a partial batch waits before it is written, in ms. */
  flushIntervalMs?: number;
  /** Items held at most, in flight included; past it, new items are dropped, counted and reported. */
  maxQueue?: number;
  /** First retry delay after a failed write, in ms, doubled on each failure up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest retry delay, in ms; a failing batch is retried as long as the writer is open. */
  maxRetryMs?: number;
}

/**
 * What a batch writer needs: a sink, and how it batches, retries, splits and reports. Defaults:
 * `writeTimeoutMs` 10,000, `maxBatch` 500, `flushIntervalMs` 1,000, `maxQueue` 100,000, `retryMs`
 * 100, `maxRetryMs` 30,000.
 */
export interface BatchWriterOptions<T> extends WriterTuning {
  /**
   * Writes one batch. It must be idempotent: a batch whose write failed (or timed out) is written
   * again, whole, split, or with more items after it, so the sink may see an item twice. The
   * array is the writer's copy, the sink's to keep or empty.
   */
  write: (batch: T[]) => Promise<void> | void;
  /**
   * True when `write` failed because of the data of one (or some) of the items, so that no retry
   * of the same batch can succeed: the batch is then split in halves until the refused item is
   * alone, that item is dropped (counted as `refused`, told to `onError`) and the rest are written.
   * Any other failure (an outage: a lost connection, a timeout) is retried whole after a back-off.
   * Default: {@link isDataError}, PostgreSQL's SQLSTATE classes 22 and 23 and code 54000.
   */
  isDataError?: (error: unknown) => boolean;
  /** Told of every failed write (retried) and of every item the sink refused (dropped): the error and what happened. */
  onError?: (error: unknown, info: WriteFailure<T>) => void | Promise<void>;
  /** Told when items are dropped because the queue is full, or left unwritten at `close`. */
  onDrop?: (count: number, stats: BatchWriterStats) => void | Promise<void>;
}

/** What `onError` receives besides the error. */
export interface WriteFailure<T = unknown> {
  /**
   * False: a write failed as a whole (an outage, a timeout) and is retried after `retryInMs`.
   * True: the sink refused one item for its data (`isDataError`); that item is dropped, never retried.
   */
  refused: boolean;
  /** Consecutive failed writes so far, this one included (0 for a refused item). */
  attempt: number;
  /** Items in the write that failed (1 for a refused item). */
  items: number;
  /** Milliseconds until the next try (0 for a refused item). */
  retryInMs: number;
  /** The refused item, when `refused`. */
  item?: T;
}

/** Counters of a batch writer, for health checks and the drop report. */
export interface BatchWriterStats {
  /** Items waiting or in flight. */
  readonly queued: number;
  /** Items the sink accepted. */
  readonly written: number;
  /** Items dropped: the queue was full, or they were still unwritten when `close` gave up. */
  readonly dropped: number;
  /** Items the sink refused for their data (each alone in a write, `isDataError`) and that were dropped. */
  readonly refused: number;
  /** Failed writes (each retried). */
  readonly failures: number;
  /** Writes that followed a failed write (each attempt counts, successful or not). */
  readonly retries: number;
}

/** An error with code `ERR_TRACKS_ROW_REFUSED`: the sink refused one item; `cause` is the sink's error. */
export class RowRefusedError extends Error {
  readonly code = 'ERR_TRACKS_ROW_REFUSED';
  constructor(cause: unknown) {
    super(`the sink refused one item for its data, which is dropped: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RowRefusedError';
  }
}

/** An error with code `ERR_TRACKS_WRITE_TIMEOUT`: a write did not settle in time; it is retried. */
export class WriteTimeoutError extends Error {
  readonly code = 'ERR_TRACKS_WRITE_TIMEOUT';
  constructor(ms: number) {
    super(`a write did not settle within ${ms} ms; it is retried`);
    this.name = 'WriteTimeoutError';
  }
}

/**
 * The default `isDataError`: an error carrying a PostgreSQL SQLSTATE (`code`, as node-postgres and
 * PGlite give it) of class 22 (data exception: 22021 invalid byte sequence, 22001 string too long,
 * 22P02 invalid text representation…) or 23 (integrity constraint violation), or 54000 (program
 * limit exceeded: an index row too large). Connection errors (`ECONNREFUSED`, class 08, 57P01…)
 * and errors without a code are outages.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.length !== 5) return false;
  return code.startsWith('22') || code.startsWith('23') || code === '54000';
}

/** A positive number option, or its default; a TracksError (`ERR_TRACKS_INVALID_OPTION`) otherwise. */
export function positive(name: string, value: number | undefined, fallback: number): number {
  return numberOption(name, value, fallback);
}

/** The default `onError`: one line to stderr. */
export function defaultOnError(error: unknown, info: WriteFailure): void {
  if (info.refused) console.error('tracks-ab: an item the sink refused was dropped:', error);
  else console.error(`tracks-ab: a batch of ${info.items} could not be written (failure ${info.attempt}); retrying in ${info.retryInMs} ms:`, error);
}

/** The default `onDrop`: one line to stderr. */
export function defaultOnDrop(count: number, stats: BatchWriterStats): void {
  console.error(`tracks-ab: ${count} items dropped (${stats.dropped} in all): the queue is full or was closed before they were written`);
}
