// The contract each framework adapter implements: how the engine reads a request and writes back.

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
   * Runs `write` once, just before the response headers are sent; false (and `write` dropped) when
   * they were sent already. Saying so here, not through `headersSent`, spares a framework whose
   * response is costly to read (Express: see adapters/express-exchange.ts) one more read.
   */
  beforeHeaders(write: () => void): boolean;
  /** A response header as set so far. */
  getResponseHeader(name: string): string | string[] | number | undefined;
  /** Sets a response header, replacing it. */
  setResponseHeader(name: string, value: string): void;
  /** Adds a Set-Cookie header, keeping those set by others. */
  appendSetCookie(cookie: string): void;
}
