// Fastify plugin (Fastify 4 and 5): decorates `request.tracks` and writes cookies in onSend.
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { beforeWriteHead, type HeadWatcher } from './before-write-head.js';
import { responseHeader } from './node-exchange.js';
import type { AnySetClass, ConsoleHandler, Options, Tracks } from '../src/index.js';
import {
  beginRequest,
  createSetup,
  RequestTracks,
  WRITE_HEADERS,
  type HeadersListener,
  type HttpExchange,
  type Setup,
} from '../src/request/adapter-kit.js';

// Exports: the module itself is the plugin (`module.exports = tracks`, the shape of Fastify's own
// plugins), with `default` and `tracks` pointing at it. Fastify's register() takes a module namespace
// whose `default` is a function, and Node makes a CommonJS file's `default` its module.exports, so
// `register(import('tracks-ab/fastify'))` needs exactly this; `export default` compiled to CommonJS
// would hand Fastify an object. The types say the same with `export =` and a merged namespace.

declare module 'fastify' {
  interface FastifyRequest {
    /** The user's track assignments for this request (tracks-ab). */
    tracks: Tracks;
  }
}

type HeaderStore = Record<string, unknown>;
/**
 * Where Fastify keeps a reply's own headers (its `kReplyHeaders`, an object from lower-case name to
 * value that it hands to `writeHead`), with the reply's `getHeader` and `header` seen when it was
 * found; undefined until a reply proved it (`checkStore`), null when one did not. Cache-Control is
 * then read and written there: `getHeader` and `header` lower-case the name (and Fastify 4's asks
 * the raw response too), three lower-casings for the one header a returning visitor's request writes.
 */
let store: { readonly symbol: symbol; readonly get: unknown; readonly set: unknown } | null | undefined;

function storeOf(reply: FastifyReply): HeaderStore | undefined {
  if (store === null || store === undefined || reply.getHeader !== store.get || reply.header !== store.set) return undefined;
  return (reply as unknown as Record<symbol, HeaderStore>)[store.symbol];
}

/** Called once, around the public write of Cache-Control: keeps the store when it answered as Fastify's `getHeader` (`read`) and `header` did. */
function checkStore(reply: FastifyReply, read: unknown, write: () => void): void {
  const symbol = Object.getOwnPropertySymbols(reply).find((s) => s.description === 'fastify.reply.headers');
  const held = symbol === undefined ? undefined : (reply as unknown as Record<symbol, unknown>)[symbol];
  const found = typeof held === 'object' && held !== null ? (held as HeaderStore) : null;
  const before =
    found === null ? undefined : found['cache-control'] !== undefined ? found['cache-control'] : responseHeader(reply.raw, 'cache-control');
  write();
  const ok = found !== null && before === read && found['cache-control'] === 'private';
  // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
  store = ok ? { symbol: symbol!, get: reply.getHeader, set: reply.header } : null;
}

/**
 * Writes through the reply in onSend; when the reply was hijacked (`reply.hijack()`, so onSend
 * never runs), through `reply.raw` just before its headers go out, whichever comes first.
 */
class FastifyExchange implements HttpExchange, HeadWatcher {
  #listener: HeadersListener | null = null;
  #raw = false;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  header(name: string): string | undefined {
    const value = this.request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  url(): string {
    return this.request.url;
  }

  session(): unknown {
    return (this.request as FastifyRequest & { session?: unknown }).session;
  }

  isSecure(): boolean {
    return this.request.protocol === 'https';
  }

  headersSent(): boolean {
    // A hijacked reply counts as sent for Fastify, but its raw headers may still be open.
    return this.reply.raw.headersSent;
  }

  beforeHeaders(listener: HeadersListener): boolean {
    if (this.reply.raw.headersSent) return false;
    this.#listener = listener;
    // Only a hijacked reply still has the write pending at writeHead; otherwise onSend wrote it, and
    // writeHead keeps the headers object Fastify hands it (no setHeader per header).
    beforeWriteHead(this.reply.raw, this);
    return true;
  }

  /** @internal For `beforeWriteHead`: the write is still pending (onSend did not run: a hijacked reply). */
  pending(): boolean {
    return this.#listener !== null;
  }

  /** @internal For `beforeWriteHead`: writes through the raw response. */
  headersDue(): void {
    this.#raw = true;
    this.flush();
  }

  /** Runs the pending write once (from onSend, or from the raw response's last moment). */
  flush(): void {
    const listener = this.#listener;
    this.#listener = null;
    listener?.[WRITE_HEADERS]();
  }

  getResponseHeader(name: string): string | string[] | number | undefined {
    if (this.#raw) return this.reply.raw.getHeader(name);
    const held = name === 'cache-control' ? storeOf(this.reply) : undefined;
    if (held === undefined) return this.reply.getHeader(name);
    // Fastify's getHeader: its own header, else the raw response's.
    const value = held[name] as string | string[] | number | undefined;
    return value !== undefined ? value : responseHeader(this.reply.raw, name);
  }

  setResponseHeader(name: string, value: string): void {
    if (this.#raw) this.reply.raw.setHeader(name, value);
    else if (name !== 'cache-control' || value !== 'private' || store === null) void this.reply.header(name, value);
    else if (store === undefined) checkStore(this.reply, this.reply.getHeader(name), () => void this.reply.header(name, value));
    else {
      const held = storeOf(this.reply);
      // Fastify's header() for any name but set-cookie: the value stored under the lower-case name.
      if (held === undefined) void this.reply.header(name, value);
      else held[name] = value;
    }
  }

  appendSetCookie(cookie: string): void {
    if (!this.#raw) {
      // Fastify keeps every value given for set-cookie.
      void this.reply.header('set-cookie', cookie);
      return;
    }
    const current = this.reply.raw.getHeader('set-cookie');
    const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
    this.reply.raw.setHeader('set-cookie', [...list, cookie]);
  }
}

// Options Fastify itself may add to every plugin's options object.
const REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

/**
 * The plugin. Every option is validated at registration, so a mistake fails at start-up.
 * `register(tracks, options)` and `register(import('tracks-ab/fastify'), options)` both work.
 * @example
 * await app.register(tracks, { sets: [DelayTracks, PricingTracks], key: { header: 'x-user-id' }, cookie: { secret } })
 * app.get('/catalog', async (request) => {
 *   const delay = request.tracks.get(DelayTracks)
 *   await delay.run()
 *   return render(delay.name)
 * })
 */
function tracks(fastify: FastifyInstance, options: tracks.FastifyTracksOptions, done: (error?: Error) => void): void {
  const { sets, ...rest } = options;
  const own = Object.fromEntries(Object.entries(rest).filter(([name]) => !REGISTER_OPTIONS.has(name)));
  let setup: Setup<FastifyRequest>;
  try {
    setup = createSetup<FastifyRequest>(sets, own);
  } catch (error) {
    // A callback plugin must report through done: a throw here escapes avvio and never settles register().
    done(error as Error);
    return;
  }
  // One decoration: onSend finds the request's exchange through its tracks. Not a second decoration
  // (Fastify's request constructor sets each in a loop, whose store then goes megamorphic: about 400
  // instructions a request), and not a WeakMap (an entry per request in flight made every garbage
  // collection walk them as ephemerons: +40 µs of GC per request over HTTP).
  fastify.decorateRequest('tracks', null as unknown as Tracks);
  fastify.addHook('onRequest', (request, reply, next) => {
    const begun = beginRequest(setup, new FastifyExchange(request, reply), request);
    request.tracks = begun.tracks;
    // With a store, a user's records load before the handler (never rejects, bounded by its timeout).
    if (begun.ready === undefined) next();
    else void begun.ready.then(() => next());
  });
  fastify.addHook('onSend', (request, _reply, payload, next) => {
    // Should code after this plugin have replaced request.tracks, the write waits for writeHead instead.
    const tracks = request.tracks;
    const exchange = tracks instanceof RequestTracks ? tracks.exchange : null;
    if (exchange instanceof FastifyExchange) exchange.flush();
    next(null, payload);
  });
  done();
}

// fastify-plugin marks the function itself: no encapsulation, the Fastify versions it supports, its name.
fp(tracks, { fastify: '4.x || 5.x', name: 'tracks-ab' });

/**
 * The experiments console (`tracksConsole` of tracks-ab/console) as a Fastify plugin: GET and POST
 * on its base path and under it, the raw request and response handed to it (`reply.hijack()`), and
 * a form parser in the plugin's own scope when the app has none. Register it without a prefix.
 * @example
 * await app.register(mountConsole(tracksConsole({ db: pool, sets: [DelayTracks], token: process.env.CONSOLE_TOKEN })))
 */
function mountConsole(handler: ConsoleHandler): FastifyPluginCallback {
  return function tracksConsolePlugin(instance: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
    const form = 'application/x-www-form-urlencoded';
    if (!instance.hasContentTypeParser(form)) {
      instance.addContentTypeParser(form, { parseAs: 'string', bodyLimit: 8192 }, (_request, body, parsed) => parsed(null, body));
    }
    const route = (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      void reply.hijack();
      if (request.body !== undefined) (request.raw as { body?: unknown }).body = request.body;
      return handler(request.raw, reply.raw);
    };
    instance.route({ method: ['GET', 'POST'], url: handler.basePath, handler: route });
    instance.route({ method: ['GET', 'POST'], url: `${handler.basePath}/*`, handler: route });
    done();
  };
}

// eslint-disable-next-line @typescript-eslint/no-namespace -- `export =` of a function carries its types and named exports only in a merged namespace
declare namespace tracks {
  /** Options of the Fastify plugin: the sets to serve, and the shared options with Fastify's request. */
  export interface FastifyTracksOptions extends Options<FastifyRequest> {
    sets: readonly AnySetClass[];
  }
  /** The user's track assignments for one request: the type of `request.tracks`. */
  export type { Tracks };
  /** The plugin, as a named export: `import { tracks } from 'tracks-ab/fastify'`. */
  const named: FastifyPluginCallback<FastifyTracksOptions>;
  export { named as tracks, named as default };
  /** The console as a Fastify plugin: `app.register(mountConsole(tracksConsole({ … })))`. */
  const mountConsoleNamed: (handler: ConsoleHandler) => FastifyPluginCallback;
  export { mountConsoleNamed as mountConsole };
}

// Node's ESM loader finds a CommonJS file's named exports by reading assignments to `module.exports.x`
// (cjs-module-lexer), and TypeScript emits `export =` as `module.exports = tracks` at the very end of
// the file: so the module object is set here first, and the two names on it, for
// `import { tracks } from 'tracks-ab/fastify'` in ES modules.
module.exports = tracks;
(module.exports as Record<string, unknown>).tracks = tracks;
(module.exports as Record<string, unknown>).default = tracks;
(module.exports as Record<string, unknown>).mountConsole = mountConsole;
export = tracks;
