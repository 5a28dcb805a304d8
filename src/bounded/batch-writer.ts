// A background writer: enqueue in O(1) on the request path, write batches by size and time, retry with back-off, split around refused items.
import { invalidOption } from '../engine/option-checks.js';
import { callSafely } from '../engine/thenable.js';
import {
  defaultOnDrop,
  defaultOnError,
  isDataError,
  positive,
  RowRefusedError,
  type BatchWriterOptions,
  type BatchWriterStats,
  type WriteFailure,
} from './batch-writer-options.js';
import { splitWrite } from './split-write.js';

export { isDataError, RowRefusedError, WriteTimeoutError } from './batch-writer-options.js';
export type { BatchWriterOptions, BatchWriterStats, WriteFailure } from './batch-writer-options.js';

// While closing, a failed write is tried again at least this often: close() never waits out a long back-off.
const CLOSING_RETRY_MS = 1000;

/**
 * Queues items and writes them in batches through a sink, one write at a time, in order. The
 * request path only calls `enqueue` (an array push). Every write runs under `writeTimeoutMs`; a
 * failed one is retried whole after a back-off that nothing shortens but `close()`, except when
 * the sink refused an item for its data (`isDataError`): the batch is then split until that item
 * is alone, dropped and counted (`refused`), and the rest is written. The sink gets its own copy
 * of each batch. Timers are unref'd while nobody waits on `flush()`/`close()`, so an idle writer
 * never keeps a process alive; call `close()` on shutdown to write what is left.
 */
export class BatchWriter<T> {
  readonly #write: (batch: T[]) => Promise<void> | void;
  readonly #isDataError: (error: unknown) => boolean;
  readonly #writeTimeoutMs: number;
  readonly #maxBatch: number;
  readonly #interval: number;
  readonly #maxQueue: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #onError: (error: unknown, info: WriteFailure<T>) => void | Promise<void>;
  readonly #onDrop: (count: number, stats: BatchWriterStats) => void | Promise<void>;
  // A queue as an array and a head index: enqueue is a push, a written batch moves the head.
  #items: T[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerNow = false; // the pending timer fires at once: a burst of enqueues must not re-arm it each time
  #writing: Promise<void> | null = null;
  #failuresInRow = 0;
  #closed = false;
  #written = 0;
  #dropped = 0;
  #refused = 0;
  #failures = 0;
  #retries = 0;
  #waiters: Array<{ upTo: number; resolve: () => void }> = [];
  #base = 0; // items written or dropped from the head since the start: a position for flush()
  #epoch = 0; // bumped when close() gives up, so a late write cannot move the head again nor count twice
  #unreported = 0;
  #dropTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: BatchWriterOptions<T>) {
    if (typeof options?.write !== 'function') throw invalidOption('write', options?.write, 'expected a function that writes a batch');
    this.#write = options.write;
    if (options.isDataError !== undefined && typeof options.isDataError !== 'function')
      throw invalidOption('isDataError', options.isDataError, 'expected a function that tells a refused item from an outage');
    this.#isDataError = options.isDataError ?? isDataError;
    this.#writeTimeoutMs = positive('writeTimeoutMs', options.writeTimeoutMs, 10_000);
    this.#maxBatch = Math.floor(positive('maxBatch', options.maxBatch, 500));
    this.#interval = positive('flushIntervalMs', options.flushIntervalMs, 1000);
    this.#maxQueue = Math.floor(positive('maxQueue', options.maxQueue, 100_000));
    this.#retryMs = positive('retryMs', options.retryMs, 100);
    this.#maxRetryMs = positive('maxRetryMs', options.maxRetryMs, 30_000);
    this.#onError = options.onError ?? defaultOnError;
    this.#onDrop = options.onDrop ?? defaultOnDrop;
  }

  /** Queues one item; false when it was dropped (queue full, or the writer closed). Never throws. */
  enqueue(item: T): boolean {
    if (this.#closed || this.#items.length - this.#head >= this.#maxQueue) {
      this.#drop(1);
      return false;
    }
    this.#items.push(item);
    const queued = this.#items.length - this.#head;
    // While a failed write waits out its back-off, nothing but close() brings the retry forward.
    if (this.#writing === null && this.#failuresInRow === 0) {
      if (queued >= this.#maxBatch) {
        if (!this.#timerNow) this.#schedule(0);
      } else if (this.#timer === null) this.#schedule(this.#interval);
    }
    return true;
  }

  /** Counters: queued, written, dropped, refused, failures, retries. */
  get stats(): BatchWriterStats {
    return {
      queued: this.#items.length - this.#head,
      written: this.#written,
      dropped: this.#dropped,
      refused: this.#refused,
      failures: this.#failures,
      retries: this.#retries,
    };
  }

  /**
   * Resolves once every item queued before the call is written (or dropped by `close`). While the
   * sink fails, it waits for the retries; pass `timeoutMs` to stop waiting (it then resolves false).
   */
  flush(timeoutMs?: number): Promise<boolean> {
    const upTo = this.#base + this.#items.length - this.#head;
    if (upTo <= this.#base) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const waiter = {
        upTo,
        resolve: () => {
          if (timer) clearTimeout(timer);
          resolve(true);
        },
      };
      this.#waiters.push(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs);
      }
      if (this.#writing === null && this.#failuresInRow === 0) this.#schedule(0);
      else this.#timer?.ref?.(); // a pending retry now has someone waiting on it
    });
  }

  /**
   * Stops taking items and writes what is queued at once, a pending back-off or not; a write that
   * fails is tried again (at least once a second) until `timeoutMs` (default 10,000). Whatever is
   * still unwritten then is dropped and reported, so shutdown never hangs on a dead sink. A write
   * in flight at that moment that succeeds later moves its items from `dropped` to `written`:
   * every item is counted once.
   */
  async close(timeoutMs = 10_000): Promise<BatchWriterStats> {
    this.#closed = true;
    const waiting = this.flush(timeoutMs);
    if (this.#writing === null && this.#items.length > this.#head) this.#schedule(0);
    const done = await waiting;
    if (!done) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#timerNow = false;
      const left = this.#items.length - this.#head;
      this.#epoch++;
      this.#advance(left);
      this.#drop(left);
    }
    this.#reportDrops();
    return this.stats;
  }

  #schedule(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerNow = delay === 0;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerNow = false;
      this.#writing ??= this.#run().finally(() => {
        this.#writing = null;
        this.#next();
      });
    }, delay);
    // An idle writer never keeps the process alive; one that a flush() or close() waits on does,
    // or `await log.flush()` at the end of a script would let the process exit before the write.
    if (this.#waiters.length === 0) this.#timer.unref?.();
  }

  #next(): void {
    const queued = this.#items.length - this.#head;
    if (queued === 0) return;
    if (this.#failuresInRow > 0) this.#schedule(this.#retryDelay());
    else if (queued >= this.#maxBatch || this.#closed || this.#waiters.length > 0) this.#schedule(0);
    else this.#schedule(this.#interval);
  }

  #retryDelay(): number {
    const delay = Math.min(this.#maxRetryMs, this.#retryMs * 2 ** (this.#failuresInRow - 1));
    return this.#closed ? Math.min(delay, CLOSING_RETRY_MS) : delay;
  }

  async #run(): Promise<void> {
    const end = Math.min(this.#items.length, this.#head + this.#maxBatch);
    if (end <= this.#head) return;
    // The writer's own copy: the sink gets copies of it, so a sink that empties its array changes nothing here.
    const batch = this.#items.slice(this.#head, end);
    const epoch = this.#epoch;
    // A write that follows a failed one is a retry, whether it then succeeds or fails again.
    if (this.#failuresInRow > 0) this.#retries++;
    const outcome = await splitWrite(batch, { write: this.#write, isDataError: this.#isDataError, timeoutMs: this.#writeTimeoutMs });
    this.#written += outcome.written;
    this.#refused += outcome.refused.length;
    for (const { item, error } of outcome.refused) {
      callSafely(() => this.#onError(new RowRefusedError(error), { refused: true, attempt: 0, items: 1, retryInMs: 0, item }));
    }
    if (epoch !== this.#epoch) {
      // close() gave up on these items and counted them dropped; those settled since are counted where they belong.
      this.#dropped -= outcome.done;
      return;
    }
    this.#advance(outcome.done);
    if (outcome.failed) {
      this.#failures++;
      this.#failuresInRow++;
      const retryInMs = this.#retryDelay();
      const items = batch.length - outcome.done;
      callSafely(() => this.#onError(outcome.error, { refused: false, attempt: this.#failuresInRow, items, retryInMs }));
      return;
    }
    this.#failuresInRow = 0;
  }

  #advance(count: number): void {
    this.#head += count;
    this.#base += count;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (this.#waiters.length > 0) {
      const ready = this.#waiters.filter((w) => w.upTo <= this.#base);
      if (ready.length > 0) {
        this.#waiters = this.#waiters.filter((w) => w.upTo > this.#base);
        for (const w of ready) w.resolve();
      }
    }
  }

  // Drops are reported at most once a second, summed: a full queue must not flood the log.
  #drop(count: number): void {
    if (count <= 0) return;
    this.#dropped += count;
    this.#unreported += count;
    if (this.#dropTimer !== null) return;
    this.#dropTimer = setTimeout(() => this.#reportDrops(), 1000);
    this.#dropTimer.unref?.();
  }

  #reportDrops(): void {
    if (this.#dropTimer) clearTimeout(this.#dropTimer);
    this.#dropTimer = null;
    const count = this.#unreported;
    if (count === 0) return;
    this.#unreported = 0;
    callSafely(() => this.#onDrop(count, this.stats));
  }
}
