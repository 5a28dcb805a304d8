// Runs a listener once, just before a Node response writes its headers: on-headers' contract, without its cost on the common path.
import { ServerResponse, type OutgoingHttpHeaders } from 'node:http';

/** A response's `writeHead`, called with the response as `this`. */
export type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** Who is told just before a response writes its headers: an adapter's exchange. */
export interface HeadWatcher {
  /** False when nothing is left to write (Fastify's onSend wrote already): `writeHead` then runs untouched. */
  pending(): boolean;
  /** Writes what is pending; called at most once through `beforeWriteHead`. */
  headersDue(): void;
}

/** Puts headers given to `writeHead` itself on the response, so the listener sees (and may change) them. */
function moveHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | ReadonlyArray<unknown>): void {
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as ReadonlyArray<readonly [string, string]>) res.setHeader(pair[0], pair[1]);
      return;
    }
    if (headers.length % 2 !== 0) throw new TypeError('headers array is malformed');
    for (let i = 0; i < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as string);
    return;
  }
  for (const name of Object.keys(headers)) {
    const value = (headers as OutgoingHttpHeaders)[name];
    if (name && value !== undefined) res.setHeader(name, value);
  }
}

/**
 * Calls `original` (a `writeHead`) with `args` as `writeHead` was called, after `listener`: what
 * the `on-headers` package does (status code set first, headers passed to `writeHead` moved onto
 * the response first, a status code the listener changed passed on); with the status code alone,
 * for a listener that neither reads nor sets it (tracks-ab's), just the listener, then `original`.
 */
export function writeHeadAfter(res: ServerResponse, original: WriteHead, args: readonly unknown[], listener: HeadWatcher): ServerResponse {
  const statusCode = args[0] as number;
  if (args.length === 1) {
    // Node's own call (`_implicitHeader`): the same as below with neither a reason nor headers, minus
    // two arrays, a spread and both reads of `statusCode` (each a miss of V8's caches on Express's
    // response): tracks-ab's listeners write cookies and Cache-Control, never read or set the status.
    listener.headersDue();
    return original.call(res, statusCode);
  }
  // writeHead(status, reason, headers), and writeHead(status, undefined, headers), which Node reads as the same.
  const at = typeof args[1] === 'string' || (args[1] === undefined && args.length > 2) ? 2 : 1;
  const headers = args[at] as OutgoingHttpHeaders | unknown[] | undefined | null;
  const rest: unknown[] = at === 2 ? [args[1]] : [];
  if (headers !== undefined && headers !== null && typeof headers === 'object') moveHeaders(res, headers);
  else if (headers !== undefined) rest.push(headers);
  // Set only when it differs: an own statusCode on an Express response is one more new map (express-exchange.ts).
  if (res.statusCode !== statusCode) res.statusCode = statusCode;
  listener.headersDue();
  // The listener may have changed the status code: pass the one the response holds now (its default message).
  return res.statusCode === statusCode ? original.call(res, statusCode, ...rest) : original.call(res, res.statusCode);
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- called through .apply(this) below
const nodeWriteHead = ServerResponse.prototype.writeHead as WriteHead;
/** A response's watcher, while `watchedWriteHead` is its `writeHead`; null once it fired. */
const kWatcher = Symbol('tracks-ab head watcher');
type Watched = ServerResponse & { [kWatcher]?: HeadWatcher | null };

/**
 * The `writeHead` of a response that had Node's own: one function for every response, its watcher
 * on the response. Node's writeHead reads its arguments by value (an undefined one is as good as
 * none), so they are named, not gathered: no array for the call every response makes, `writeHead(statusCode)`.
 */
function watchedWriteHead(this: Watched, statusCode: number, reason?: unknown, headers?: unknown): ServerResponse {
  const watcher = this[kWatcher];
  if (watcher === undefined || watcher === null || !watcher.pending()) return nodeWriteHead.call(this, statusCode, reason, headers);
  this[kWatcher] = null;
  if (reason === undefined && headers === undefined) {
    watcher.headersDue();
    return nodeWriteHead.call(this, statusCode);
  }
  return writeHeadAfter(this, nodeWriteHead, headers === undefined ? [statusCode, reason] : [statusCode, reason, headers], watcher);
}

/**
 * Calls `watcher.headersDue()` once, inside the response's `writeHead`, the last moment its headers
 * can change (see `writeHeadAfter`). Unlike `on-headers`, the wrapper does nothing on the common
 * path once it has fired or when `watcher.pending()` says there is nothing left to write (Fastify's
 * onSend already wrote): `writeHead` then gets its arguments untouched, so a framework that hands its
 * headers to `writeHead` in one object (Fastify) keeps Node's fast path instead of a `setHeader`
 * call per header. A response with Node's own `writeHead` gets one shared function and its watcher
 * under a symbol, no closure (a request's allocations cost it more than their instructions:
 * bench/README.md); one already wrapped (by another middleware) gets a closure around that wrapper.
 */
export function beforeWriteHead(res: ServerResponse, watcher: HeadWatcher): void {
  const watched = res as Watched;
  if (res.writeHead === nodeWriteHead && watched[kWatcher] === undefined) {
    watched[kWatcher] = watcher;
    res.writeHead = watchedWriteHead;
    return;
  }
  // Called with the response as `this`, as Node (or an outer wrapper) calls the wrapper.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called through .apply(this) below
  const original = res.writeHead as WriteHead;
  let fired = false;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (fired || !watcher.pending()) {
      fired = true;
      return original.apply(this, args);
    }
    fired = true;
    return writeHeadAfter(this, original, args, watcher);
  };
}
