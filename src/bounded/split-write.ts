// One write of a batch writer: under a timeout, split in halves when the sink refuses an item, so one bad item never holds up the rest.
import { WriteTimeoutError } from './batch-writer-options.js';

/** How far a write went: a prefix of the batch is done (written or refused); an outage stopped the rest. */
export interface WriteOutcome<T> {
  /** Items from the start of the batch that are settled: written, or refused and dropped. */
  done: number;
  /** Of those, the items the sink accepted. */
  written: number;
  /** Of those, the items the sink refused alone, with its error. */
  refused: Array<{ item: T; error: unknown }>;
  /** The outage (or timeout) that stopped the write before the end of the batch; null when it reached the end. */
  error: unknown;
  /** True when `error` is set: the items after `done` are to be retried. */
  failed: boolean;
}

/** How a write is made: the sink, its classification of failures, and the time each call may take. */
export interface WriteHow<T> {
  write: (batch: T[]) => Promise<void> | void;
  isDataError: (error: unknown) => boolean;
  timeoutMs: number;
}

/** Calls the sink with a copy of `items` (the sink may keep or empty it) and rejects if it takes longer than `ms`. */
export function callSink<T>(write: (batch: T[]) => Promise<void> | void, items: readonly T[], ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new WriteTimeoutError(ms)), ms);
    timer.unref?.();
    Promise.resolve()
      .then(() => write(items.slice()))
      .then(
        () => (clearTimeout(timer), resolve()),
        (error: unknown) => (clearTimeout(timer), reject(error as Error)),
      );
  });
}

// A classification hook that throws says nothing: the failure is taken for an outage and retried.
function isData<T>(how: WriteHow<T>, error: unknown): boolean {
  try {
    return how.isDataError(error) === true;
  } catch {
    return false;
  }
}

/**
 * Writes `items` in order. When the sink refuses the batch for its data (`isDataError`), the batch
 * is split in halves, each written in turn, down to the refused item, which is set aside; every
 * other item is written. An outage (any other failure, or a timeout) stops the write: the prefix
 * already settled is reported, the rest is the caller's to retry. One refused item among n costs
 * about 2·log2(n) extra writes; the sink must be idempotent, as a half may be written twice when
 * a sink writes in several statements.
 */
export async function splitWrite<T>(items: readonly T[], how: WriteHow<T>): Promise<WriteOutcome<T>> {
  const outcome: WriteOutcome<T> = { done: 0, written: 0, refused: [], error: null, failed: false };
  const go = async (from: number, to: number): Promise<boolean> => {
    try {
      await callSink(how.write, items.slice(from, to), how.timeoutMs);
      outcome.done += to - from;
      outcome.written += to - from;
      return true;
    } catch (error) {
      if (!isData(how, error)) {
        outcome.error = error;
        outcome.failed = true;
        return false;
      }
      if (to - from === 1) {
        outcome.refused.push({ item: items[from]!, error });
        outcome.done++;
        return true;
      }
      const middle = from + Math.ceil((to - from) / 2);
      return (await go(from, middle)) && go(middle, to);
    }
  };
  if (items.length > 0) await go(0, items.length);
  return outcome;
}
