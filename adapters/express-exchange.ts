// Express's request and response, read and written without adding an own property to either on the common path.
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { writeHeadAfter, type WriteHead } from './before-write-head.js';
import { NodeExchange } from './node-exchange.js';
import type { HeadersListener } from '../src/request/adapter-kit.js';

// Why: Express gives every request and response its app's prototypes (`Object.setPrototypeOf`),
// and V8 keeps no shared shape (map) for an object whose prototype was set so. Each property then
// added to one (Express's own `req.params`…, an own `req.tracks`, a `writeHead` wrapper on `res`)
// makes a new map for that object alone, copying its 30-odd property descriptors, and every later
// access to it, by Express, Node or us, misses V8's caches again. Those two additions were three
// quarters of the instructions tracks-ab added to an Express request (bench/README.md). So where
// the request and the response have Express's layer (the prototype right above Node's own), that
// layer gets, once: `tracks`, an accessor; and `writeHead`, which runs the request's pending
// write, then Node's. Each request's exchange is kept under a symbol on `req.headers`, a plain
// object Node builds per request with a shape shared from one request to the next
// (non-enumerable: logs never show it).

/** The request's exchange, on its headers object. */
const kExchange = Symbol('tracks-ab exchange');
/** Marks a layer this module installed on. */
const kInstalled = Symbol('tracks-ab installed');

type Headers = Record<string | symbol, unknown>;

function exchangeOf(req: IncomingMessage | undefined): ExpressExchange | undefined {
  return req === undefined ? undefined : exchangeIn(req.headers as Headers);
}

function exchangeIn(headers: Headers): ExpressExchange | undefined {
  const found = headers[kExchange];
  return found instanceof ExpressExchange ? found : undefined;
}

/** The object in `obj`'s prototype chain whose own prototype is `base` (Express's layer); null when `obj`'s own prototype is `base` or there is none. */
function layerOf(obj: object, base: object): object | null {
  for (let p = Object.getPrototypeOf(obj) as object | null; p !== null && p !== base; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.getPrototypeOf(p) === base) return p;
  }
  return null;
}

function mark(layer: object): void {
  Object.defineProperty(layer, kInstalled, { value: true });
}

/** `tracks` on Express's request layer: the exchange's tracks; an assignment makes an own property, as before. */
function installTracks(layer: object): void {
  Object.defineProperty(layer, 'tracks', {
    configurable: true,
    get(this: IncomingMessage): unknown {
      // Read on the layer itself (not a request), there is nothing to give.
      return this === layer ? undefined : exchangeOf(this)?.tracks;
    },
    set(this: IncomingMessage, value: unknown): void {
      Object.defineProperty(this, 'tracks', { value, writable: true, enumerable: true, configurable: true });
    },
  });
  mark(layer);
}

/** `writeHead` on Express's response layer: the pending writes of the request's exchanges (the latest first), then the one it overrides. */
function installWriteHead(layer: object): void {
  const original = (layer as { writeHead: WriteHead }).writeHead;
  Object.defineProperty(layer, 'writeHead', {
    configurable: true,
    writable: true,
    value: function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
      const exchange = exchangeOf(this.req);
      if (exchange === undefined || !exchange.pendingFor(this)) return original.apply(this, args);
      return writeHeadAfter(this, original, args, exchange);
    },
  });
  mark(layer);
}

// The prototypes last found layered (and installed on before that request), so a request checks two identities.
let layeredRequest: object | null = null;
let layeredResponse: object | null = null;

/**
 * True when `req.tracks` and the response's write can go through Express's layers for this
 * request. A layer installed on during this very request does not count yet: a `writeHead`
 * wrapper an earlier middleware put on `res` may already hold Node's own.
 */
function layered(req: Request, res: Response): boolean {
  const reqProto = Object.getPrototypeOf(req) as object;
  const resProto = Object.getPrototypeOf(res) as object;
  if (reqProto === layeredRequest && resProto === layeredResponse) return true;
  const reqLayer = layerOf(req, IncomingMessage.prototype);
  const resLayer = layerOf(res, ServerResponse.prototype);
  if (reqLayer === null || resLayer === null) return false;
  const ready = Object.hasOwn(reqLayer, kInstalled) && Object.hasOwn(resLayer, kInstalled);
  if (!Object.hasOwn(reqLayer, kInstalled)) {
    // A layer that has a `tracks` of its own is someone else's: leave it, and use own properties.
    if (Object.hasOwn(reqLayer, 'tracks')) return false;
    installTracks(reqLayer);
  }
  if (!Object.hasOwn(resLayer, kInstalled)) installWriteHead(resLayer);
  if (ready) [layeredRequest, layeredResponse] = [reqProto, resProto];
  return ready;
}

/** Reads an Express request and writes its response; see above for how it attaches. */
export class ExpressExchange extends NodeExchange {
  /** The tracks of the request, once attached. */
  tracks: unknown = undefined;
  /** The exchange of an earlier tracks middleware on the same request: written after this one. */
  #previous: ExpressExchange | undefined = undefined;
  #layered = false;
  /**
   * `req.headers` as read once when attached (it holds this exchange): each read of `req.headers` on
   * Express's request is a miss of V8's caches and a walk up to Node's getter, about 1 k instructions.
   */
  #headers: Headers | null = null;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
  ) {
    super(req, res);
  }

  /** Makes `tracks` the request's `req.tracks`: through Express's layers where it can, else as an own property. */
  attach(tracks: unknown): void {
    this.tracks = tracks;
    const { req } = this;
    // An own `req.tracks` (the app's, or set where there were no layers) would hide the layer's accessor.
    if (layered(req, this.res) && !Object.hasOwn(req, 'tracks')) {
      const headers = req.headers as Headers;
      this.#headers = headers;
      this.#previous = exchangeIn(headers);
      Object.defineProperty(headers, kExchange, { value: this, writable: true, configurable: true });
      this.#layered = true;
    } else req.tracks = tracks as Request['tracks'];
  }

  override header(name: string): string | undefined {
    const value = (this.#headers ?? this.req.headers)[name] as string | string[] | undefined;
    return Array.isArray(value) ? value[0] : value;
  }

  url(): string {
    return this.req.originalUrl;
  }

  session(): unknown {
    return (this.req as Request & { session?: unknown }).session;
  }

  isSecure(): boolean {
    return this.req.secure;
  }

  override beforeHeaders(listener: HeadersListener): boolean {
    if (!this.#layered) return super.beforeHeaders(listener);
    // No `headersSent` read: had the headers gone out, writeHead would not run again, nor the write.
    this.listener = listener;
    return true;
  }

  /** True when `res` is this request's response and this exchange or an earlier one has a write pending. */
  pendingFor(res: ServerResponse): boolean {
    return res === this.res && this.#anyPending();
  }

  #anyPending(): boolean {
    const previous = this.#previous;
    return this.listener !== null || (previous !== undefined && previous.#anyPending());
  }

  /** Runs the pending writes, each once: this exchange's, then the earlier ones'. */
  override headersDue(): void {
    super.headersDue();
    this.#previous?.headersDue();
  }
}
