// What one request tells tracks-ab, each read lazily and once: cookies, key, bot, context, override.
import { parse as parseCookieHeader } from 'cookie';
import type { ErrorSource } from './events.js';
import { readKey, type KeyReader } from './key-sources.js';
import { parseOverrideQuery, type OverrideRequest } from './override.js';
import type { HttpExchange } from './exchange.js';
import type { Setup } from './setup.js';

/** A valid anonymous id: what this library generates (a UUID) or any similar opaque token. */
const ANONYMOUS_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** User-Agents up to this length are memoised; longer ones are rare and checked each time. */
const MEMO_USER_AGENT_LENGTH = 512;

/**
 * The request's inputs. Every reader runs at most once per request, and user code that throws
 * (key functions, `context`, `override.allow`, a bot detector) is reported to `onError`, never
 * thrown into the request.
 */
export class RequestInputs<Req> implements KeyReader {
  #cookies: Record<string, string | undefined> | null = null;
  #key: string | null | undefined;
  #keyFailed = false;
  #anonymousId: string | null = null;
  #anonymousIsNew = false;
  #bot: boolean | undefined;
  #context: { value: unknown; failed: boolean } | undefined;
  #allowed: boolean | undefined;
  #override: OverrideRequest | null | undefined;

  constructor(
    readonly setup: Setup<Req>,
    readonly exchange: HttpExchange,
    readonly req: Req,
  ) {}

  /** A request cookie's value; the Cookie header is parsed once. */
  cookie(name: string): string | undefined {
    if (this.#cookies === null) {
      const header = this.exchange.header('cookie');
      this.#cookies = header ? parseCookieHeader(header) : {};
    }
    return this.#cookies[name];
  }

  /** @internal Called by `readKey` when a key source throws. */
  keySourceFailed(error: unknown): void {
    this.#keyFailed = true;
    this.report(error, 'key', null);
  }

  /** The key from the configured sources, else the anonymous id; null when a source threw. */
  get key(): string | null {
    if (this.#key === undefined) {
      this.#key = readKey(this.setup.config.keys, this.exchange, this, this.req);
    }
    // A source that threw means the user's real key is unknown: no anonymous id stands in for it.
    return this.#key ?? (this.#keyFailed ? null : this.#anonymous());
  }

  /** True when the key is the anonymous id. */
  get isAnonymous(): boolean {
    return this.key !== null && this.#key === null;
  }

  /** The anonymous id when this request created it (its cookie must be written), else null. */
  get newAnonymousId(): string | null {
    return this.#anonymousIsNew ? this.#anonymousId : null;
  }

  #anonymous(): string {
    if (this.#anonymousId === null) {
      const given = this.cookie(this.setup.config.cookie.anonymousName);
      if (given !== undefined && ANONYMOUS_ID.test(given)) this.#anonymousId = given;
      else {
        this.#anonymousId = globalThis.crypto.randomUUID();
        this.#anonymousIsNew = true;
      }
    }
    return this.#anonymousId;
  }

  /** True when the User-Agent is a crawler's (verdicts memoised across requests). */
  get isBot(): boolean {
    if (this.#bot === undefined) {
      const detect = this.setup.config.isBot;
      if (detect === null) return (this.#bot = false);
      const userAgent = this.exchange.header('user-agent') ?? '';
      const memoise = userAgent.length <= MEMO_USER_AGENT_LENGTH;
      const known = memoise ? this.setup.bots.get(userAgent) : undefined;
      if (known !== undefined) return (this.#bot = known);
      try {
        this.#bot = detect(userAgent) === true;
        if (memoise) this.setup.bots.set(userAgent, this.#bot);
      } catch (error) {
        this.report(error, 'bots', null);
        this.#bot = false;
      }
    }
    return this.#bot;
  }

  /** The `context` option's result; `failed` when it threw. */
  get context(): { value: unknown; failed: boolean } {
    if (this.#context === undefined) {
      const build = this.setup.config.context;
      try {
        this.#context = { value: build ? build(this.req) : undefined, failed: false };
      } catch (error) {
        this.report(error, 'context', null);
        this.#context = { value: undefined, failed: true };
      }
    }
    return this.#context;
  }

  /** Whether this request may force variants (`override.allow`). */
  get overrideAllowed(): boolean {
    if (this.#allowed === undefined) {
      const override = this.setup.config.override;
      try {
        this.#allowed = override !== null && override.allow(this.req) === true;
      } catch (error) {
        this.report(error, 'override.allow', null);
        this.#allowed = false;
      }
    }
    return this.#allowed;
  }

  /** What the query's override parameter asks for, where allowed; null otherwise. */
  get override(): OverrideRequest | null {
    if (this.#override === undefined) {
      const override = this.setup.config.override;
      this.#override = override && this.overrideAllowed ? parseOverrideQuery(this.exchange.url(), override.param, this.setup.registry) : null;
    }
    return this.#override;
  }

  /** Hands an error from user code to `onError`, which itself must not break the request. */
  report(error: unknown, where: ErrorSource, setName: string | null): void {
    try {
      this.setup.config.onError(error, { where, setName, req: this.req });
    } catch {
      // An onError that throws must not turn the request into a 500 either.
    }
  }
}
