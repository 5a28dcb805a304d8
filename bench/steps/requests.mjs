// Requests as Node's HTTP server hands them to an app, made in-process: for the steps suite and its profiler.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { buildApp } from './apps.mjs';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Requests are started this many at a time, then the event loop turns so promises settle, as under load. */
const BATCH = 64;

/**
 * The raw header lines of one request, as fresh strings cut from a buffer the way Node's parser
 * makes them, so no string (and no string hash) is shared between requests.
 */
export function rawHeaderMaker(cookie, userId = 'user-4711') {
  const lines = ['Host', '127.0.0.1:3000', 'x-user-id', userId, 'user-agent', BROWSER, ...(cookie ? ['cookie', cookie] : [])];
  const buffer = Buffer.from(lines.join(''), 'latin1');
  const bounds = [];
  let at = 0;
  for (const line of lines) bounds.push([at, (at += line.length)]);
  return () => bounds.map(([start, end]) => buffer.toString('latin1', start, end));
}

/** A request as Node's HTTP server hands it over: an IncomingMessage on a socket, and its ServerResponse. */
export function exchange(rawHeaders) {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  // What Node's parser calls with the raw lines; req.headers is then built from them on first read.
  /** @type {IncomingMessage & { _addHeaderLines(lines: string[], n: number): void }} */ (req)._addHeaderLines(rawHeaders, rawHeaders.length);
  req.complete = true;
  req.push(null);
  // Node's server reads these two before it calls the app (requireHostHeader, Expect: 100-continue),
  // which builds req.headers from the raw lines: the app never pays for that first read.
  if (req.headers.host === undefined || req.headers.expect !== undefined) throw new Error('unexpected request headers');
  const res = new ServerResponse(req);
  return { req, res };
}

/** The `name=value` of each Set-Cookie in the header block the response wrote (Fastify passes its headers to writeHead). */
export function setCookies(res) {
  const block = typeof res._header === 'string' ? res._header : '';
  return [...block.matchAll(/^set-cookie: ([^;\r]*)/gim)].map((m) => m[1]);
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Hands `n` requests made by `next` to `handle`, BATCH at a time; resolves with the last response. */
export async function drive(handle, next, n) {
  let last = null;
  for (let i = 0; i < n;) {
    for (let b = 0; b < BATCH && i < n; b++, i++) {
      const { req, res } = next();
      handle(req, res);
      last = res;
    }
    await turn();
  }
  return last;
}

/**
 * Makes a first visit to a tracks-ab app of `framework`, and returns a function that makes each
 * further request of that visitor: their id, a browser's User-Agent and the signed cookie they got.
 */
export async function returningVisitor(framework, repoRoot, require) {
  const { handle } = await buildApp(framework, 'tracks-3', repoRoot, require);
  const visit = exchange(rawHeaderMaker(null)());
  handle(visit.req, visit.res);
  await turn();
  const cookie = setCookies(visit.res).join('; ');
  if (!cookie) throw new Error(`${framework}: the first visit set no cookie`);
  const headers = rawHeaderMaker(cookie);
  return () => exchange(headers());
}

/**
 * The app of `variant` and its returning visitor's requests (`returningVisitor`), after 30 rounds
 * of 2,000 of them: the JIT's work done, so that what V8 inlined is as in the timed suites. For the
 * one-process tools (allocation.mjs, allocation-sites.mjs).
 */
export async function warmedUp(framework, variant, repoRoot, require) {
  const { handle } = await buildApp(framework, variant, repoRoot, require);
  const next = await returningVisitor(framework, repoRoot, require);
  for (let i = 0; i < 30; i++) await drive(handle, next, 2_000);
  return { handle, next };
}
