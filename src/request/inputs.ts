// What one request tells tracks-ab, each read lazily and once: cookies, identity, bot, context, override.
import { TracksError } from '../engine/errors.js';
import { callSafely, syncAnswer } from '../engine/thenable.js';
import { readCookie } from '../cookies/read-cookie.js';
import { carriedId, newAnonymousId, type CarriedId } from '../cookies/anonymous-id.js';
import type { ErrorSource } from './events.js';
import { readKey, type KeyReader } from './key-sources.js';
import { OVERRIDE_HEADER, overrideHeader, parseOverrideQuery, type OverrideRequest } from './override.js';
import type { HttpExchange } from './exchange.js';
import type { Setup } from './setup.js';

/** User-Agents up to this length are memoised; longer ones are rare and checked each time. */
const MEMO_USER_AGENT_LENGTH = 512;

/**
 * The request's inputs. Every reader runs at most once per request, and user code that throws or
 * answers with a promise (key functions, `context`, `override.allow`, a bot detector) is reported
 * to `onError`, never thrown into the request.
 */
export class RequestInputs<Req> implements KeyReader {
  /** The Cookie header (null until read; '' when absent), and the two cookies read from it (names null until read). */
  #cookieHeader: string | null = null;
  #name0: string | null = null;
  #value0: string | undefined = undefined;
  #name1: string | null = null;
  #value1: string | undefined = undefined;
  #userKey: string | null | undefined;
  #keyFailed = false;
  #carried: CarriedId | undefined;
  #freshId: string | null = null;
  #bot: boolean | undefined;
  #context: { value: unknown; failed: boolean } | undefined;
  #allowed: boolean | undefined;
  #override: OverrideRequest | null | undefined;

  constructor(
    readonly setup: Setup<Req>,
    readonly exchange: HttpExchange,
    readonly req: Req,
  ) {}

  /**
   * A request cookie's value. Only the cookies asked for are read (a request asks for two at most:
   * the sticky cookie and the anonymous id, kept in fields, not an array), each once, without
   * parsing the rest of the header; a third name (a key source's cookie) is read each time.
   */
  cookie(name: string): string | undefined {
    if (name === this.#name0) return this.#value0;
    if (name === this.#name1) return this.#value1;
    this.#cookieHeader ??= this.exchange.header('cookie') ?? '';
    const value = this.#cookieHeader === '' ? undefined : readCookie(this.#cookieHeader, name);
    if (this.#name0 === null) {
      this.#name0 = name;
      this.#value0 = value;
    } else if (this.#name1 === null) {
      this.#name1 = name;
      this.#value1 = value;
    }
    return value;
  }

  /** @internal Called by `readKey` when a key source throws or answers with a promise. */
  keySourceFailed(error: unknown): void {
    this.#keyFailed = true;
    this.report(error, 'key', null);
  }

  /** The key from the configured sources (a *user*), or null when none answered. */
  get userKey(): string | null {
    // Each reader here is split so: a small getter V8 inlines where it is read (several times a
    // request), and the first read's work in a method of its own.
    const key = this.#userKey;
    return key !== undefined ? key : this.#readUserKey();
  }

  #readUserKey(): string | null {
    return (this.#userKey = readKey(this.setup.config.keys, this.exchange, this, this.req));
  }

  /** True when a key source failed and none after it answered: who this is, is unknown. */
  get keyFailed(): boolean {
    return this.userKey === null && this.#keyFailed;
  }

  /** The verified anonymous-id cookie this request carried (a user's request may carry one too). */
  get carried(): CarriedId {
    if (this.#carried === undefined) {
      const { config, signer, ids } = this.setup;
      this.#carried = carriedId(this.cookie(config.cookie.anonymousName), signer, ids);
    }
    return this.#carried;
  }

  /**
   * The request's identity: the user key, else the carried anonymous id, else (when `create`) a
   * new anonymous id. Null when a key source failed, or when there is none and `create` is false.
   */
  identity(create: boolean): string | null {
    const user = this.userKey;
    if (user !== null) return user;
    if (this.#keyFailed) return null;
    const id = this.carried.id ?? this.#freshId;
    if (id !== null || !create) return id;
    return (this.#freshId = newAnonymousId());
  }

  /** The identity, creating an anonymous id if needed; null when a key source failed. */
  get key(): string | null {
    return this.identity(true);
  }

  /** True when the identity is (or will be) an anonymous id. */
  get isAnonymous(): boolean {
    return this.userKey === null && !this.#keyFailed;
  }

  /** The anonymous id this request created (its cookie must be written to keep it), else null. */
  get newAnonymousId(): string | null {
    return this.#freshId;
  }

  /**
   * True when the request is treated as a crawler's: detection applies to anonymous requests (or
   * to all, with `bots.scope: 'all'`); there, a request without a User-Agent is a bot, and
   * verdicts by User-Agent are memoised across requests.
   */
  get isBot(): boolean {
    const bot = this.#bot;
    return bot !== undefined ? bot : this.#readBot();
  }

  #readBot(): boolean {
    const { detect, scope } = this.setup.config.bots;
    // With the default scope, a user (a key from the sources) is never a bot: the key is read first,
    // as every request that reads a set reads it anyway, so a user's User-Agent is not even looked
    // up (hashing a fresh 100-character string costs more than the rest of a remembered `get`).
    return (this.#bot = detect !== null && (scope === 'all' || this.userKey === null) && this.#looksLikeBot(detect));
  }

  #looksLikeBot(detect: (userAgent: string) => boolean): boolean {
    const userAgent = this.exchange.header('user-agent') ?? '';
    if (userAgent.trim() === '') return true;
    const memoise = userAgent.length <= MEMO_USER_AGENT_LENGTH;
    const known = memoise ? this.setup.bots.get(userAgent) : undefined;
    if (known !== undefined) return known;
    try {
      const verdict = syncAnswer(detect(userAgent), 'bots') === true;
      if (memoise) this.setup.bots.set(userAgent, verdict);
      return verdict;
    } catch (error) {
      this.report(error, 'bots', null);
      return false;
    }
  }

  /** The `context` option's result; `failed` when it threw or answered with a promise. */
  get context(): { value: unknown; failed: boolean } {
    if (this.#context === undefined) {
      const build = this.setup.config.context;
      try {
        this.#context = { value: build ? syncAnswer(build(this.req), 'context') : undefined, failed: false };
      } catch (error) {
        this.report(error, 'context', null);
        this.#context = { value: undefined, failed: true };
      }
    }
    return this.#context;
  }

  /** Whether this request may force variants (`override.allow`); false when it failed. */
  get overrideAllowed(): boolean {
    const allowed = this.#allowed;
    return allowed !== undefined ? allowed : this.#readAllowed();
  }

  #readAllowed(): boolean {
    const override = this.setup.config.override;
    try {
      return (this.#allowed = override !== null && syncAnswer(override.allow(this.req), 'override.allow') === true);
    } catch (error) {
      this.report(error, 'override.allow', null);
      return (this.#allowed = false);
    }
  }

  /** What the query's override parameter asks for, where allowed; null otherwise. */
  get override(): OverrideRequest | null {
    if (this.#override === undefined) {
      const override = this.setup.config.override;
      this.#override = override && this.overrideAllowed ? parseOverrideQuery(this.exchange.url(), override.param, this.setup.registry) : null;
      if (this.#override !== null) this.#tellOverride(this.#override);
    }
    return this.#override;
  }

  /** A QA override's refused entries go to `onError` (`ERR_TRACKS_UNKNOWN_OVERRIDE`); the response says what was applied and refused. */
  #tellOverride(request: OverrideRequest): void {
    for (const { entry, problem } of request.refused) {
      const setName = entry.includes(':') ? entry.slice(0, entry.indexOf(':')) : null;
      this.report(new TracksError('ERR_TRACKS_UNKNOWN_OVERRIDE', `override "${entry}" is refused: ${problem}`), 'override', setName);
    }
    if (!this.exchange.headersSent()) this.exchange.setResponseHeader(OVERRIDE_HEADER, overrideHeader(request));
  }

  /**
   * Hands an error from user code to `onError`, which itself must not break the request: a throw
   * is swallowed, and so is the rejection of a promise it returns.
   */
  report(error: unknown, where: ErrorSource, setName: string | null): void {
    // An onError that throws or rejects must not turn the request into a 500 either.
    callSafely(() => this.setup.config.onError(error, { where, setName, req: this.req }));
  }
}
