// The coconut store's catalog with its exposures sent to OpenTelemetry and to an exposure log, to copy from.
import { trace } from '@opentelemetry/api';
import express, { type Express } from 'express';
import type { ExposureLog } from 'tracks-ab';
import { tracks } from 'tracks-ab/express';
import { pricesFor } from '../coconut-store/placement.js';
import { Experiments, PricingTracks, type StoreContext } from '../coconut-store/tracks.js';
import { LOGIN_COOKIE, visitorFromCookieHeader } from '../coconut-store/visitor.js';
import { emitExposure } from './exposures.js';

/** Options of {@link createTracedApp}. */
export interface TracedAppOptions {
  /** Where exposures are stored as well (any sink); default: only OpenTelemetry. */
  log?: ExposureLog;
  /** Signs the sticky cookie. Default: `TRACKS_SECRET`, else a demo secret. */
  secret?: string;
}

/**
 * An Express app whose `/catalog` reads the coconut store's tests; each exposure becomes a
 * `feature_flag.evaluation` event on the request's span. The first middleware opens that span, as
 * HTTP instrumentation would in an app with an OpenTelemetry SDK.
 * @example createTracedApp({ log: exposureLog({ sink }) }).listen(3003)
 */
export function createTracedApp(options: TracedAppOptions = {}): Express {
  const tracer = trace.getTracer('coconut-store');
  const { log } = options;
  const app = express();
  app.use((req, res, next) => {
    tracer.startActiveSpan(`${req.method} ${req.path}`, (span) => {
      res.once('close', () => span.end());
      next();
    });
  });
  app.use(
    tracks([Experiments], {
      key: [{ cookie: LOGIN_COOKIE }],
      context: (req): StoreContext => ({ user: visitorFromCookieHeader(req.headers.cookie) }),
      cookie: { secret: options.secret ?? process.env.TRACKS_SECRET ?? 'coconut-store-demo-secret' },
      onExposure: (event) => {
        emitExposure(event);
        log?.(event);
      },
    }),
  );
  app.get('/catalog', (req, res) => {
    const experiments = req.tracks.get(Experiments);
    const prices = pricesFor(req.tracks.get(PricingTracks)).map((c) => `${c.name}: ${c.price}`);
    res.type('text').send(`${experiments.trackSetName ?? 'no test'} / ${experiments.name}\n${prices.join('\n')}\n`);
  });
  return app;
}
