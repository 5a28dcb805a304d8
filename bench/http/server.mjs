// One benchmark server in its own process: a framework, bare, with tracks-ab, with a naive middleware, or with
// tracks-ab's work for the returning visitor written by hand (bench/steps/by-hand.mjs).
// Usage: node server.mjs <express|koa|fastify> <bare|tracks|naive|hand> <repoRoot>; prints the port.
// Started with an IPC channel, it answers the message 'cpu' with its own CPU time and request count.
import { createRequire } from 'node:module';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import { handWritten, mountByHand } from '../steps/by-hand.mjs';

const [framework, mode, repoRoot] = process.argv.slice(2);
const require = createRequire(path.join(repoRoot, 'package.json'));
const cookie = require('cookie');
const { SimpleTrackSet } = require(path.join(repoRoot, 'dist/src/index.js'));

export const SECRET = 'bench-secret-0123456789';
const SETS = ['delay', 'pricing', 'ranking'];
const VARIANTS = ['control', 'a', 'b'];

// Three sets of three variants each, as a real app would read per request.
const classes = SETS.map((name) => {
  const cls = class extends SimpleTrackSet {
    static aTrack() {}
    static bTrack() {}
  };
  cls.setName = name;
  return cls;
});
const options = { key: { header: 'x-user-id' }, cookie: { secret: SECRET }, override: false };
/** `hand`: only what tracks-ab does for this returning visitor; a request it does not know fails the route (and the load). */
const hand = mode === 'hand' ? handWritten(require, repoRoot, classes, SECRET) : null;
/** The route reads `tracks` (tracks-ab's or the hand-written stand-in's) in these modes. */
const reads = mode === 'tracks' || mode === 'hand';

/** What a team writes without a library: parse, md5 each set, sign and set the cookie every time. */
function naiveAssign(cookieHeader, userId) {
  const cookies = cookie.parse(cookieHeader || '');
  const uid = userId || cookies.uid || randomUUID();
  const assigned = {};
  for (const name of SETS) {
    const digest = createHash('md5')
      .update(name + ':' + uid)
      .digest();
    assigned[name] = VARIANTS[digest.readUInt32BE(0) % VARIANTS.length];
  }
  const value = JSON.stringify(assigned);
  const signature = createHmac('sha256', SECRET).update(value).digest('base64url');
  const setCookie = cookie.serialize('ab', value + '.' + signature, { httpOnly: true, path: '/', sameSite: 'lax', maxAge: 31536000 });
  return { assigned, setCookie };
}

const BARE = { delay: 'control', pricing: 'control', ranking: 'control' };

/** Requests the route handler ran: the parent divides this process's CPU time by it. */
let served = 0;

function body(names) {
  served++;
  return { ok: true, variants: names };
}

async function start() {
  if (framework === 'express') {
    const express = require('express');
    const app = express();
    if (mode === 'tracks') app.use(require(path.join(repoRoot, 'dist/adapters/express.js')).tracks(classes, options));
    if (hand) mountByHand(framework, app, hand);
    if (mode === 'naive') {
      app.use((req, res, next) => {
        const { assigned, setCookie } = naiveAssign(req.headers.cookie, req.headers['x-user-id']);
        res.setHeader('Set-Cookie', setCookie);
        req.ab = assigned;
        next();
      });
    }
    app.get('/', (req, res) => {
      const names = reads
        ? { delay: req.tracks.get(classes[0]).name, pricing: req.tracks.get(classes[1]).name, ranking: req.tracks.get(classes[2]).name }
        : mode === 'naive'
          ? req.ab
          : BARE;
      res.json(body(names));
    });
    return new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  }
  if (framework === 'koa') {
    const Koa = require('koa');
    const app = new Koa();
    if (mode === 'tracks') app.use(require(path.join(repoRoot, 'dist/adapters/koa.js')).tracks(classes, options));
    if (hand) mountByHand(framework, app, hand);
    if (mode === 'naive') {
      app.use((ctx, next) => {
        const { assigned, setCookie } = naiveAssign(ctx.get('cookie'), ctx.get('x-user-id'));
        ctx.set('Set-Cookie', setCookie);
        ctx.state.ab = assigned;
        return next();
      });
    }
    app.use((ctx) => {
      const names = reads
        ? { delay: ctx.tracks.get(classes[0]).name, pricing: ctx.tracks.get(classes[1]).name, ranking: ctx.tracks.get(classes[2]).name }
        : mode === 'naive'
          ? ctx.state.ab
          : BARE;
      ctx.body = body(names);
    });
    return new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  }
  if (framework === 'fastify') {
    const Fastify = require('fastify');
    const app = Fastify({ logger: false });
    if (mode === 'tracks') await app.register(require(path.join(repoRoot, 'dist/adapters/fastify.js')).tracks, { sets: classes, ...options });
    if (hand) mountByHand(framework, app, hand);
    if (mode === 'naive') {
      app.decorateRequest('ab', null);
      app.addHook('onRequest', (request, reply, done) => {
        const { assigned, setCookie } = naiveAssign(request.headers.cookie, request.headers['x-user-id']);
        reply.header('set-cookie', setCookie);
        request.ab = assigned;
        done();
      });
    }
    app.get('/', async (request) => {
      const names = reads
        ? { delay: request.tracks.get(classes[0]).name, pricing: request.tracks.get(classes[1]).name, ranking: request.tracks.get(classes[2]).name }
        : mode === 'naive'
          ? request.ab
          : BARE;
      return body(names);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  }
  throw new Error(`unknown framework ${framework}`);
}

const port = await start();
// process.cpuUsage() is getrusage(RUSAGE_SELF): this process's user + system time, in microseconds;
// `at` is the monotonic clock in µs, the clock of a --cpu-prof profile's sample times (bench/http/profile.ts).
process.on('message', (message) => {
  if (message === 'cpu' && process.send) {
    const { user, system } = process.cpuUsage();
    process.send({ micros: user + system, served, at: Number(process.hrtime.bigint() / 1000n) });
  }
});
process.stdout.write(`${port}\n`);
// The parent ends the run by closing stdin (or killing the process).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
