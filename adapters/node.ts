// Plain node:http, and anything built on IncomingMessage and ServerResponse (Connect, Polka, serverless handlers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AnySetClass, Options, Tracks } from '../src/index.js';
import { beginRequest, booleanOption, createSetup } from '../src/request/adapter-kit.js';
import { NodeExchange } from './node-exchange.js';

/**
 * A request the adapter ran on: it carries `tracks`, for Connect-style middleware further down.
 * (No global augmentation of IncomingMessage: Express's Request extends it and declares its own.)
 */
export type TracksRequest = IncomingMessage & { tracks: Tracks };

/** Options of the node:http adapter: the shared options, with Node's `IncomingMessage` in callbacks. */
export interface NodeTracksOptions extends Options<IncomingMessage> {
  /**
   * Trust `X-Forwarded-Proto` (its first value) to tell HTTPS, for the `Secure` attribute: only
   * behind a proxy that sets it. Default false: HTTPS is the socket's own TLS.
   */
  trustProxy?: boolean;
}

/**
 * What `tracks(sets, options)` returns: await it with a request and its response, or mount it as
 * Connect middleware. It is async because a step runs before the handler (the place where a
 * server-side store will load the user's assignments); `get` on the tracks stays synchronous.
 */
export type NodeTracks = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<Tracks>;

class PlainExchange extends NodeExchange {
  constructor(
    request: IncomingMessage,
    response: ServerResponse,
    private readonly trustProxy: boolean,
  ) {
    super(request, response);
  }

  url(): string {
    // Connect-style routers strip a mount path from req.url and keep the original here.
    return (this.request as IncomingMessage & { originalUrl?: string }).originalUrl ?? this.request.url ?? '/';
  }

  session(): unknown {
    // Where express-session, cookie-session and other Connect session middleware put it.
    return (this.request as IncomingMessage & { session?: unknown }).session;
  }

  isSecure(): boolean {
    if ((this.request.socket as Partial<TLSSocket>).encrypted === true) return true;
    if (!this.trustProxy) return false;
    return this.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
  }
}

/**
 * Creates the request's tracks for plain node:http. Every option is validated here, so a
 * mistake fails at start-up. The returned function resolves to the request's tracks once the
 * step before the handler is done; it also sets `req.tracks` (see `TracksRequest`), and calls
 * `next` when given one, so it mounts as Connect or Polka middleware too.
 * @example
 * const abTracks = tracks([DelayTracks], { key: { header: 'x-user-id' }, cookie: { secret } })
 * createServer(async (req, res) => {
 *   const delay = (await abTracks(req, res)).get(DelayTracks)
 *   await delay.run()
 *   res.end(render(delay.name))
 * }).listen(3000)
 */
export function tracks(sets: readonly AnySetClass[], options?: NodeTracksOptions): NodeTracks {
  const { trustProxy = false, ...shared } = options ?? {};
  booleanOption('trustProxy', trustProxy, false);
  const setup = createSetup<IncomingMessage>(sets, shared);
  return async function tracksForRequest(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<Tracks> {
    const begun = beginRequest(setup, new PlainExchange(req, res, trustProxy), req);
    (req as TracksRequest).tracks = begun.tracks;
    if (begun.ready !== undefined) await begun.ready;
    next?.();
    return begun.tracks;
  };
}

/**
 * Wraps a node:http handler, which receives the request's tracks as a third argument once the
 * step before the handler is done.
 * @example
 * createServer(withTracks([DelayTracks], { cookie: { secret } }, (req, res, tracks) => {
 *   res.end(tracks.get(DelayTracks).name)
 * }))
 */
export function withTracks(
  sets: readonly AnySetClass[],
  options: NodeTracksOptions | undefined,
  handler: (req: IncomingMessage, res: ServerResponse, tracks: Tracks) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const forRequest = tracks(sets, options);
  return async (req, res) => handler(req, res, await forRequest(req, res));
}

export type { Tracks } from '../src/index.js';
