// The one way an adapter begins a request: the request's tracks, and what must be awaited before its handler.
import type { WebCryptoSigner } from '../cookies/web-crypto-signer.js';
import { PreparedSigner } from '../cookies/prepared-signer.js';
import type { CarriedId } from '../cookies/anonymous-id.js';
import type { CookieSnapshot } from '../cookies/sticky-state.js';
import type { HttpExchange } from './exchange.js';
import { RequestInputs } from './inputs.js';
import type { Setup } from './setup.js';
import { RequestTracks } from './tracks.js';
import { PinnedMemo, verifyAhead } from './web-verification.js';

/** What `beginRequest` gives an adapter for one request. */
export interface BegunRequest<Req> {
  /** The request's tracks: attach them to the request; `get` is synchronous in the handler. */
  readonly tracks: RequestTracks<Req>;
  /**
   * Undefined when the handler may run at once (the common case: no store, or an anonymous
   * visitor); else one promise to await before the handler. It settles within the store's
   * timeout and never rejects for a store failure (those go to `onError`).
   */
  readonly ready: Promise<void> | undefined;
  /** Fills a Set-Cookie header's Web Crypto tags and signatures in (Fetch); else resolves to the header as it is. */
  seal(setCookie: string): Promise<string>;
}

const unchanged = (setCookie: string): Promise<string> => Promise.resolve(setCookie);

/**
 * Begins one request, for every adapter: builds its tracks and says what to await before the
 * handler — with a store, a user's records (loaded once, from the cache when fresh); with `web`
 * (the Fetch adapter, whose Web Crypto is async), the HMACs the request layer will ask for
 * synchronously, verified ahead (see `verifyAhead`), signatures then made by `seal`.
 */
export function beginRequest<Req>(setup: Setup<Req>, exchange: HttpExchange, req: Req, web?: WebCryptoSigner): BegunRequest<Req> {
  // The Fetch adapter's path in a function of its own: this one stays small enough for V8 to inline in each adapter.
  if (web !== undefined) return beginWebRequest(setup, exchange, req, web);
  const tracks = new RequestTracks(setup, exchange, req);
  return { tracks, ready: tracks.loadUserRecords(), seal: unchanged };
}

function beginWebRequest<Req>(setup: Setup<Req>, exchange: HttpExchange, req: Req, web: WebCryptoSigner): BegunRequest<Req> {
  const signer = new PreparedSigner(web);
  // The request's own signer, and memos that keep what was verified ahead for the request.
  const cookies = new PinnedMemo<CookieSnapshot>(setup.cookies);
  const ids = new PinnedMemo<CarriedId>(setup.ids);
  const own: Setup<Req> = Object.freeze({ ...setup, signer, cookies, ids });
  const inputs = new RequestInputs(own, exchange, req);
  const tracks = new RequestTracks(own, exchange, req, inputs);
  const ready = (async (): Promise<void> => {
    if (signer.signs) await verifyAhead(own, signer, cookies, ids, inputs);
    await tracks.loadUserRecords();
  })();
  return { tracks, ready, seal: (text) => signer.seal(text) };
}

/** A request's `tracks`, without loading a store's records (adapters call `beginRequest`); kept for adapters built on it. */
export function tracksFor<Req>(setup: Setup<Req>, exchange: HttpExchange, req: Req, inputs?: RequestInputs<Req>): RequestTracks<Req> {
  return new RequestTracks(setup, exchange, req, inputs);
}
