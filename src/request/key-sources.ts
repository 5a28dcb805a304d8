// Reads the user's key from the configured sources, in order.
import type { KeySource } from './options.js';
import type { HttpExchange } from './exchange.js';
import { checkKey } from '../engine/key-rule.js';
import { serializeKey } from '../engine/serialize-key.js';
import { syncAnswer } from '../engine/thenable.js';
import { detached } from '../bounded/memo.js';

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Follows a dotted path into a session, through own data only. */
function fromSession(session: unknown, path: string): unknown {
  let value = session;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || UNSAFE.has(part)) return undefined;
    const record = value as Record<string, unknown> & { get?: (name: string) => unknown };
    // @fastify/session keeps values behind get(); express-session and koa-session as properties.
    value = Object.prototype.hasOwnProperty.call(record, part) ? record[part] : typeof record.get === 'function' ? record.get(part) : undefined;
  }
  return value;
}

/** What `readKey` needs from the request besides the exchange: cookies, and where to report. */
export interface KeyReader {
  cookie(name: string): string | undefined;
  /** A source threw, or gave a value that cannot be serialised. */
  keySourceFailed(error: unknown): void;
}

/**
 * The first source that yields a value, serialised; null when none does. Empty strings from a
 * cookie, header or session count as absent. A source that throws, answers with a promise,
 * yields a value that cannot be serialised, or one the key rule refuses (`keyProblem`: a NUL,
 * an unpaired surrogate, over `MAX_KEY_LENGTH`), is reported (`ERR_TRACKS_INVALID_KEY`) and skipped.
 */
export function readKey<Req>(sources: readonly KeySource<Req>[], exchange: HttpExchange, reader: KeyReader, req: Req): string | null {
  // Indexed, not for-of: no iterator per request.
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    let value: unknown;
    try {
      // A promise is not a key (serialised, it would be "{}" for everyone): the source fails instead.
      if (typeof source === 'function') value = syncAnswer(source(req), 'key');
      else if ('cookie' in source) {
        // Cut from the Cookie header: kept past the request (the memos, the store's cache, the
        // exposure log), a slice would keep the whole header (`detached`).
        const cookie = reader.cookie(source.cookie);
        value = cookie === undefined ? undefined : detached(cookie);
      } else if ('header' in source) value = exchange.header(source.header);
      else value = fromSession(exchange.session(), source.session);
      if (value === undefined || value === null || value === '') continue;
      // The one key rule: a key no database can hold as itself is no identity (engine/key-rule.ts).
      return checkKey(serializeKey(value));
    } catch (error) {
      reader.keySourceFailed(error);
    }
  }
  return null;
}
