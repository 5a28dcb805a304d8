// tracksConsole(): the experiments console as one node:http handler, mountable in Express, Koa, Fastify and node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readControlChanges } from '../postgres/control-changes.js';
import { explainKey } from './explain.js';
import { renderExplainPage } from './explain-page.js';
import { FormError, readForm } from './form-body.js';
import { askHook, csrfMatches, csrfToken, sameOrigin, writeGrant } from './guard.js';
import { parseConsoleOptions, type ConsoleConfig, type ConsoleOptions } from './options.js';
import { readConsole, type GroupReads } from './read.js';
import { renderConsole, type RenderContext } from './render.js';
import { ResultsCache } from './results-cache.js';
import { changeOf, fieldText, isRefusal, press } from './write.js';

/**
 * The console's handler: a node:http `(req, res)` handler, and Connect-style middleware when
 * given `next` (requests outside `basePath` go on to it; without it they get a 404). It never
 * rejects. `basePath` and `matches` let an adapter mount it in one line.
 */
export interface ConsoleHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void>;
  readonly basePath: string;
  /** Whether a URL path (without query) belongs to the console. */
  matches(path: string): boolean;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'same-origin');
  // No script at all; styles and images inline only; forms post here only.
  res.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.end(body);
}

function pathOf(req: IncomingMessage): { path: string; query: URLSearchParams } {
  // Express strips a mount path from req.url and keeps the whole in originalUrl.
  const raw = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const url = new URL(raw, 'http://console.invalid');
  return { path: url.pathname, query: url.searchParams };
}

async function page(
  config: ConsoleConfig,
  cache: ResultsCache<GroupReads>,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  flash: RenderContext['flash'],
  fresh = false,
): Promise<void> {
  const csrf = csrfToken(req, res, config.basePath);
  const canWrite = config.token !== null || askHook(config, config.allowWrite, req);
  const needsToken = !askHook(config, config.allowWrite, req);
  const data = await readConsole(config, new Date(), { cache, fresh });
  send(res, status, renderConsole(data, { action: `${config.basePath}/controls`, csrf, canWrite, needsToken, flash, links: config.links }));
}

async function explainPage(config: ConsoleConfig, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const action = `${config.basePath}/explain`;
  const key = query.get('key');
  if (key === null || key === '') return send(res, 200, renderExplainPage(action, null, null, null, config.links));
  try {
    const explained = await explainKey(key, { sets: config.sets, client: config.db, schema: config.schema });
    return send(res, 200, renderExplainPage(action, key, explained, null, config.links));
  } catch (error) {
    // A key the key rule refuses (NUL, unpaired surrogate, too long) is a visitor's input, not a failure of ours.
    return send(res, 400, renderExplainPage(action, key, null, `This key cannot be explained: ${(error as Error).message}`, config.links));
  }
}

async function flashOf(config: ConsoleConfig, query: URLSearchParams): Promise<RenderContext['flash']> {
  const changed = query.get('changed');
  if (changed === null) return null;
  // Read back from the record, so a crafted link cannot put words on the page.
  const [last] = await readControlChanges(config.db, { schema: config.schema, setName: changed, limit: 1 });
  if (last === undefined) return null;
  const after =
    last.after === null
      ? 'no control'
      : Object.entries(last.after)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
          .join(', ') || 'no control';
  return { ok: true, text: `${last.setName}: ${after}, by ${last.changedBy ?? 'someone unnamed'} at ${last.changedAt.toISOString()}.` };
}

async function write(config: ConsoleConfig, cache: ResultsCache<GroupReads>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let fields: Map<string, string>;
  try {
    fields = await readForm(req);
  } catch (error) {
    if (error instanceof FormError) return send(res, error.status, error.message, 'text/plain; charset=utf-8');
    throw error;
  }
  const bearer = req.headers.authorization !== undefined;
  // A bearer token is never sent by a browser on its own: scripts that use it skip the CSRF checks.
  if (!bearer && (!sameOrigin(req) || !csrfMatches(req, fields.get('csrf')))) {
    return page(config, cache, req, res, 403, {
      ok: false,
      text: 'Refused: the form did not come from this console (reload the page and press again).',
    });
  }
  const grant = writeGrant(config, req, fields.get('token'));
  if (grant === null) {
    return page(config, cache, req, res, 403, { ok: false, text: 'Refused: writing needs the console’s token (or allowWrite).' });
  }
  const setName = fields.get('set') ?? '';
  let who: string | null = null;
  try {
    who = config.who?.(req) ?? null;
  } catch (error) {
    config.onError(error);
  }
  const by = who ?? fieldText(fields, 'by', 80) ?? (grant === 'token' ? 'console (token)' : 'console');
  try {
    await press(config, setName, changeOf(fields.get('action'), fields), by, fieldText(fields, 'note', 200));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return page(config, cache, req, res, 400, { ok: false, text: `Refused: ${error.message}` });
  }
  res.statusCode = 303;
  res.setHeader('location', `${config.basePath}/?changed=${encodeURIComponent(setName)}#set-${setName.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  res.setHeader('cache-control', 'no-store');
  res.end();
}

/**
 * Creates the experiments console: every set of the app and of the catalogue with its status,
 * traffic, health, conversion report, metrics and schedule, and the runtime controls as buttons.
 * Reading needs `allow(req)` (default: not in production); writing needs `allowWrite(req)` or the
 * `token`, a same-origin form carrying the CSRF cookie's value (or `Authorization: Bearer <token>`),
 * and each write is recorded with who and when. Options are checked here: a mistake throws a
 * `TracksError` at start-up.
 * @example
 * const consoleHandler = tracksConsole({ db: pool, sets: [DelayTracks], allow: (req) => isStaff(req), token: process.env.CONSOLE_TOKEN })
 * app.use(consoleHandler)                                   // Express: serves /console
 * createServer((req, res) => consoleHandler(req, res, () => app(req, res)))   // node:http
 */
export function tracksConsole(options: ConsoleOptions): ConsoleHandler {
  const config = parseConsoleOptions(options);
  const cache = new ResultsCache<GroupReads>(config.resultsMaxAgeSeconds * 1000, config.onError);
  const base = config.basePath;
  const matches = (path: string): boolean => path === base || path.startsWith(`${base}/`);
  const handler = async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    const { path, query } = pathOf(req);
    if (!matches(path)) {
      if (next) return next();
      return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    }
    try {
      if (!askHook(config, config.allow, req))
        return send(res, 403, 'Forbidden: the console is not open to this request.', 'text/plain; charset=utf-8');
      const rest = path.slice(base.length);
      if ((rest === '' || rest === '/') && (req.method === 'GET' || req.method === 'HEAD'))
        return await page(config, cache, req, res, 200, await flashOf(config, query), query.get('fresh') === '1');
      if (rest === '/controls' && req.method === 'POST') return await write(config, cache, req, res);
      if (rest === '/explain' && (req.method === 'GET' || req.method === 'HEAD')) return await explainPage(config, res, query);
      if (rest === '' || rest === '/' || rest === '/controls') {
        res.setHeader('allow', rest === '/controls' ? 'POST' : 'GET, HEAD');
        return send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8');
      }
      return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    } catch (error) {
      config.onError(error);
      send(res, 500, 'The console could not read the database; the error went to onError.', 'text/plain; charset=utf-8');
    }
  };
  return Object.assign(handler, { basePath: base, matches });
}
