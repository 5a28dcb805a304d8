// A background writer: enqueue in O(1) on the request path, write batches by size and time, retry with back-off.
import { invalidOption, numberOption } from '../engine/option-checks.js';
import { callSafely } from '../engine/thenable.js';

/** What a batch writer needs: a sink, and how it batches, retries and reports. */
export interface BatchWriterOptions<T> {
  /**
   * Writes one batch. It must be idempotent: a batch whose write failed (or timed out) is written
   * again, whole or with more items after it, so the sink may see an item twice.
   */
  write: (batch: readonly T[]) => Promise<void> | void;
  /** Items per batch (default 500). A full batch is written at once. */
  maxBatch?: number;
  /** A partial batch waits at most this long (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Items held at most, in flight included (default 100,000); past it, new items are dropped and counted. */
  maxQueue?: number;
  /** First retry delay after a failed write (default 100 ms), doubled on each failure up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest retry delay (default 30,000 ms). Failed batches are retried as long as the writer is open. */
  maxRetryMs?: number;
  /** Told of every failed write: the error, how many failures in a row, and when the next try is. */
  onError?: (error: unknown, info: WriteFailure) => void | Promise<void>;
  /** Told when items are dropped because the queue is full, or left unwritten at `close`. */
  onDrop?: (count: number, stats: BatchWriterStats) => void | Promise<void>;
}

/** What `onError` receives besides the error. */
export interface WriteFailure {
  /** Consecutive failed writes so far, this one included. */
  attempt: number;
  /** Items in the batch that failed. */
  items: number;
  /** Milliseconds until the next try. */
  retryInMs: number;
}

/** Counters of a batch writer, for health checks and the drop report. */
export interface BatchWriterStats {
  /** Items waiting or in flight. */
  readonly queued: number;
  /** Items the sink accepted. */
  readonly written: number;
  /** Items dropped: the queue was full, or they were still unwritten when `close` gave up. */
  readonly dropped: number;
  /** Failed writes (each retried). */
  readonly failures: number;
  /** Writes that followed a failed write (each attempt counts, successful or not). */
  readonly retries: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  return numberOption(name, value, fallback);
}

function defaultOnError(error: unknown, info: WriteFailure): void {
  console.error(`tracks-ab: a batch of ${info.items} could not be written (failure ${info.attempt}); retrying in ${info.retryInMs} ms:`, error);
}

function defaultOnDrop(count: number, stats: BatchWriterStats): void {
  console.error(`tracks-ab: ${count} items dropped (${stats.dropped} in all): the queue is full or was closed before they were written`);
}

/**
 * Queues items and writes them in batches through a sink, one write at a time, in order. The
 * request path only calls `enqueue` (an array push). Timers are unref'd while nobody waits on `flush()`/`close()`, so an idle writer never
 * keeps a process alive; call `close()` on shutdown to write what is left.
 */
export class BatchWriter<T> {
  readonly #write: (batch: readonly T[]) => Promise<void> | void;
  readonly #maxBatch: number;
  readonly #interval: number;
  readonly #maxQueue: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #onError: (error: unknown, info: WriteFailure) => void | Promise<void>;
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
  #failures = 0;
  #retries = 0;
  #waiters: Array<{ upTo: number; resolve: () => void }> = [];
  #base = 0; // items written or dropped from the head since the start: a position for flush()
  #epoch = 0; // bumped when close() gives up, so a late write cannot move the head again
  #unreported = 0;
  #dropTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: BatchWriterOptions<T>) {
    if (typeof options?.write !== 'function') throw invalidOption('write', options?.write, 'expected a function that writes a batch');
    this.#write = options.write;
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
    if (this.#writing === null) {
      if (queued >= this.#maxBatch) {
        if (!this.#timerNow) this.#schedule(0);
      } else if (this.#timer === null) this.#schedule(this.#interval);
    }
    return true;
  }

  /** Counters: queued, written, dropped, failures, retries. */
  get stats(): BatchWriterStats {
    return {
      queued: this.#items.length - this.#head,
      written: this.#written,
      dropped: this.#dropped,
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
   * Stops taking items and writes what is queued. With `timeoutMs` (default 10,000), whatever is
   * still unwritten then is dropped and reported, so shutdown never hangs on a dead sink.
   */
  async close(timeoutMs = 10_000): Promise<BatchWriterStats> {
    this.#closed = true;
    const done = await this.flush(timeoutMs);
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
    if (this.#failuresInRow > 0) {
      const delay = Math.min(this.#maxRetryMs, this.#retryMs * 2 ** (this.#failuresInRow - 1));
      this.#schedule(delay);
    } else if (queued >= this.#maxBatch || this.#closed || this.#waiters.length > 0) this.#schedule(0);
    else this.#schedule(this.#interval);
  }

  async #run(): Promise<void> {
    const end = Math.min(this.#items.length, this.#head + this.#maxBatch);
    if (end <= this.#head) return;
    const batch = this.#items.slice(this.#head, end);
    const epoch = this.#epoch;
    // A write that follows a failed one is a retry, whether it then succeeds or fails again.
    if (this.#failuresInRow > 0) this.#retries++;
    try {
      await this.#write(batch);
    } catch (error) {
      if (epoch !== this.#epoch) return;
      this.#failures++;
      this.#failuresInRow++;
      const retryInMs = Math.min(this.#maxRetryMs, this.#retryMs * 2 ** (this.#failuresInRow - 1));
      callSafely(() => this.#onError(error, { attempt: this.#failuresInRow, items: batch.length, retryInMs }));
      return;
    }
    if (epoch !== this.#epoch) {
      this.#written += batch.length;
      return;
    }
    this.#failuresInRow = 0;
    this.#written += batch.length;
    this.#advance(batch.length);
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
