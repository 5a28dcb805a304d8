// The console's results, kept for a while per set: concurrent views share one read, and a stale page is served while a fresh one is read.

/** One read as the page shows it: the value, when it was read, how long the read took, and whether a newer one is being read. */
export interface CachedRead<T> {
  readonly value: T;
  readonly readAt: Date;
  readonly readMs: number;
  readonly refreshing: boolean;
}

interface Entry<T> {
  done: { value: T; at: number; ms: number; keep: boolean } | null;
  pending: Promise<void> | null;
}

/** How long a background read waits for the one before it at most. */
const WAIT_MS = 120_000;

/**
 * Reads by key (a set's name), kept for `maxAgeMs`. A view finds the last read and, when it is
 * older than that, starts one new read (never two at once for a key) and is answered with the old
 * one meanwhile (with `maxAgeMs` 0 every view waits for a new read): at a million persons a report
 * takes seconds of the database's time, which the page would otherwise spend on every view, once
 * per person looking. Reads started in the background run one after another (a page of stale sets
 * does not start them all at once). The first view of a key, and a view asking for fresh results,
 * wait for the read. A read that fails is not kept (the next view reads again); one whose
 * `keep(value)` says no (it holds a problem in words) is shown once and read again on the next view.
 * Keys the page no longer shows are dropped by `retain`, so the memory is bounded by the sets on
 * the page.
 */
export class ResultsCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #maxAgeMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #clock: () => number;
  /** The last read started in the background: the next one starts after it, so a page of stale sets loads the database one read at a time. */
  #background: Promise<unknown> = Promise.resolve();

  constructor(maxAgeMs: number, onError: (error: unknown) => void, clock: () => number = Date.now) {
    this.#maxAgeMs = maxAgeMs;
    this.#onError = onError;
    this.#clock = clock;
  }

  /** The read of `key`: the kept one when young enough (or while a newer one is read), else a new one. */
  async get(key: string, read: () => Promise<T>, keep: (value: T) => boolean, fresh = false): Promise<CachedRead<T>> {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { done: null, pending: null };
      this.#entries.set(key, entry);
    }
    const done = entry.done;
    const young = done !== null && done.keep && this.#clock() - done.at < this.#maxAgeMs;
    if (done !== null && !fresh && young) return this.#answer(done, false);
    if (done !== null && !fresh && this.#maxAgeMs > 0) {
      // Stale: answered now with the last read; the new one is for the next view, and its failure goes to onError.
      entry.pending ??= this.#read(entry, read, keep, true);
      return this.#answer(done, true);
    }
    await (entry.pending ??= this.#read(entry, read, keep, false));
    return this.#answer(entry.done!, false);
  }

  /** Drops every key but these (the sets the page shows now). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.#entries.keys()) if (!keys.has(key)) this.#entries.delete(key);
  }

  #read(entry: Entry<T>, read: () => Promise<T>, keep: (value: T) => boolean, background: boolean): Promise<void> {
    let started = this.#clock();
    const reading = (background ? this.#background : Promise.resolve())
      .then(() => {
        started = this.#clock();
        return read();
      })
      .then((value) => {
        const at = this.#clock();
        entry.done = { value, at, ms: at - started, keep: keep(value) };
      })
      .finally(() => {
        entry.pending = null;
      });
    // Nobody waits for a read started in the background: its failure is told here, once. The next
    // waits for it, but not for a read that hangs (a database that never answers) past WAIT_MS.
    if (background) {
      const told = reading.catch(this.#onError);
      this.#background = Promise.race([told, new Promise((resolve) => setTimeout(resolve, WAIT_MS).unref())]);
    }
    return reading;
  }

  #answer(done: NonNullable<Entry<T>['done']>, refreshing: boolean): CachedRead<T> {
    return { value: done.value, readAt: new Date(done.at), readMs: done.ms, refreshing };
  }
}
