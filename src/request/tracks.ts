// `req.tracks`: one request's lazy, sticky assignments, exposures and cookie writes.
import { assignByRule, chooseMember } from '../engine/assign.js';
import { Assignment, memberAssignment, MultiAssignment, type AssignmentOf } from '../engine/assignment.js';
import type { CompiledMulti, CompiledSet, CompiledVariant, CompiledTrackSet } from '../engine/compile.js';
import { WRITE_HEADERS, type HeadersListener, type HttpExchange } from './exchange.js';
import { multiRulesInForce, rulesInForce } from '../controls/controls.js';
import { memberClosed, settledMulti } from '../engine/multi-rules.js';
import { RequestInputs } from './inputs.js';
import { pendingWrite, writeResponse } from './response-writer.js';
import type { Setup } from './setup.js';
import { bindingOf, snapshotOf, StickyState } from '../cookies/sticky-state.js';
import { rememberedChoice, rememberedElsewhere } from './remembered.js';
import { emitOrHold, RequestExposures } from './exposure.js';
import { placeAt, setOf, setsRead } from './sets-read.js';
import { eligibility, type Eligibility } from './eligibility.js';
import type { AnySetClass } from '../engine/track-set.js';
import { registered } from '../engine/registry.js';
import type { Tracks } from './tracks-api.js';
import { UserRecords } from './user-records.js';
import { decideContinuity, prepareUser } from './continuity.js';

type Result = Assignment | MultiAssignment;

/**
 * The object adapters attach as `req.tracks` (`ctx.tracks`, `request.tracks`). Nothing is read,
 * parsed or assigned until the first `get` or `peek` (with a store, a user's records are loaded before).
 */
export class RequestTracks<Req = unknown> implements Tracks, HeadersListener {
  readonly #setup: Setup<Req>;
  readonly #in: RequestInputs<Req>;
  #results: Array<Result | null> | null = null;
  #count = 0; // of results: of sets read (sets-read.ts)
  #eligibility: Map<CompiledSet, Eligibility> | null = null;
  #state: StickyState | null = null;
  #plain: boolean | undefined = undefined; // whether `#remembered` may answer (`#isPlain`), once decided
  #records: UserRecords | null = null;
  #hooked = false;
  /** True once the response headers carried a new (or renewed) anonymous id cookie. */
  #idWritten = false;
  #exposures: RequestExposures<Req> | null = null; // made only where exposures may be held (the Fetch adapter's `exposures`)

  /** @internal Adapters create it; user code reads it from the request. `inputs`: when a step before the handler read some (Fetch's verification). */
  constructor(setup: Setup<Req>, exchange: HttpExchange, req: Req, inputs?: RequestInputs<Req>) {
    this.#setup = setup;
    this.#in = inputs ?? new RequestInputs(setup, exchange, req);
  }

  /** @internal `beginRequest` calls it once: with a store, a user's records loaded (and the carried id claimed), else undefined. */
  loadUserRecords(): Promise<void> | undefined {
    return this.#setup.config.store === null ? undefined : this.#loadUserRecords(); // small, so V8 inlines it
  }

  #loadUserRecords(): Promise<void> | undefined {
    const key = this.#in.userKey;
    if (key === null || (this.#setup.config.bots.scope === 'all' && this.isBot)) return undefined;
    this.#records = new UserRecords(this.#setup.config.store!, key);
    return prepareUser(this.#in, this.#stateFor(true)!, this.#records);
  }

  /**
   * The user's assignment to `set`: remembered, forced or hashed; logged once per request as an
   * exposure when it counts, and remembered in the cookie.
   * @example const delay = req.tracks.get(DelayTracks); await delay.run(); delay.name
   */
  get<S extends AnySetClass>(set: S): AssignmentOf<S> {
    const compiled = registered(this.#setup.registry, set);
    const cached = this.#cached(compiled);
    if (cached) return cached as AssignmentOf<S>;
    const result = (this.#plain !== false ? this.#remembered(compiled) : undefined) ?? this.#resolve(compiled, true);
    this.#hook();
    return result as AssignmentOf<S>;
  }

  /**
   * What `#resolve` gives in the most common case, without its steps (bench/README.md): a set with no
   * rule, eligibility check or multi set over it, that the cookie remembers, in a request where
   * nothing else applies (`#isPlain`); else undefined.
   */
  #remembered(compiled: CompiledTrackSet): Assignment | undefined {
    if (compiled.kind !== 'set' || compiled.disabled || compiled.pinned !== null || compiled.checksEligibility) return undefined;
    const { parentOf } = this.#setup.registry;
    if ((parentOf.size !== 0 && parentOf.has(compiled)) || !(this.#plain ??= this.#isPlain())) return undefined;
    const variant = this.#state!.bound(compiled) as CompiledVariant | undefined;
    if (variant === undefined) return undefined;
    const assignment = new Assignment(compiled, variant, 'sticky', true, this.#in.identity(true));
    return this.#enrol(assignment, assignment); // sticky and persisted: an exposure
  }

  /**
   * True when no step of `#resolveSet` before the cookie applies to this request (it is no bot's, has
   * no run-time controls and no variant forced) and its identity was not made in it. Decided once,
   * where `#resolveSet` would make the state too. (A cookie not the identity's own remembers nothing.)
   */
  #isPlain(): boolean {
    if (this.isBot || this.#setup.config.controls !== null) return false;
    const state = this.#stateFor(true);
    if (state === null || this.#in.identity(true) === null || this.#in.newAnonymousId !== null) return false;
    return !this.#in.overrideAllowed || (!state.hasForced && (this.#in.override?.forced.size ?? 0) === 0);
  }

  /**
   * What `get` would return, without enrolling, logging or writing a cookie (the response is
   * still marked `Cache-Control: private`: it depends on the user). A visitor with no identity
   * yet gets control with reason `unidentified`.
   */
  peek<S extends AnySetClass>(set: S): AssignmentOf<S> {
    const compiled = registered(this.#setup.registry, set);
    const result = this.#cached(compiled) ?? this.#resolve(compiled, false);
    this.#hook();
    return result as AssignmentOf<S>;
  }

  /** The assignments `get` made in this request, in order. */
  assignments(): Result[] {
    return this.#results ? (this.#results.slice(0, this.#count) as Result[]) : [];
  }

  /** The key the user is assigned by: from the configured sources, else the anonymous id (null when a source threw). */
  get key(): string | null {
    return this.#in.key;
  }

  /** True when the request is treated as a crawler's: bots get control, no cookie and no exposure. */
  get isBot(): boolean {
    return this.#in.isBot;
  }

  #cached(compiled: CompiledTrackSet): Result | undefined {
    for (let i = 0; i < this.#count; i++) if (setOf(this.#results![i]!) === compiled) return this.#results![i]!; // none before the first read
    return undefined;
  }

  #resolve(compiled: CompiledTrackSet, enrol: boolean): Result {
    let result: Result;
    const { parentOf } = this.#setup.registry;
    const parent = compiled.kind === 'multi' || parentOf.size === 0 ? undefined : parentOf.get(compiled); // no lookup without multi sets
    if (compiled.kind === 'multi') result = this.#resolveMulti(compiled, enrol);
    else {
      // A member disabled or pinned is so for everyone, whatever member the multi set gives them.
      const rules = parent ? rulesInForce(this.#setup.config.controls, compiled) : null;
      if (this.isBot) result = new Assignment(compiled, compiled.control, 'bot', false, null);
      else if (rules !== null && (rules.disabled || rules.pinned)) result = assignByRule(compiled, null, rules);
      else if (parent) result = memberAssignment(compiled, enrol ? this.get(parent.cls) : this.peek(parent.cls), null);
      else result = this.#resolveSet(compiled, enrol);
    }
    if (!enrol) return result;
    const exposed = compiled.kind === 'multi' ? (result as MultiAssignment).track : parent === undefined ? (result as Assignment) : null;
    return this.#enrol(result, exposed?.isExposure === true ? exposed : null, compiled.kind === 'multi' ? compiled.name : null);
  }

  /** Keeps a result of `get` (in order), and emits `exposed`: the result or its track, when an exposure (else null). */
  #enrol<R extends Result>(result: R, exposed: Assignment | null, multiSetName: string | null = null): R {
    this.#results = placeAt(this.#results, this.#count++, result);
    if (exposed !== null) emitOrHold(this.#exposures, this.#in, exposed, multiSetName);
    return result;
  }

  #resolveSet(set: CompiledSet, enrol: boolean): Assignment {
    if (this.isBot) return new Assignment(set, set.control, 'bot', false, null);
    // Runtime controls seam (src/controls/controls.ts): `rules` is the set as the controls in force
    // change it (disabled, pinned, coverage); assignments still name `set`.
    const rules = rulesInForce(this.#setup.config.controls, set);
    if (rules.disabled || rules.pinned) return assignByRule(set, null, rules);
    const state = this.#stateFor(enrol);
    const forced = this.#forced(set, state);
    if (forced) {
      if (enrol) state?.setForced(set, forced);
      return new Assignment(set, forced, 'forced', true, this.#in.identity(enrol));
    }
    const eligible = this.#eligible(set);
    if (eligible !== true) return new Assignment(set, set.control, eligible === 'error' ? 'error' : 'ineligible', false, this.#in.identity(enrol));
    const key = this.#in.identity(enrol);
    const own = state === null ? undefined : (state.bound(set) as CompiledVariant | undefined);
    const remembered = own ?? (rememberedElsewhere(state, set, this.#records) as CompiledVariant | undefined);
    if (remembered) {
      // Under continuity this re-binds the anonymous visitor's variant to the user.
      if (enrol && remembered !== own) state!.setSticky(set, remembered); // what the cookie holds needs no setting again
      return this.#persisted(new Assignment(set, remembered, 'sticky', true, key), enrol);
    }
    // No identity: a key source failed (control, rather than a variant for a stand-in key), or a
    // peek before the visitor has an id (a variant for an id not made yet would be a guess).
    if (key === null) return new Assignment(set, set.control, this.#in.keyFailed ? 'error' : 'unidentified', false, null);
    const assignment = assignByRule(set, key, rules);
    if (enrol && assignment.reason === 'hash') {
      state?.setSticky(set, assignment.variant);
      this.#records?.enrolled(set, assignment.variant);
    }
    return this.#persisted(assignment, enrol);
  }

  /** @internal The exchange the adapter made for this request (the Fastify adapter's onSend finds its pending write by it). */
  get exchange(): HttpExchange {
    return this.#in.exchange;
  }

  /** @internal The Fetch adapter's: a new visitor's exposures wait until the response is known to carry their id (`release`). */
  get exposures(): RequestExposures<Req> {
    return (this.#exposures ??= new RequestExposures(this.#in));
  }

  /** A new anonymous visitor read after the headers went out (no id cookie written before): the id is lost, so not an exposure. */
  #persisted(assignment: Assignment, enrol: boolean): Assignment {
    if (!enrol || !assignment.isExposure || this.#in.newAnonymousId === null || !this.#in.isAnonymous) return assignment;
    if (this.#idWritten || !this.#in.exchange.headersSent()) return assignment;
    const { set, variant, reason, isEligible, key } = assignment;
    return new Assignment(set, variant, reason, isEligible, key, false);
  }

  #resolveMulti(multi: CompiledMulti, enrol: boolean): MultiAssignment {
    if (this.isBot) return new MultiAssignment(multi, null, null, 'bot');
    const whole = multiRulesInForce(this.#setup.config.controls, multi);
    if (whole.disabled || whole.pinned) return settledMulti(multi, whole, null)!;
    const state = this.#stateFor(enrol);
    // A member forced in this request's query beats one forced earlier, which beats the remembered one.
    const query = this.#in.override?.forced;
    let chosen = query ? multi.members.find((m) => query.has(m)) : undefined;
    let reason: MultiAssignment['reason'] = 'forced';
    if (!chosen && state && this.#in.overrideAllowed) chosen = state.forced(multi) as CompiledSet | undefined;
    const remembered = rememberedChoice(state, multi, this.#records) as CompiledSet | undefined;
    if (!chosen && remembered && this.#eligible(remembered) === true) {
      chosen = remembered;
      reason = 'sticky';
    }
    if (!chosen) {
      const key = this.#in.identity(enrol);
      if (key === null) return new MultiAssignment(multi, null, null, this.#in.keyFailed ? 'error' : 'unidentified');
      let failed = false;
      const closed = (member: CompiledSet): boolean => memberClosed(whole, member, rulesInForce(this.#setup.config.controls, member));
      const eligible = (member: CompiledSet): boolean => {
        const ok = this.#eligible(member);
        failed ||= ok === 'error';
        return ok === true;
      };
      const index = chooseMember(multi, key, eligible, closed);
      if (index < 0 || whole.paused.has(multi.members[index]!)) return new MultiAssignment(multi, null, null, failed ? 'error' : 'ineligible');
      chosen = multi.members[index]!;
      reason = 'hash';
    }
    if (enrol && state) {
      if (reason === 'forced') state.setForced(multi, chosen);
      else state.setSticky(multi, chosen);
    }
    if (enrol && reason === 'hash') this.#records?.enrolled(multi, chosen);
    const track = this.#resolveSet(chosen, enrol);
    return new MultiAssignment(multi, chosen.cls, track, reason);
  }

  #eligible(set: CompiledSet): Eligibility {
    // Only sets that check eligibility pay for the per-request memo.
    return set.checksEligibility ? eligibility(set, this.#in, (this.#eligibility ??= new Map<CompiledSet, Eligibility>())) : true;
  }

  /**
   * The cookie as it stands for this request's identity (created on first use). Null with a
   * secret while there is no identity: a peek before the visitor has an id, or a key source failed.
   */
  #stateFor(create: boolean): StickyState | null {
    return this.#state ?? this.#newState(create); // small, so V8 inlines it; the first read's work apart
  }

  #newState(create: boolean): StickyState | null {
    const { config, signer, registry, cookies } = this.#setup;
    const key = this.#in.identity(create);
    if (key === null && signer.signs) return null;
    const snapshot = snapshotOf(this.#in.cookie(config.cookie.name), signer, registry, cookies);
    const state = new StickyState(snapshot, bindingOf(snapshot, key, this.#in.userKey !== null, this.#in, signer), key);
    // A user's request carrying a visitor's cookie: first alias wins, decided before anything is served.
    if (key !== null) decideContinuity(this.#in, state, key);
    // `clear`, and any request where overrides are refused, drops the QA entries from the cookie.
    if (state.hasForced && (this.#in.override?.clear === true || !this.#in.overrideAllowed)) state.clearForced();
    return (this.#state = state);
  }

  #forced(set: CompiledSet, state: StickyState | null): CompiledVariant | undefined {
    if (!this.#in.overrideAllowed) return undefined; // neither the query nor the cookie's forced entries count then
    const fromQuery = this.#in.override?.forced.get(set);
    if (fromQuery) return fromQuery;
    return state ? (state.forced(set) as CompiledVariant | undefined) : undefined;
  }

  #hook(): void {
    if (!this.#hooked) this.#hooked = this.#in.exchange.beforeHeaders(this);
  }

  /** @internal The exchange calls it once, just before the response headers go out (`beforeHeaders`). */
  [WRITE_HEADERS](): void {
    // Bots get nothing written; peeks only make the response private.
    const state = this.isBot || this.#results === null ? null : this.#state;
    const writes = state !== null && state.changed;
    const inputs = this.#in;
    // Logging in: the visitor's choices go to the store too (the alias was claimed before).
    const carrying = writes && state.binding === 'continuity';
    if (carrying) this.#records?.carryOver(state);
    // Only a cookie written (no id without one) needs the sets read: what to keep first when full.
    const pending = writes ? pendingWrite(inputs, state, carrying, setsRead(this.#results, this.#count)) : null;
    this.#idWritten = pending !== null && pending.anonymousId !== null && inputs.isAnonymous;
    writeResponse(this.#setup, inputs.exchange, pending);
  }
}
