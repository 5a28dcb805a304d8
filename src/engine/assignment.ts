// The result of assigning a user to a set: the variant, why, and a way to run it.
import type { CompiledMulti, CompiledSet, CompiledVariant } from './compile.js';
import type { AnySetClass, Reason, TrackFunction, TrackOf, TrackSetClass, VariantOf } from './track-set.js';

function newRunId(): string {
  // Web Crypto's randomUUID: present in Node >= 19, browsers, Deno, Bun and workers.
  return globalThis.crypto.randomUUID();
}

/** A user's assignment to one SimpleTrackSet or ParamTrackSet. */
export class Assignment<V extends string = string, F extends TrackFunction = TrackFunction> {
  /** The set's name. */
  readonly setName: string;
  /** The variant's name (`'control'` for ineligible users, even in sets without a control track). */
  readonly name: V;
  /** False when the user failed `isEligible` (or was kept out as a bot, or by an error). */
  readonly isEligible: boolean;
  /** Why the user got this variant. */
  readonly reason: Reason;
  /** The serialised key the variant was derived from (null when there was none). */
  readonly key: string | null;
  /** @internal */
  readonly variant: CompiledVariant;
  /**
   * False when the assignment was made for an identity this response can no longer store: a new
   * anonymous visitor whose first read came after the headers were sent (a streamed or hijacked
   * response). The variant is still theirs for this response, but the next visit would be a
   * stranger, so it is not an exposure (`isExposure` is false; `reason` stays what it was).
   */
  readonly persisted: boolean;
  /** @internal */
  readonly set: CompiledSet;
  #runId: string | null | undefined;

  /** @internal Built by the engine; user code receives assignments, it does not create them. */
  constructor(set: CompiledSet, variant: CompiledVariant, reason: Reason, isEligible: boolean, key: string | null, persisted = true) {
    this.set = set;
    this.persisted = persisted;
    this.setName = set.name;
    this.variant = variant;
    this.name = variant.name as V;
    this.reason = reason;
    this.isEligible = isEligible;
    this.key = key;
  }

  /** A fresh unique id for this eligible assignment (null when ineligible), made on first read. */
  get runId(): string | null {
    if (this.#runId === undefined) this.#runId = this.isEligible ? newRunId() : null;
    return this.#runId;
  }

  /** The set's masked name: 7 hex digits that do not reveal it. */
  get maskedSetName(): string {
    return this.set.masked;
  }

  /** The variant's masked name. */
  get maskedName(): string {
    return this.variant.masked;
  }

  /**
   * Whether this assignment is an exposure to log: only reasons `hash`, `random` and `sticky`
   * count (never forced, pinned, excluded, control-by-rule, unidentified…), and only when persisted.
   */
  get isExposure(): boolean {
    // Compared, not looked up in a Set: reasons are interned literals, so each test is one comparison.
    const reason = this.reason;
    return this.persisted && (reason === 'sticky' || reason === 'hash' || reason === 'random');
  }

  /** Runs the chosen variant with the caller's arguments; control and ineligible users run nothing. */
  run(...args: Parameters<F>): ReturnType<F> | undefined {
    const fn = this.variant.run;
    return fn === null ? undefined : (fn(...(args as unknown[])) as ReturnType<F>);
  }

  /** A plain record for logs: names, masked names, reason, run id. */
  toJSON(): AssignmentRecord {
    return {
      setName: this.setName,
      name: this.name,
      isEligible: this.isEligible,
      reason: this.reason,
      runId: this.runId,
      maskedSetName: this.maskedSetName,
      maskedName: this.maskedName,
    };
  }
}

/** What `Assignment#toJSON` returns. */
export interface AssignmentRecord {
  setName: string;
  name: string;
  isEligible: boolean;
  reason: Reason;
  runId: string | null;
  maskedSetName: string;
  maskedName: string;
}

/** A user's assignment to a MultiTrackSet: which member set (if any) and its assignment. */
export class MultiAssignment<M extends TrackSetClass = TrackSetClass> {
  /** The multi set's name. */
  readonly setName: string;
  /** The chosen member set, or null when the user is eligible for none of them. */
  readonly trackSet: M | null;
  /** The assignment within the chosen set, or null when none was chosen. */
  readonly track: Assignment | null;
  /** Why this member was chosen (or why none was). */
  readonly reason: Reason;
  /** @internal */
  readonly multi: CompiledMulti;

  /** @internal */
  constructor(multi: CompiledMulti, trackSet: M | null, track: Assignment | null, reason: Reason) {
    this.multi = multi;
    this.setName = multi.name;
    this.trackSet = trackSet;
    this.track = track;
    this.reason = reason;
  }

  /** True when a member set was chosen for the user. */
  get isEligible(): boolean {
    return this.trackSet !== null;
  }

  /** The chosen variant's name, or `'control'` when no set was chosen. */
  get name(): string {
    return this.track ? this.track.name : 'control';
  }

  /** The chosen set's name, or null. */
  get trackSetName(): string | null {
    return this.track ? this.track.setName : null;
  }

  /** The chosen assignment's run id, or null. */
  get runId(): string | null {
    return this.track ? this.track.runId : null;
  }

  /** A plain record for logs: the multi set, the chosen set's assignment (or null), the reason. */
  toJSON(): { setName: string; trackSetName: string | null; reason: Reason; track: AssignmentRecord | null } {
    return { setName: this.setName, trackSetName: this.trackSetName, reason: this.reason, track: this.track ? this.track.toJSON() : null };
  }

  /** Runs the chosen set's variant; does nothing when no set was chosen. */
  run(...args: unknown[]): unknown {
    return this.track ? (this.track.run as (...a: unknown[]) => unknown).apply(this.track, args) : undefined;
  }
}

/** The typed assignment `assign` and `req.tracks.get` return for a set class. */
export type AssignmentOf<S extends AnySetClass> = S extends { trackSets: readonly (infer M)[] }
  ? MultiAssignment<M extends TrackSetClass ? M : never>
  : Assignment<VariantOf<S>, TrackOf<S>>;

/**
 * A member set's assignment through its MultiTrackSet's: the member's own when the multi set chose
 * it; else control, `excluded` when another member was chosen, or the multi set's reason (bot,
 * ineligible…) when none was. `key` is what the control assignment carries.
 */
export function memberAssignment(member: CompiledSet, multi: MultiAssignment, key: string | null): Assignment {
  if (multi.track?.set === member) return multi.track;
  return new Assignment(member, member.control, multi.track ? 'excluded' : multi.reason, false, key);
}
