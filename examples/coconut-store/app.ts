// The coconut store (Express + PostgreSQL or PGlite): a catalog under two A/B tests, purchases, and a results page.
import express, { type Express, type Request, type Response } from 'express';
import { exposureLog, StoreClient, type ExposureLog, type ExposureLogOptions, type StoreOption } from 'tracks-ab';
import { tracksConsole } from 'tracks-ab/console';
import { tracks } from 'tracks-ab/express';
import { exposureSink, postgresAssignmentStore, postgresControls, publishSets, type PostgresControls } from 'tracks-ab/postgres';
import { findCoconut } from './catalog.js';
import { renderCatalog } from './catalog-page.js';
import { openDatabase, type DatabaseOptions, type StoreDatabase } from './db.js';
import { escapeHtml, layout } from './layout.js';
import { renderLogin } from './login-page.js';
import { placementOf, pricesFor } from './placement.js';
import { overrideGroups } from './qa-links.js';
import { cookieSecret } from './secret.js';
import { storeConsoleOptions } from './store-console.js';
import { storeNav } from './store-nav.js';
import { delayScaleFromEnv, DelayTracks, Experiments, PricingTracks, type StoreContext } from './tracks.js';
import { LOGIN_COOKIE, USER_NAME, visitorFromCookieHeader, type Visitor } from './visitor.js';

/** Options of {@link createApp}. */
export interface StoreOptions {
  /** Where the data lives: a PostgreSQL `url`, else a PGlite `dataDir` (`':memory:'` for a throwaway one). */
  database: DatabaseOptions;
  /** Multiplies the delay test's waits (0.5 s and 2 s). Default: `COCONUT_DELAY_SCALE`, else 1. */
  delayScale?: number;
  /** Signs the cookies. Default: `TRACKS_SECRET`; without it, a development-only secret, and in production the app refuses to start. */
  secret?: string | readonly string[];
  /** Whether a request may force variants with `?tracks=…`. Default: when NODE_ENV is not `production`. */
  allowOverride?: boolean | ((req: Request) => boolean);
  /** Tuning of the exposure log (batch size, how long a partial batch waits, queue bound). */
  exposures?: Pick<ExposureLogOptions, 'maxBatch' | 'flushIntervalMs' | 'maxQueue'>;
  /**
   * Where logged-in shoppers' variants are remembered on the server, so they keep them on every
   * browser: `'database'` (the store's own database, `tracks_assignments`), or any assignment store.
   * Default: none, the cookie alone remembers.
   */
  assignments?: StoreOption | 'database';
  /**
   * Who may open the experiments console at /results and press its buttons. Default: everyone when
   * NODE_ENV is not `production`; in production nobody reads it, and writes need `token`
   * (default `COCONUT_CONSOLE_TOKEN`).
   */
  console?: { allow?: (req: Request) => boolean; allowWrite?: (req: Request) => boolean; token?: string };
  /** How often the run-time controls are re-read at worst (they also follow NOTIFY on PostgreSQL). Default 5 s. */
  controlsPollMs?: number;
}

/** The Express app, the database it writes to, and the exposure log that writes there. */
export interface CoconutStore {
  app: Express;
  store: StoreDatabase;
  /** Queues first exposures and writes them to `tracks_exposures` in batches; `flush()` it before reading the table. */
  exposures: ExposureLog;
  /** The run-time controls the middleware follows (the console's buttons write them). */
  controls: PostgresControls;
  /** Writes the exposures still queued, then closes the database. Call it after the server stopped. */
  close(): Promise<void>;
}

/** How long the demo login lasts. */
const LOGIN_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

function overridePolicy(allow: StoreOptions['allowOverride']): (req: Request) => boolean {
  if (typeof allow === 'function') return allow;
  const fixed = allow ?? process.env.NODE_ENV !== 'production';
  return () => fixed;
}

function visitorOf(req: Request): Visitor {
  return visitorFromCookieHeader(req.headers.cookie);
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}

/**
 * Builds the store: `GET /` (to the catalog), `/login?user=…`, `/logout`, `/catalog` (under the
 * delay and pricing tests), `POST /buy` (charges the variant's price, recomputed here), and
 * the experiments console of tracks-ab at `/results`. First exposures go through an exposure log
 * to `tracks_exposures`, purchases to `purchases`; the console counts them with the report queries
 * of tracks-ab/postgres, and its buttons change the run-time controls the middleware follows.
 * @example
 * const shop = await createApp({ database: { dataDir: 'data/pglite' } })
 * const server = shop.app.listen(3000)
 * process.once('SIGTERM', () => server.close(() => void shop.close()))
 */
export async function createApp(options: StoreOptions): Promise<CoconutStore> {
  const delayScale = options.delayScale ?? delayScaleFromEnv();
  if (!(Number.isFinite(delayScale) && delayScale >= 0)) throw new RangeError(`option delayScale is invalid: ${delayScale} (expected a number >= 0)`);
  const allowOverride = overridePolicy(options.allowOverride);
  const secret = cookieSecret(options.secret);
  const store = await openDatabase(options.database);
  const exposures = exposureLog({ sink: exposureSink(store.client), ...options.exposures });
  const ownAssignments = options.assignments === 'database' ? new StoreClient(postgresAssignmentStore(store.client)) : null;
  const assignments = ownAssignments ?? (options.assignments === 'database' ? undefined : options.assignments);
  // The catalogue lets the console (and `tracks-ab controls`) check a control against the sets.
  await publishSets(store.client, [Experiments]);
  const controls = postgresControls(store.client, { pollIntervalMs: options.controlsPollMs });
  await controls.refresh();
  const development = process.env.NODE_ENV !== 'production';
  const experimentsConsole = tracksConsole(
    storeConsoleOptions(store.client, {
      controls,
      allow: (req) => options.console?.allow?.(req as Request) ?? development,
      allowWrite: (req) => options.console?.allowWrite?.(req as Request) ?? development,
      token: options.console?.token ?? process.env.COCONUT_CONSOLE_TOKEN,
      // The demo's log-in cookie names the person who pressed a button.
      who: (req) => visitorFromCookieHeader(req.headers.cookie).id,
      onError: (error) => console.error('console:', error),
    }),
  );
  const app = express();
  app.disable('x-powered-by');

  app.use(
    tracks([Experiments], {
      key: [{ cookie: LOGIN_COOKIE }],
      context: (req): StoreContext => ({ user: visitorOf(req) }),
      cookie: { secret },
      override: { allow: allowOverride },
      onExposure: exposures,
      store: assignments,
      controls,
    }),
  );

  // The experiments console of tracks-ab: status, traffic, health, results, and the controls as buttons.
  app.use(async (req, res, next) => {
    if (experimentsConsole.matches(req.path)) await exposures.flush(2000); // the page includes the exposures of a moment ago
    return experimentsConsole(req, res, next);
  });

  app.get('/', (_req, res) => res.redirect(302, '/catalog'));

  app.get('/login', (req, res) => {
    const name = req.query.user;
    if (name === undefined) return sendHtml(res, 200, renderLogin(visitorOf(req)));
    if (typeof name !== 'string' || !USER_NAME.test(name)) {
      return sendHtml(res, 400, renderLogin(visitorOf(req), 'Use letters, digits, - and _ only, up to 32 of them.'));
    }
    res.cookie(LOGIN_COOKIE, name, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: LOGIN_MAX_AGE_MS });
    res.redirect(302, '/catalog');
  });

  app.get('/logout', (_req, res) => {
    res.clearCookie(LOGIN_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(302, '/catalog');
  });

  app.get('/catalog', async (req, res) => {
    // Reading the multi set enrols the visitor in one test; the other set then reads as control ('excluded').
    const experiments = req.tracks.get(Experiments);
    const delayMs = (await req.tracks.get(DelayTracks).run(delayScale)) ?? 0;
    const coconuts = pricesFor(req.tracks.get(PricingTracks));
    sendHtml(
      res,
      200,
      renderCatalog({
        visitor: visitorOf(req),
        coconuts,
        placement: placementOf(experiments),
        delayMs,
        buyAction: '/buy',
        bought: findCoconut(coconuts, req.query.bought) ?? null,
        overrides: allowOverride(req) ? overrideGroups('/catalog') : null,
      }),
    );
  });

  app.post('/buy', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    // The price is the one the user's variant gives, recomputed here; a price in the form is ignored.
    // `peek`: a purchase is not an exposure, and must not enrol anyone.
    const coconut = findCoconut(pricesFor(req.tracks.peek(PricingTracks)), (req.body as Record<string, unknown> | undefined)?.coconut);
    const userId = req.tracks.key;
    if (!coconut || userId === null) {
      return sendHtml(
        res,
        400,
        layout('No such coconut', '<p>That coconut is not in the catalog. <a href="/catalog">Back to the catalog</a>.</p>', storeNav(visitorOf(req))),
      );
    }
    await store.recordPurchase({ userId, coconutId: coconut.id, price: coconut.price });
    // Post/Redirect/Get: reloading the thank-you page does not buy again.
    res.redirect(303, `/catalog?bought=${encodeURIComponent(coconut.id)}`);
  });

  app.use((req, res) => {
    sendHtml(
      res,
      404,
      layout('Not found', `<p>Nothing at ${escapeHtml(req.path)}. <a href="/catalog">See the coconuts</a>.</p>`, storeNav(visitorOf(req))),
    );
  });

  return {
    app,
    store,
    exposures,
    controls,
    async close() {
      await controls.close();
      await exposures.close();
      await ownAssignments?.close();
      await store.close();
    },
  };
}
