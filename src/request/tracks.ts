// `req.tracks`: one request's lazy, sticky assignments, exposures and cookie writes.
import { assignByRule, chooseMember, checkEligible } from '../engine/assign.js';
import { Assignment, MultiAssignment, type AssignmentOf } from '../engine/assignment.js';
import type { CompiledMulti, CompiledSet, CompiledVariant } from '../engine/compile.js';
import { TracksError, show } from '../engine/errors.js';
import type { HttpExchange } from './exchange.js';
import { rulesInForce } from './controls.js';
import { RequestInputs } from './inputs.js';
import { writeResponse } from './response-writer.js';
import type { Setup } from './setup.js';
import { StickyState } from './sticky-state.js';
import type { AnySetClass } from '../engine/track-set.js';

type Result = Assignment | MultiAssignment;
type Eligibility = boolean | 'error';

/** What `req.tracks` (`ctx.tracks`, `request.tracks`) offers, whatever the framework. */
export interface Tracks {
  /** The user's assignment to a registered set, enrolled, logged once and remembered. */
  get<S extends AnySetClass>(set: S): AssignmentOf<S>;
  /** What `get` would return, without enrolling, logging or writing anything. */
  peek<S extends AnySetClass>(set: S): AssignmentOf<S>;
  /** The assignments `get` made in this request, in order. */
  assignments(): Array<Assignment | MultiAssignment>;
  /** The key the user is assigned by: from the configured sources, else the anonymous id (null when a source threw). */
  readonly key: string | null;
  /** True when the User-Agent is a crawler's. */
  readonly isBot: boolean;
}

/**
 * The object adapters attach as `req.tracks` (`ctx.tracks`, `request.tracks`). Nothing is read,
 * parsed or assigned until the first `get` or `peek`.
 */
export class RequestTracks<Req = unknown> implements Tracks {
  readonly #setup: Setup<Req>;
  readonly #in: RequestInputs<Req>;
  // Parallel arrays, not a Map: a request reads a handful of sets, and a Map per request costs more.
  #read: Array<CompiledSet | CompiledMulti> | null = null;
  #results: Result[] | null = null;
  #eligibility: Map<CompiledSet, Eligibility> | null = null;
  #state: StickyState | null = null;
  #hooked = false;
  /** True once an enrolled assignment was hashed from the anonymous id: its cookie must be written. */
  #enrolledAnonymous = false;

  /** @internal Adapters create it; user code reads it from the request. */
  constructor(setup: Setup<Req>, exchange: HttpExchange, req: Req) {
    this.#setup = setup;
    this.#in = new RequestInputs(setup, exchange, req);
  }

  /**
   * The user's assignment to `set`: remembered, forced or hashed; logged once per request as an
   * exposure when it counts, and remembered in the cookie.
   * @example const delay = req.tracks.get(DelayTracks); await delay.run(); delay.name
   */
  get<S extends AnySetClass>(set: S): AssignmentOf<S> {
    const compiled = this.#lookup(set);
    const cached = this.#cached(compiled);
    if (cached) return cached as AssignmentOf<S>;
    const result = this.#resolve(compiled, true);
    this.#hook();
    return result as AssignmentOf<S>;
  }

  /** What `get` would return, without enrolling, logging or writing anything. */
  peek<S extends AnySetClass>(set: S): AssignmentOf<S> {
    const compiled = this.#lookup(set);
    return (this.#cached(compiled) ?? this.#resolve(compiled, false)) as AssignmentOf<S>;
  }

  /** The assignments `get` made in this request, in order. */
  assignments(): Result[] {
    return this.#results ? [...this.#results] : [];
  }

  /** The key the user is assigned by: from the configured sources, else the anonymous id (null when a source threw). */
  get key(): string | null {
    return this.#in.key;
  }

  /** True when the User-Agent is a crawler's: bots get control, no cookie and no exposure. */
  get isBot(): boolean {
    return this.#in.isBot;
  }

  #cached(compiled: CompiledSet | CompiledMulti): Result | undefined {
    const read = this.#read;
    if (read === null) return undefined;
    for (let i = 0; i < read.length; i++) if (read[i] === compiled) return this.#results![i];
    return undefined;
  }

  #lookup(set: AnySetClass): CompiledSet | CompiledMulti {
    const compiled = this.#setup.registry.byClass.get(set);
    if (compiled) return compiled;
    const name = typeof set === 'function' ? ((set as { setName?: string }).setName ?? set.name) : show(set);
    throw new TracksError('ERR_TRACKS_UNKNOWN_SET', `set "${name}" is not registered: add it to the list given to tracks([...])`);
  }

  #resolve(compiled: CompiledSet | CompiledMulti, enrol: boolean): Result {
    let result: Result;
    if (compiled.kind === 'multi') result = this.#resolveMulti(compiled, enrol);
    else {
      const parent = this.#setup.registry.parentOf.get(compiled);
      if (parent) {
        const multi = enrol ? this.get(parent.cls) : this.peek(parent.cls);
        // Chosen: its assignment. Another member chosen: excluded. None chosen: the multi's reason (bot, ineligible…).
        const reason = multi.track ? 'excluded' : multi.reason;
        result = multi.track?.set === compiled ? multi.track : new Assignment(compiled, compiled.control, reason, false, null);
      } else result = this.#resolveSet(compiled, enrol);
    }
    if (enrol) {
      (this.#read ??= []).push(compiled);
      (this.#results ??= []).push(result);
      const exposed =
        result instanceof MultiAssignment ? result.track : compiled.kind === 'set' && !this.#setup.registry.parentOf.has(compiled) ? result : null;
      if (exposed instanceof Assignment && exposed.isExposure) this.#expose(exposed, compiled.kind === 'multi' ? compiled.name : null);
    }
    return result;
  }

  #resolveSet(set: CompiledSet, enrol: boolean): Assignment {
    if (this.isBot) return new Assignment(set, set.control, 'bot', false, null);
    // Runtime controls seam (src/request/controls.ts): `rules` is the set as the controls in force
    // change it (disabled, pinned, coverage); assignments still name `set`.
    const rules = rulesInForce(this.#setup.config.controls, set);
    if (rules.disabled || rules.pinned) return assignByRule(set, null, rules);
    const forced = this.#forced(set);
    if (forced) {
      if (enrol) this.#stateNow().setForced(set, forced);
      return new Assignment(set, forced, 'forced', true, this.key);
    }
    const eligible = this.#eligible(set);
    if (eligible !== true) return new Assignment(set, set.control, eligible === 'error' ? 'error' : 'ineligible', false, this.key);
    const remembered = this.#stateNow().sticky(set) as CompiledVariant | undefined;
    if (remembered) return new Assignment(set, remembered, 'sticky', true, this.key);
    const key = this.key;
    // A key source threw and no later one answered: control, rather than a variant for a stand-in key.
    if (key === null) return new Assignment(set, set.control, 'error', false, null);
    const assignment = assignByRule(set, key, rules);
    if (enrol && assignment.reason === 'hash') {
      this.#stateNow().setSticky(set, assignment.variant);
      this.#enrolledAnonymous ||= this.#in.isAnonymous;
    }
    return assignment;
  }

  #resolveMulti(multi: CompiledMulti, enrol: boolean): MultiAssignment {
    if (this.isBot) return new MultiAssignment(multi, null, null, 'bot');
    const state = this.#stateNow();
    // A member forced in this request's query beats one forced earlier, which beats the sticky one.
    const query = this.#in.override?.forced;
    let chosen = query ? multi.members.find((m) => query.has(m)) : undefined;
    let reason: MultiAssignment['reason'] = 'forced';
    if (!chosen && this.#in.overrideAllowed) chosen = state.forced(multi) as CompiledSet | undefined;
    const remembered = state.sticky(multi) as CompiledSet | undefined;
    if (!chosen && remembered && this.#eligible(remembered) === true) {
      chosen = remembered;
      reason = 'sticky';
    }
    if (!chosen) {
      const key = this.key;
      if (key === null) return new MultiAssignment(multi, null, null, 'error');
      let failed = false;
      const index = chooseMember(multi, key, (member) => {
        const ok = this.#eligible(member);
        failed ||= ok === 'error';
        return ok === true;
      });
      if (index < 0) return new MultiAssignment(multi, null, null, failed ? 'error' : 'ineligible');
      chosen = multi.members[index]!;
      reason = 'hash';
    }
    if (enrol) {
      if (reason === 'forced') state.setForced(multi, chosen);
      else state.setSticky(multi, chosen);
      this.#enrolledAnonymous ||= reason === 'hash' && this.#in.isAnonymous;
    }
    const track = this.#resolveSet(chosen, enrol);
    return new MultiAssignment(multi, chosen.cls, track, reason);
  }

  #eligible(set: CompiledSet): Eligibility {
    if (!set.checksEligibility) return true;
    const known = this.#eligibility?.get(set);
    if (known !== undefined) return known;
    let answer: Eligibility;
    const context = this.#in.context;
    if (context.failed) answer = 'error';
    else {
      try {
        answer = checkEligible(set, context.value);
      } catch (error) {
        this.#in.report(error, 'isEligible', set.name);
        answer = 'error';
      }
    }
    (this.#eligibility ??= new Map()).set(set, answer);
    return answer;
  }

  #stateNow(): StickyState {
    if (this.#state === null) {
      const { config, signer, registry, cookies } = this.#setup;
      this.#state = new StickyState(this.#in.cookie(config.cookie.name), signer, registry, cookies);
      if (this.#in.override?.clear) this.#state.clearForced();
    }
    return this.#state;
  }

  #forced(set: CompiledSet): CompiledVariant | undefined {
    const fromQuery = this.#in.override?.forced.get(set);
    if (fromQuery) return fromQuery;
    return this.#in.overrideAllowed ? (this.#stateNow().forced(set) as CompiledVariant | undefined) : undefined;
  }

  #expose(assignment: Assignment, multiSetName: string | null): void {
    const onExposure = this.#setup.config.onExposure;
    if (!onExposure) return;
    try {
      const pending = onExposure({
        setName: assignment.setName,
        variant: assignment.name,
        key: assignment.key,
        runId: assignment.runId,
        reason: assignment.reason,
        firstExposure: assignment.reason !== 'sticky',
        multiSetName,
        maskedSetName: assignment.maskedSetName,
        maskedName: assignment.maskedName,
        assignment,
        req: this.#in.req,
      });
      if (pending && typeof pending.then === 'function')
        pending.then(undefined, (error: unknown) => this.#in.report(error, 'onExposure', assignment.setName));
    } catch (error) {
      this.#in.report(error, 'onExposure', assignment.setName);
    }
  }

  #hook(): void {
    const exchange = this.#in.exchange;
    if (this.#hooked || exchange.headersSent()) return;
    this.#hooked = true;
    exchange.beforeHeaders(() =>
      writeResponse(this.#setup, exchange, {
        state: this.isBot ? null : this.#state,
        anonymousId: this.#enrolledAnonymous && !this.isBot ? this.#in.newAnonymousId : null,
        read: this.#read ?? [],
      }),
    );
  }
}

/** Builds the `tracks` object of one request: what every adapter attaches to its request. */
export function tracksFor<Req>(setup: Setup<Req>, exchange: HttpExchange, req: Req): RequestTracks<Req> {
  return new RequestTracks(setup, exchange, req);
}
