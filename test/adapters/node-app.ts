// Builds the contract's app on plain node:http: an in-memory session, the tracks adapter, the routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tracks, type NodeTracksOptions } from '../../adapters/node.js';
import { MemorySessions } from '../support/memory-session.js';
import { answerRaw, errorBody, listen, waitFor, type MakeApp } from './app-spec.js';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The contract's `makeApp` for node:http, trusting X-Forwarded-Proto as the other apps do. */
export const nodeApp: MakeApp = (sets, options, routes) => {
  const sessions = new MemorySessions();
  const forRequest = tracks(sets, { ...(options as NodeTracksOptions), trustProxy: true });
  const handle = async (req: IncomingMessage & { session?: unknown }, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    req.session = sessions.find(req.headers.cookie);
    const t = await forRequest(req, res);
    if (url.pathname === '/login') {
      res.setHeader('set-cookie', sessions.start({ userId: url.searchParams.get('user') ?? '' }));
      json(res, 200, { ok: true });
      return;
    }
    const route = routes.find((r) => r.path === url.pathname);
    if (!route) return json(res, 404, { error: 'not found' });
    try {
      if (route.cacheControl) res.setHeader('cache-control', route.cacheControl);
      // node:http is always the raw response: a raw route writes its head itself, before or after reading.
      if (route.raw) return answerRaw(res, route.raw, () => route.handler(t));
      if (!route.streaming) return json(res, 200, route.handler(t));
      route.beforeHeaders?.(t);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(' ');
      void waitFor(() => res.headersSent).then(() => res.end(JSON.stringify(route.handler(t))));
    } catch (error) {
      json(res, 500, errorBody(error));
    }
  };
  return listen((req, res) => void handle(req, res));
};
