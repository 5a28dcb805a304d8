// The parts of the request contract that Express and Koa share: both sit on Node's ServerResponse.
import { OutgoingMessage, ServerResponse, type IncomingMessage } from 'node:http';
import { beforeWriteHead, type HeadWatcher } from './before-write-head.js';
import type { HttpExchange } from '../src/index.js';
import { WRITE_HEADERS, type HeadersListener } from '../src/request/adapter-kit.js';

// eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
const { getHeader: nodeGetHeader, setHeader: nodeSetHeader } = OutgoingMessage.prototype;

/**
 * The symbol under which Node keeps a response's headers (its `kOutHeaders`: null, or an object
 * without prototype from each lower-case name to `[name as set, value]`), found once on a probe
 * response and checked to behave so; null where Node keeps them otherwise (the public API then).
 * Why: `getHeader` and `setHeader` lower-case the name and check the name and the value by regular
 * expression, about 1,100 instructions for the one `Cache-Control: private` a request writes.
 */
export const OUT_HEADERS = findHeaderStore();

function findHeaderStore(): symbol | null {
  try {
    const probe = new ServerResponse({ method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage);
    const symbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kOutHeaders');
    const store = (): Record<string, unknown> | null => (probe as unknown as Record<symbol, Record<string, unknown> | null>)[symbol!]!;
    if (symbol === undefined || store() !== null) return null;
    probe.setHeader('Cache-Control', 'no-cache');
    const held = store();
    if (held === null || Object.getPrototypeOf(held) !== null) return null;
    const entry = held['cache-control'];
    if (!Array.isArray(entry) || entry[0] !== 'Cache-Control' || entry[1] !== 'no-cache') return null;
    held['cache-control'] = ['cache-control', 'private'];
    return probe.getHeader('Cache-Control') === 'private' && probe.getHeaderNames().join() === 'cache-control' ? symbol : null;
  } catch {
    return null;
  }
}

type HeaderStore = Record<string, [string, unknown] | undefined>;
type Stored = ServerResponse & Record<symbol, HeaderStore | null> & { _header?: unknown };

/** `response.getHeader(name)` for a lower-case name; without its check that the name is a string and its lower-casing when it is Node's own. */
export function responseHeader(response: ServerResponse, name: string): string | string[] | number | undefined {
  if (OUT_HEADERS === null || response.getHeader !== nodeGetHeader) return response.getHeader(name);
  const held = (response as Stored)[OUT_HEADERS]!;
  return held === null ? undefined : (held[name]?.[1] as string | string[] | number | undefined);
}

/** Reads a Node request and writes a Node response; subclasses say where the session and HTTPS flag are. */
export abstract class NodeExchange implements HttpExchange, HeadWatcher {
  // Declared, not class fields: with no field to define, a subclass's `new` (once a request) is
  // inlined where it is made; class fields cost about 450 instructions a request on Koa.
  declare protected readonly request: IncomingMessage;
  declare protected readonly response: ServerResponse;
  /** The request's tracks, until their headers are written. */
  declare protected listener: HeadersListener | null;

  constructor(request: IncomingMessage, response: ServerResponse) {
    this.request = request;
    this.response = response;
    this.listener = null;
  }

  abstract url(): string;
  abstract session(): unknown;
  abstract isSecure(): boolean;

  header(name: string): string | undefined {
    // Node's getter builds the headers object on the first read and returns it after.
    const value = this.request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  headersSent(): boolean {
    return this.response.headersSent;
  }

  beforeHeaders(listener: HeadersListener): boolean {
    if (this.response.headersSent) return false;
    // The listener runs inside writeHead, the last moment headers can change.
    this.listener = listener;
    beforeWriteHead(this.response, this);
    return true;
  }

  /** @internal For `beforeWriteHead`: the request's headers are still to write. */
  pending(): boolean {
    return this.listener !== null;
  }

  /** @internal For `beforeWriteHead`: writes them, once. */
  headersDue(): void {
    const listener = this.listener;
    this.listener = null;
    listener?.[WRITE_HEADERS]();
  }

  getResponseHeader(name: string): string | string[] | number | undefined {
    return responseHeader(this.response, name);
  }

  setResponseHeader(name: string, value: string): void {
    const response = this.response;
    // `Cache-Control: private`, the one header a returning visitor's request writes, is known valid:
    // stored as Node's setHeader stores it (after its checks), when the response's setHeader is Node's own.
    // `_header`, what setHeader checks itself: the `headersSent` getter is one more lookup up the prototypes (Express: a miss of V8's caches).
    if (
      name !== 'cache-control' ||
      value !== 'private' ||
      OUT_HEADERS === null ||
      response.setHeader !== nodeSetHeader ||
      (response as Stored)._header
    ) {
      response.setHeader(name, value);
      return;
    }
    const stored = response as Stored;
    (stored[OUT_HEADERS] ??= Object.create(null) as HeaderStore)[name] = [name, value];
  }

  appendSetCookie(cookie: string): void {
    const current = this.response.getHeader('set-cookie');
    const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
    this.response.setHeader('set-cookie', [...list, cookie]);
  }
}
