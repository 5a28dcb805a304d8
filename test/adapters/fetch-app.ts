// Builds the contract's app as one Fetch handler (`withTracks`), and as a Hono app; both served over node:http.
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { withTracks, type FetchOptions } from '../../adapters/fetch.js';
import { tracks, type HonoTracksOptions, type TracksVariables } from '../../adapters/hono.js';
import type { Tracks } from '../../src/index.js';
import { fetchListener } from '../support/fetch-bridge.js';
import { MemorySessions } from '../support/memory-session.js';
import { errorBody, listen, type MakeApp, type RouteSpec } from './app-spec.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * A route's response. A streaming one sends a first byte, and calls the handler only when the
 * body is read beyond it, which is after the response (and its headers) left the adapter. A Fetch
 * handler has no raw response to take over: its head goes out when it returns the Response, so a
 * raw route read `before` its head is an ordinary one, and one read `after` it reads from the
 * body, as a streaming route does.
 */
function respond(route: RouteSpec, t: Tracks, headers: Record<string, string>): Response {
  if (!route.streaming && route.raw !== 'after') return new Response(JSON.stringify(route.handler(t)), { headers });
  route.beforeHeaders?.(t);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(' '));
    },
    pull(controller) {
      controller.enqueue(encoder.encode(JSON.stringify(route.handler(t))));
      controller.close();
    },
  });
  return new Response(body, { headers });
}

function headersOf(route: RouteSpec): Record<string, string> {
  return route.cacheControl ? { ...JSON_TYPE, 'cache-control': route.cacheControl } : JSON_TYPE;
}

/** The contract's `makeApp` for the plain Fetch wrapper, its session read through the `session` option. */
export const fetchApp: MakeApp = (sets, options, routes) => {
  const sessions = new MemorySessions();
  const handler = withTracks(
    sets,
    { ...(options as FetchOptions), session: (request) => sessions.find(request.headers.get('cookie')) },
    (request, t) => {
      const url = new URL(request.url);
      if (url.pathname === '/login') {
        const cookie = sessions.start({ userId: url.searchParams.get('user') ?? '' });
        return new Response('{"ok":true}', { headers: { ...JSON_TYPE, 'set-cookie': cookie } });
      }
      const route = routes.find((r) => r.path === url.pathname);
      if (!route) return new Response('{"error":"not found"}', { status: 404, headers: JSON_TYPE });
      try {
        return respond(route, t, headersOf(route));
      } catch (error) {
        return new Response(JSON.stringify(errorBody(error)), { status: 500, headers: JSON_TYPE });
      }
    },
  );
  return listen(fetchListener(handler));
};

/** Trusts X-Forwarded-Proto as the other apps do: the request Hono sees has the https URL a proxy hid. */
function trustProxy(request: Request): Request {
  const https = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  return https ? new Request(request.url.replace(/^http:/, 'https:'), request) : request;
}

/** The contract's `makeApp` for Hono on @hono/node-server, with a session middleware that sets `c.get('session')`. */
export const honoApp: MakeApp = (sets, options, routes) => {
  const sessions = new MemorySessions();
  const app = new Hono<{ Variables: TracksVariables & { session: Record<string, unknown> | undefined } }>();
  app.onError((error, c) => c.json(errorBody(error), 500));
  app.use(async (c, next) => {
    c.set('session', sessions.find(c.req.header('cookie')));
    await next();
  });
  app.use(tracks(sets, options as HonoTracksOptions));
  app.get('/login', (c) => {
    c.header('set-cookie', sessions.start({ userId: c.req.query('user') ?? '' }));
    return c.json({ ok: true });
  });
  for (const route of routes) app.get(route.path, (c) => respond(route, c.get('tracks'), headersOf(route)));
  const listener = getRequestListener((request) => app.fetch(trustProxy(request)));
  return listen((req, res) => void listener(req, res));
};
