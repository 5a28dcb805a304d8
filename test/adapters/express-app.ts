// Builds the contract's app with Express (4 or 5, passed in), express-session and the tracks middleware.
import type { ErrorRequestHandler } from 'express';
import type express from 'express';
import session from 'express-session';
import { tracks } from '../../adapters/express.js';
import { answerRaw, errorBody, listen, waitFor, type MakeApp } from './app-spec.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

/** The contract's `makeApp` for the given Express module. */
export function expressApp(createApp: typeof express): MakeApp {
  return async (sets, options, routes) => {
    const app = createApp();
    app.set('trust proxy', true);
    app.use(session({ secret: 'session-secret', resave: false, saveUninitialized: false }));
    app.use(tracks(sets, options));
    app.get('/login', (req, res) => {
      req.session.userId = typeof req.query.user === 'string' ? req.query.user : '';
      res.json({ ok: true });
    });
    for (const route of routes) {
      // Synchronous, so that Express 4 (which ignores rejected promises) sees what a handler throws.
      app.get(route.path, (req, res, next) => {
        if (route.cacheControl) res.set('Cache-Control', route.cacheControl);
        if (route.raw) {
          answerRaw(res, route.raw, () => route.handler(req.tracks));
          return;
        }
        if (!route.streaming) {
          res.json(route.handler(req.tracks));
          return;
        }
        route.beforeHeaders?.(req.tracks);
        res.type('json');
        res.write(' ');
        waitFor(() => res.headersSent).then(() => res.end(JSON.stringify(route.handler(req.tracks))), next);
      });
    }
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      res.status(500).json(errorBody(error));
    };
    app.use(onError);
    return listen(app);
  };
}
