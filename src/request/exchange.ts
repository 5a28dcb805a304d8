// The contract each framework adapter implements: how the engine reads a request and writes back.

/** The method of a request's tracks that an exchange calls to write the response's headers. */
export const WRITE_HEADERS: unique symbol = Symbol('tracks-ab write headers');

/**
 * What an exchange calls, once, just before the response headers go out: the request's tracks
 * themselves, whose method writes the cookies and cache policy (a method under a symbol, not a
 * closure made for each request: one object less to allocate, and nothing user code sees).
 */
export interface HeadersListener {
  [WRITE_HEADERS](): void;
}

/**
 * What the request layer needs from a framework, and nothing more. Each adapter implements it
 * in a few lines over its own request and response objects.
 */
export interface HttpExchange {
  /** A request header by lowercase name (the first value when repeated). */
  header(name: string): string | undefined;
  /** The request target as received: path and query string. */
  url(): string;
  /** The session object, if a session middleware put one on the request. */
  session(): unknown;
  /** True when the request came over HTTPS (as the framework sees it, proxies included). */
  isSecure(): boolean;
  /** True once the response headers went out: nothing can be written after that. */
  headersSent(): boolean;
  /**
   * Calls `listener[WRITE_HEADERS]()` once, just before the response headers are sent; false (and
   * `listener` dropped) when they were sent already. Saying so here, not through `headersSent`,
   * spares a framework whose response is costly to read (Express: see adapters/express-exchange.ts) one more read.
   */
  beforeHeaders(listener: HeadersListener): boolean;
  /** A response header as set so far. */
  getResponseHeader(name: string): string | string[] | number | undefined;
  /** Sets a response header, replacing it. */
  setResponseHeader(name: string, value: string): void;
  /** Adds a Set-Cookie header, keeping those set by others. */
  appendSetCookie(cookie: string): void;
}
