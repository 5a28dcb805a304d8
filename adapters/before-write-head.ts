// Runs a listener once, just before a Node response writes its headers: on-headers' contract, without its cost on the common path.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** A response's `writeHead`, called with the response as `this`. */
export type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

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
export function writeHeadAfter(res: ServerResponse, original: WriteHead, args: readonly unknown[], listener: () => void): ServerResponse {
  const statusCode = args[0] as number;
  if (args.length === 1) {
    // Node's own call (`_implicitHeader`): the same as below with neither a reason nor headers, minus
    // two arrays, a spread and both reads of `statusCode` (each a miss of V8's caches on Express's
    // response): tracks-ab's listeners write cookies and Cache-Control, never read or set the status.
    listener();
    return original.call(res, statusCode);
  }
  const at = typeof args[1] === 'string' ? 2 : 1;
  const headers = args[at] as OutgoingHttpHeaders | unknown[] | undefined | null;
  const rest: unknown[] = at === 2 ? [args[1]] : [];
  if (headers !== undefined && headers !== null && typeof headers === 'object') moveHeaders(res, headers);
  else if (headers !== undefined) rest.push(headers);
  // Set only when it differs: an own statusCode on an Express response is one more new map (express-exchange.ts).
  if (res.statusCode !== statusCode) res.statusCode = statusCode;
  listener();
  // The listener may have changed the status code: pass the one the response holds now (its default message).
  return res.statusCode === statusCode ? original.call(res, statusCode, ...rest) : original.call(res, res.statusCode);
}

/**
 * Calls `listener` once, inside the response's `writeHead`, the last moment its headers can
 * change (see `writeHeadAfter`). Unlike `on-headers`, the wrapper does nothing on the common path
 * once it has fired or when `pending()` says there is nothing left to write (Fastify's onSend
 * already wrote): `writeHead` then gets its arguments untouched, so a framework that hands its
 * headers to `writeHead` in one object (Fastify) keeps Node's fast path instead of a `setHeader`
 * call per header.
 */
export function beforeWriteHead(res: ServerResponse, listener: () => void, pending?: () => boolean): void {
  // Called with the response as `this`, as Node (or an outer wrapper) calls the wrapper.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called through .apply(this) below
  const original = res.writeHead as WriteHead;
  let fired = false;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (fired || (pending !== undefined && !pending())) {
      fired = true;
      return original.apply(this, args);
    }
    fired = true;
    return writeHeadAfter(this, original, args, listener);
  };
}
