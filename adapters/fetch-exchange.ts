// The Fetch API side of the request contract, shared by the plain wrapper and the Hono middleware.
import type { AnySetClass, Options, Tracks } from '../src/index.js';
import {
  beginRequest,
  createSetup,
  functionOption,
  UNPREPARED_SIGNER,
  WebCryptoSigner,
  WRITE_HEADERS,
  type HeadersListener,
  type HttpExchange,
} from '../src/request/adapter-kit.js';

/** Options of the Fetch adapters: the shared options, and where the session is, if the app has one. */
export interface FetchTracksOptions<Req> extends Options<Req> {
  /**
   * Returns the session object that `{ session: 'path' }` key sources read (own properties, or a
   * `get(name)` method). The Fetch API has no session of its own; Hono's default reads
   * `c.get('session')`.
   */
  session?: (req: Req) => unknown;
}

/** One request in flight: its tracks, and how to finish the handler's response. */
export interface TracksRun {
  readonly tracks: Tracks;
  /** Adds the Set-Cookie and Cache-Control headers the request needs (a copy when headers are immutable). */
  finish(response: Response): Promise<Response>;
}

/** Reads a Fetch `Request`; collects what the request layer writes until the handler's `Response` exists. */
class FetchExchange implements HttpExchange {
  #listener: HeadersListener | null = null;
  #sent = false;
  #response: Response | null = null;
  readonly cookies: string[] = [];
  readonly headers = new Map<string, string>();

  constructor(
    private readonly request: Request,
    private readonly sessionOf: () => unknown,
  ) {}

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }

  url(): string {
    const url = this.request.url;
    const path = url.indexOf('/', url.indexOf('//') + 2);
    return path < 0 ? '/' : url.slice(path);
  }

  session(): unknown {
    return this.sessionOf();
  }

  isSecure(): boolean {
    // What the runtime saw: Workers and Deno Deploy see https; behind a proxy, set cookie.secure.
    return this.request.url.startsWith('https:');
  }

  headersSent(): boolean {
    return this.#sent;
  }

  beforeHeaders(listener: HeadersListener): boolean {
    if (this.#sent) return false;
    this.#listener = listener;
    return true;
  }

  getResponseHeader(name: string): string | undefined {
    return this.headers.get(name) ?? this.#response?.headers.get(name) ?? undefined;
  }

  setResponseHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  appendSetCookie(cookie: string): void {
    this.cookies.push(cookie);
  }

  /** Runs the pending write against `response`; from then on, nothing more can be written. */
  collect(response: Response): void {
    const listener = this.#listener;
    this.#listener = null;
    this.#response = response;
    this.#sent = true;
    listener?.[WRITE_HEADERS]();
  }
}

function applyHeaders(headers: Headers, cookies: readonly string[], set: ReadonlyMap<string, string>): void {
  for (const [name, value] of set) headers.set(name, value);
  for (const cookie of cookies) headers.append('set-cookie', cookie);
}

/**
 * The response with the headers added: in place when its headers are mutable, else as a new
 * Response over the same body stream (a `fetch()` result, `Response.redirect`). A response that
 * cannot be rebuilt either (a 101 upgrade, `Response.error()`) gives null: it goes out as it is,
 * without the cookies.
 */
function withHeaders(response: Response, cookies: readonly string[], set: ReadonlyMap<string, string>): Response | null {
  try {
    applyHeaders(response.headers, cookies, set);
    return response;
  } catch {
    // Immutable headers: the first change threw, so nothing was applied.
  }
  // The Response constructor takes 200-599 only (a 101 upgrade, Response.error()'s 0 cannot be rebuilt).
  if (response.status < 200 || response.status > 599) return null;
  try {
    // Headers of our own, changed before the copy is made: @hono/node-server's Response would keep the immutable ones.
    const headers = new Headers(response.headers);
    applyHeaders(headers, cookies, set);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  } catch {
    return null;
  }
}

/**
 * Validates the options once and returns `begin(request, req)`, which prepares one request:
 * the Web Crypto verification of its cookies (and the identity tags they are bound to) happens
 * here, before the handler, so that `get` stays synchronous; tags and signatures of new cookies
 * are made in `finish`, after the handler.
 */
export function fetchTracks<Req>(
  sets: readonly AnySetClass[],
  options: FetchTracksOptions<Req> | undefined,
  defaultSession: (req: Req) => unknown,
): (request: Request, req: Req) => Promise<TracksRun> {
  const { session = defaultSession, ...shared } = options ?? {};
  functionOption('session', session, 'expected a function of the request');
  const setup = createSetup<Req>(sets, shared, () => UNPREPARED_SIGNER);
  const web = new WebCryptoSigner(setup.config.cookie.secrets);
  return async function begin(request: Request, req: Req): Promise<TracksRun> {
    const exchange = new FetchExchange(request, () => session(req));
    // The step before the handler: Web Crypto verification (and, with a store, the user's records).
    const prepared = beginRequest(setup, exchange, req, web);
    await prepared.ready;
    // A new visitor is exposed only if the handler's Response can carry their id cookie.
    prepared.tracks.exposures.hold();
    return {
      tracks: prepared.tracks,
      async finish(response: Response): Promise<Response> {
        exchange.collect(response);
        if (exchange.cookies.length === 0 && exchange.headers.size === 0) {
          prepared.tracks.exposures.release(true);
          return response;
        }
        const cookies = await Promise.all(exchange.cookies.map((cookie) => prepared.seal(cookie)));
        const carried = withHeaders(response, cookies, exchange.headers);
        prepared.tracks.exposures.release(carried !== null);
        return carried ?? response;
      },
    };
  };
}
