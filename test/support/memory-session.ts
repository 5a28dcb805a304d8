// A minimal in-memory session for test apps on runtimes without a session middleware (node:http, Fetch).
import { randomUUID } from 'node:crypto';

/** Sessions by the id in a `sid` cookie: plain objects, as express-session keeps them. */
export class MemorySessions {
  readonly #sessions = new Map<string, Record<string, unknown>>();

  /** The session a Cookie header points to, if any. */
  find(cookieHeader: string | null | undefined): Record<string, unknown> | undefined {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(cookieHeader ?? '')?.[1];
    return sid === undefined ? undefined : this.#sessions.get(sid);
  }

  /** Starts a session holding `data`; returns the Set-Cookie header that carries it. */
  start(data: Record<string, unknown>): string {
    const sid = randomUUID();
    this.#sessions.set(sid, data);
    return `sid=${sid}; Path=/; HttpOnly`;
  }
}
