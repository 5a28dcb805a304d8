// The framework-neutral description of a test app, which each framework's `makeApp` builds for real.
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AnySetClass, Options, Tracks } from '../../src/index.js';

/** One GET route: it reads sets through `tracks` and sends what the handler returns as JSON. */
export interface RouteSpec {
  path: string;
  handler: (tracks: Tracks) => unknown;
  /**
   * Streaming: the route runs `beforeHeaders`, sends the headers and a first byte, and only then
   * calls `handler` and ends the body with its JSON.
   */
  streaming?: boolean;
  beforeHeaders?: (tracks: Tracks) => void;
  /** A Cache-Control header the route sets before it reads anything. */
  cacheControl?: string;
  /**
   * The route takes the raw Node response over (Express: `res.writeHead`; Koa: `ctx.respond =
   * false`; Fastify: `reply.hijack()`; node:http: always raw) and calls `handler` `before` or
   * `after` writing the head. A Fetch handler has no raw response: its head goes out when it
   * returns the Response, so `before` is an ordinary route there and `after` reads from inside
   * the body stream, where the same contract (nothing written, no phantom exposure) holds.
   */
  raw?: 'before' | 'after';
}

/** Answers a raw route on a Node response: the JSON of `handler`, read before or after the head is written. */
export function answerRaw(res: ServerResponse, when: 'before' | 'after', handler: () => unknown): void {
  const early = when === 'before' ? JSON.stringify(handler()) : null;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(early ?? JSON.stringify(handler()));
}

/** A running app for supertest, and how to stop it. */
export interface TestApp {
  server: Server;
  close(): Promise<void>;
}

/**
 * Builds and starts a real app with: a session middleware and `GET /login?user=<id>`, which puts
 * `userId` in the session; trust in X-Forwarded-Proto; the tracks middleware (plugin) over `sets`
 * and `options`; the routes; and an error handler that answers 500 with `{ error, code }`.
 */
export type MakeApp = (sets: readonly AnySetClass[], options: Options<unknown>, routes: readonly RouteSpec[]) => Promise<TestApp>;

/** Starts a Node request listener on an ephemeral local port. */
export async function listen(listener: RequestListener): Promise<TestApp> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once `condition` holds, polling on the event loop (2 s at most). */
export async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('waitFor: condition never held');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The `{ error, code }` body the apps' error handlers send. */
export function errorBody(error: unknown): { error: string; code: string | null } {
  const e = error as { message?: unknown; code?: unknown };
  return { error: String(e?.message ?? error), code: typeof e?.code === 'string' ? e.code : null };
}

/** A request's header, read the same way from Express's req, Koa's ctx, Fastify's request, a Fetch Request and Hono's c. */
export function headerOf(req: unknown, name: string): string | undefined {
  const r = req as { headers?: unknown; req?: { raw?: Request } };
  const headers = r.headers ?? r.req?.raw?.headers;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}
