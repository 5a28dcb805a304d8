// The hand-3 variant of the steps apps: a middleware written by hand to do tracks-ab's work for the suites' returning visitor, and nothing else.
import path from 'node:path';

/**
 * What tracks-ab does for the suites' returning visitor (a user by the `x-user-id` header, a signed
 * sticky cookie bound to them, 3 sets read), written by hand for that one case: read the key header
 * and the Cookie header, cut the sticky cookie's value out, look it up in a `Map` of values verified
 * before (an HMAC and the payload decoded only on a miss), check the cookie is bound to this key (an
 * HMAC on the first sight of a key, then a string comparison), and answer the route's reads with
 * objects that every request of that visitor shares. The apps (apps.mjs) then write
 * `Cache-Control: private` after the handler, where one was not set, each in its framework's way.
 * Nothing else: no bots, eligibility, controls, overrides, exposures, store, new visitors, cookie
 * writes, bounds on memory or error handling; a request it does not know gets `null`, which the
 * route would not survive. `hand-3` over `bare` is what this work costs written plainly;
 * `tracks-3` over `hand-3`, what tracks-ab's generality and safety cost on top of it.
 *
 * Returns `read(key, cookieHeader)`: the visitor's reads (`get(cls)` gives `{ name, reason }`), or null.
 */
export function handWritten(require, repoRoot, classes, secret) {
  const { createHmac } = require('node:crypto');
  const { maskName } = require(path.join(repoRoot, 'dist/src/engine/compile.js'));
  const key = Buffer.from(secret, 'utf8');
  const mac = (text) => createHmac('sha256', key).update(text, 'utf8').digest();
  const sets = new Map(classes.map((cls) => [maskName(cls.setName, 'murmur3'), cls]));
  const variants = new Map(['control', 'a', 'b'].map((name) => [maskName(name, 'murmur3'), name]));
  /** value → { tag, bound: the key last found to match the tag, answers } */
  const verified = new Map();

  const verify = (value) => {
    const dot = value.lastIndexOf('.');
    if (dot < 0) return null;
    const payload = value.slice(0, dot);
    if (mac(payload).toString('base64url') !== value.slice(dot + 1)) return null;
    const [format, tag, ...entries] = payload.split('~');
    if (format !== '2') return null;
    const answers = new Map();
    for (const entry of entries) {
      const cls = sets.get(entry.slice(0, 7));
      const name = variants.get(entry.slice(7, 14));
      if (cls && name) answers.set(cls, { name, reason: 'sticky' });
    }
    return { tag, bound: null, reads: { get: (cls) => answers.get(cls) } };
  };

  return (user, header) => {
    if (user === undefined || header === undefined) return null;
    const at = header.indexOf('tracks=');
    if (at < 0 || (at > 0 && header.charCodeAt(at - 1) !== 0x20 && header.charCodeAt(at - 1) !== 0x3b)) return null;
    const end = header.indexOf(';', at);
    const value = header.slice(at + 7, end < 0 ? header.length : end);
    let entry = verified.get(value);
    if (entry === undefined) verified.set(value, (entry = verify(value)));
    if (entry === null) return null;
    if (entry.bound !== user) {
      if (mac(`identity:${user}`).subarray(0, 9).toString('base64url') !== entry.tag) return null;
      entry.bound = user;
    }
    return entry.reads;
  };
}

/**
 * Mounts `hand` (from `handWritten`) on a framework's app as its first middleware, in that
 * framework's way: the reads on `req.tracks` (`ctx.tracks`, `request.tracks`), and
 * `Cache-Control: private` after the handler where it set none — Express in a `writeHead` wrapper
 * (as on-headers does), Koa after `next()` resolves, Fastify in an `onSend` hook. For the steps
 * apps (apps.mjs) and the HTTP suite's servers (bench/http/server.mjs) alike.
 */
export function mountByHand(framework, app, hand) {
  if (framework === 'express') {
    app.use((req, res, next) => {
      req.tracks = hand(req.headers['x-user-id'], req.headers.cookie);
      const writeHead = res.writeHead;
      res.writeHead = function (...args) {
        if (this.getHeader('cache-control') === undefined) this.setHeader('Cache-Control', 'private');
        return writeHead.apply(this, args);
      };
      next();
    });
  } else if (framework === 'koa') {
    app.use((ctx, next) => {
      ctx.tracks = hand(ctx.req.headers['x-user-id'], ctx.req.headers.cookie);
      // Koa writes the headers when the chain is done.
      return next().then(() => {
        if (ctx.res.getHeader('cache-control') === undefined) ctx.res.setHeader('Cache-Control', 'private');
      });
    });
  } else if (framework === 'fastify') {
    app.decorateRequest('tracks', null);
    app.addHook('onRequest', (request, _reply, done) => {
      request.tracks = hand(request.headers['x-user-id'], request.headers.cookie);
      done();
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.getHeader('cache-control') === undefined) reply.header('cache-control', 'private');
      done(null, payload);
    });
  } else throw new Error(`unknown framework ${framework}`);
}
