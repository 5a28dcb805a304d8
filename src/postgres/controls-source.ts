// Runtime controls from PostgreSQL: an in-memory snapshot for the request path, refreshed by LISTEN/NOTIFY and by polling.
import { holdPGliteFolder } from './pglite-holder.js';
import { checkKnownOptions, invalidOption, numberOption, optionsObject } from '../engine/option-checks.js';
import { controlShapeProblem, controlError, type SetControl } from '../engine/controlled-set.js';
import type { TracksError } from '../engine/errors.js';
import type { ControlsSource } from '../controls/controls.js';
import type { ControlsStoreOptions } from './controls-catalogue.js';
import { CONTROLS_CHANNEL } from './controls-schema.js';
import { listenFor, type Subscription } from './controls-listen.js';
import { controlOfRow } from './controls-write.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';

/** What went wrong, for `onError`. Nothing here ever fails a request: the last snapshot stays in force. */
export type ControlsFailure =
  /** Reading the controls failed; the next poll (or notification) tries again. */
  | { readonly operation: 'load' }
  /** The LISTEN connection could not be made or was lost; polling goes on, LISTEN is retried after `retryInMs`. */
  | { readonly operation: 'listen'; readonly retryInMs: number }
  /** A stored control is malformed (a row written by hand); it is ignored. */
  | { readonly operation: 'row'; readonly setName: string }
  /** A control names a variant this process's set does not have (another app version?); it is ignored. */
  | { readonly operation: 'refused'; readonly setName: string };

/** Options of `postgresControls`. */
export interface PostgresControlsOptions extends ControlsStoreOptions {
  /** How often the controls are read again, in ms (default 5,000): the bound when notifications do not arrive. */
  pollIntervalMs?: number;
  /** LISTEN for changes where the client can (default true): a change is then seen within milliseconds. */
  listen?: boolean;
  /** Told of failed loads, lost LISTEN connections, malformed and refused controls. Default: console.error, at most once in 10 s per kind. */
  onError?: (error: unknown, info: ControlsFailure) => void;
}

/** Counters of a `PostgresControls`. */
export interface PostgresControlsStats {
  /** Successful reads of the table. */
  readonly loads: number;
  readonly failures: number;
  /** Notifications received. */
  readonly notifications: number;
  /** Times the snapshot changed. */
  readonly changes: number;
  /** True while a LISTEN subscription is live. */
  readonly listening: boolean;
  readonly loadedAt: Date | null;
}

/** Default poll interval: what a change takes at worst when no notification arrives. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
const LISTEN_RETRY_MS = 1_000;
const LISTEN_RETRY_MAX_MS = 30_000;
const NAMES = { schema: true, pollIntervalMs: true, listen: true, onError: true } as const;

function defaultOnError(): (error: unknown, info: ControlsFailure) => void {
  const last = new Map<string, number>();
  return (error, info) => {
    const now = Date.now();
    if (now - (last.get(info.operation) ?? -Infinity) < 10_000) return;
    last.set(info.operation, now);
    console.error(`tracks-ab: controls ${info.operation} failed; the controls in force stay as they were:`, error);
  };
}

function invalid(option: string, value: unknown, hint: string): TracksError {
  return invalidOption(`controls.${option}`, value, hint);
}

function sameControl(a: SetControl, b: SetControl): boolean {
  return a.disabled === b.disabled && a.pinned === b.pinned && a.coverage === b.coverage && String(a.paused ?? '') === String(b.paused ?? '');
}

interface Row {
  set_name: string;
  disabled: boolean | null;
  pinned: string | null;
  coverage: number | null;
  paused: string[] | null;
}

/**
 * The controls in `tracks_controls`, as a {@link ControlsSource} for `tracks(sets, { controls })`.
 * Requests read an in-memory snapshot (`get` is a Map lookup); the snapshot is read again on every
 * NOTIFY (where the client can LISTEN: PGlite, a pg Pool, which lends one connection for good, or
 * a pg Client) and every `pollIntervalMs` whatever happens, so a server that misses a notification
 * still converges. Until the first read, the statics apply: `await controls.ready()` before
 * serving. Timers are unref'd; `close()` stops everything.
 */
export class PostgresControls implements ControlsSource {
  readonly #client: Queryable;
  readonly #schema: string;
  readonly #sql: string;
  readonly #interval: number;
  readonly #onError: (error: unknown, info: ControlsFailure) => void;
  #controls = new Map<string, SetControl>();
  #loading: Promise<boolean> | null = null;
  #again = false;
  #closed = false;
  #poll: NodeJS.Timeout | null = null;
  #relisten: NodeJS.Timeout | null = null;
  #listenDelay = LISTEN_RETRY_MS;
  #subscription: Subscription | null = null;
  #subscribing: Promise<void> | null = null;
  readonly #ready: Promise<boolean>;
  #stats = { loads: 0, failures: 0, notifications: 0, changes: 0, loadedAt: null as Date | null };

  constructor(client: Queryable, options: PostgresControlsOptions = {}) {
    if (typeof (client as Partial<Queryable> | null)?.query !== 'function') {
      throw invalidOption('client', client, 'postgresControls expects a client with query(text, params): a pg Pool or Client, or a PGlite instance');
    }
    // Own properties only: `{ toString: 1 }` is an unknown option, not Object.prototype's.
    checkKnownOptions('controls', optionsObject('controls', options), NAMES);
    const interval = numberOption('controls.pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, { min: 10, unit: 'ms' });
    if (options.listen !== undefined && typeof options.listen !== 'boolean') throw invalid('listen', options.listen, 'expected true or false');
    if (options.onError !== undefined && typeof options.onError !== 'function') throw invalid('onError', options.onError, 'expected a function');
    this.#client = client;
    holdPGliteFolder(client);
    this.#schema = schemaName(options.schema, 'controls.schema');
    this.#sql = `select set_name, disabled, pinned, coverage, paused from ${this.#schema}.tracks_controls`;
    this.#interval = interval;
    this.#onError = options.onError ?? defaultOnError();
    this.#ready = this.#load();
    if (options.listen !== false) this.#subscribing = this.#subscribe();
  }

  /** The control in force for a set, from the snapshot: no I/O. */
  get(setName: string): SetControl | undefined {
    return this.#controls.get(setName);
  }

  /** Resolves once the first read is done: true when it succeeded (else the statics apply until one does). */
  ready(): Promise<boolean> {
    return this.#ready;
  }

  /** Reads the controls now; resolves true once a read that started after this call succeeded. */
  refresh(): Promise<boolean> {
    return this.#load();
  }

  /** Counters, and whether a LISTEN subscription is live. */
  get stats(): PostgresControlsStats {
    return { ...this.#stats, listening: this.#subscription !== null };
  }

  /** Every control in force, by set name. */
  entries(): Array<[string, SetControl]> {
    return [...this.#controls];
  }

  /** @internal Called by the middleware once per control version this process's set refuses. */
  refused(error: TracksError, setName: string): void {
    this.#report(error, { operation: 'refused', setName });
  }

  /** Stops polling and listening, and waits for a read in flight. The snapshot stays readable. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poll) clearTimeout(this.#poll);
    if (this.#relisten) clearTimeout(this.#relisten);
    await this.#subscribing;
    const subscription = this.#subscription;
    this.#subscription = null;
    await subscription?.close();
    await this.#loading;
  }

  #report(error: unknown, info: ControlsFailure): void {
    try {
      this.#onError(error, info);
    } catch {
      // A throwing hook changes nothing: the snapshot stays as it was.
    }
  }

  #load(): Promise<boolean> {
    if (this.#loading) {
      // A read is in flight and may have started before the change the caller wants: read once more after it.
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      let ok: boolean;
      do {
        this.#again = false;
        ok = await this.#read();
      } while (this.#again && !this.#closed);
      return ok;
    })().finally(() => {
      this.#loading = null;
      this.#schedule();
    });
    return this.#loading;
  }

  async #read(): Promise<boolean> {
    try {
      const { rows } = await this.#client.query<Row>(this.#sql);
      this.#apply(rows);
      this.#stats.loads++;
      this.#stats.loadedAt = new Date();
      return true;
    } catch (error) {
      this.#stats.failures++;
      this.#report(error, { operation: 'load' });
      return false;
    }
  }

  #apply(rows: readonly Row[]): void {
    const previous = this.#controls;
    const next = new Map<string, SetControl>();
    let changed = false;
    for (const row of rows) {
      const control = controlOfRow(row);
      const problem = controlShapeProblem(control);
      if (problem !== null) {
        this.#report(controlError(row.set_name, problem), { operation: 'row', setName: row.set_name });
        continue;
      }
      // An unchanged control keeps its object: the sets derived from it stay cached.
      const old = previous.get(row.set_name);
      if (old && sameControl(old, control)) next.set(row.set_name, old);
      else {
        next.set(row.set_name, Object.freeze(control));
        changed = true;
      }
    }
    if (changed || next.size !== previous.size) {
      this.#controls = next;
      this.#stats.changes++;
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#poll) clearTimeout(this.#poll);
    this.#poll = setTimeout(() => void this.#load(), this.#interval);
    this.#poll.unref();
  }

  async #subscribe(): Promise<void> {
    if (this.#closed) return;
    try {
      const subscription = await listenFor(
        this.#client,
        CONTROLS_CHANNEL,
        (payload) => {
          // One channel for every schema: the payload says whose table changed.
          if (payload !== '' && payload !== this.#schema) return;
          this.#stats.notifications++;
          void this.#load();
        },
        (error) => this.#lost(error),
      );
      if (subscription === null) return;
      if (this.#closed) return void (await subscription.close());
      this.#subscription = subscription;
      this.#listenDelay = LISTEN_RETRY_MS;
      // What changed while nobody listened is read now, not at the next poll.
      void this.#load();
    } catch (error) {
      this.#lost(error);
    }
  }

  #lost(error: unknown): void {
    this.#subscription = null;
    if (this.#closed) return;
    const delay = this.#listenDelay;
    this.#listenDelay = Math.min(delay * 2, LISTEN_RETRY_MAX_MS);
    this.#report(error, { operation: 'listen', retryInMs: delay });
    this.#relisten = setTimeout(() => {
      this.#subscribing = this.#subscribe();
    }, delay);
    this.#relisten.unref();
  }
}

/**
 * Starts reading the controls of `tracks_controls` (run `migrate` first) into memory for the
 * middleware's `controls` option. Bound: with LISTEN (the default, where the client supports it)
 * a change is in force about one query after its commit; without, within `pollIntervalMs` (5 s)
 * plus the time of a read.
 * @example
 * const controls = postgresControls(pool, { onError: (e, info) => log.warn(info, e) });
 * await controls.ready();
 * app.use(tracks([DelayTracks], { controls }));
 * process.on('SIGTERM', () => controls.close());
 */
export function postgresControls(client: Queryable, options: PostgresControlsOptions = {}): PostgresControls {
  return new PostgresControls(client, options);
}
