// Starts contract apps with shared routes and defaults, records their events, and stops them after each test.
import request from 'supertest';
import type { AnySetClass, ExposureEvent, Options, RequestErrorInfo } from '../../src/index.js';
import { headerOf, type MakeApp, type RouteSpec, type TestApp } from './app-spec.js';
import { ColorTracks, DelayTracks, Experiments, LayoutTracks, PricingTracks, UnregisteredTracks, multiView, view, type ShopContext } from './sets.js';

/** The secret the contract's apps sign with unless a test says otherwise. */
export const SECRET = 'contract-secret';

/** A regular browser User-Agent: isbot must not take it for a crawler. */
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Routes every contract app serves; each reads only what its name says. */
export const ROUTES: readonly RouteSpec[] = [
  { path: '/delay', handler: (t) => view(t.get(DelayTracks)) },
  { path: '/pricing', handler: (t) => view(t.get(PricingTracks)) },
  { path: '/both', handler: (t) => ({ delay: view(t.get(DelayTracks)), pricing: view(t.get(PricingTracks)) }) },
  {
    path: '/twice',
    handler: (t) => {
      const first = t.get(DelayTracks);
      return { delay: view(first), same: t.get(DelayTracks) === first, pricing: view(t.get(PricingTracks)), assignments: t.assignments().length };
    },
  },
  {
    path: '/multi',
    // The members first, then the multi set: exposures must still come once per set.
    handler: (t) => ({
      color: view(t.get(ColorTracks)),
      layout: view(t.get(LayoutTracks)),
      multi: multiView(t.get(Experiments)),
    }),
  },
  { path: '/peek', handler: (t) => ({ delay: view(t.peek(DelayTracks)), pricing: view(t.peek(PricingTracks)) }) },
  { path: '/none', handler: (t) => ({ ok: true, hasTracks: typeof t.get === 'function' }) },
  { path: '/key', handler: (t) => ({ key: t.key, isBot: t.isBot }) },
  { path: '/unknown', handler: (t) => view(t.get(UnregisteredTracks)) },
  { path: '/cached', cacheControl: 'public, max-age=60, s-maxage=600', handler: (t) => view(t.get(DelayTracks)) },
  { path: '/cached-none', cacheControl: 'public, max-age=60', handler: () => ({ ok: true }) },
  { path: '/stream', streaming: true, handler: (t) => view(t.get(DelayTracks)) },
  {
    path: '/stream-after-read',
    streaming: true,
    beforeHeaders: (t) => void t.get(PricingTracks),
    handler: (t) => ({ delay: view(t.get(DelayTracks)), pricing: view(t.get(PricingTracks)) }),
  },
];

/** The VIP flag from the `x-vip` header: VIPs are not eligible for DelayTracks. */
export function shopContext(req: unknown): ShopContext {
  return { vip: headerOf(req, 'x-vip') === '1' };
}

/** One recorded onError call. */
export interface RecordedError {
  error: unknown;
  info: RequestErrorInfo<unknown>;
}

/** A running contract app. */
export interface Client {
  app: TestApp;
  /** A fresh visitor with a real cookie jar. */
  agent(): request.Agent;
  /** A one-off request with no cookie jar. */
  get(path: string): request.Test;
}

/** Starts apps for the contract, with defaults every test shares, and stops them all after each test. */
export class Harness {
  readonly events: ExposureEvent<unknown>[] = [];
  readonly errors: RecordedError[] = [];
  readonly #apps: TestApp[] = [];

  constructor(readonly makeApp: MakeApp) {}

  /**
   * Starts an app over `sets`. Unless `options` replaces them: signed with SECRET, VIP context from
   * `x-vip`, exposures and errors recorded here. `cookie` options are merged with the default.
   */
  async start(sets: readonly AnySetClass[], options: Options<unknown> = {}, routes: readonly RouteSpec[] = []): Promise<Client> {
    const merged: Options<unknown> = {
      context: shopContext,
      onExposure: (event) => void this.events.push(event),
      onError: (error, info) => void this.errors.push({ error, info }),
      ...options,
      cookie: { secret: SECRET, ...options.cookie },
    };
    const app = await this.makeApp(sets, merged, [...routes, ...ROUTES]);
    this.#apps.push(app);
    return {
      app,
      agent: () => request.agent(app.server).set('User-Agent', BROWSER),
      get: (path) => request(app.server).get(path).set('User-Agent', BROWSER),
    };
  }

  /** Clears what the previous test recorded. */
  reset(): void {
    this.events.length = 0;
    this.errors.length = 0;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#apps.splice(0).map((app) => app.close()));
  }
}
