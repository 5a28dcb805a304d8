// The apps the steps suite drives in-process: one framework, with tracks-ab configured as one variant asks.
import path from 'node:path';
import { handWritten, mountByHand } from './by-hand.mjs';

export const SETS = ['delay', 'pricing', 'ranking'];

/**
 * The variants, each a step further than the one before it, so that differences between
 * neighbours are the cost of one step. `reads` is how many sets the route reads.
 */
export const VARIANTS = {
  bare: { tracks: false, noop: false, reads: 0 },
  noop: { tracks: false, noop: true, reads: 0 },
  // Express only: bare, with a first middleware that puts the response in V8's dictionary mode as the
  // tracks middleware does (adapters/dictionary-mode.ts), so that tracks-3 minus this is tracks-ab's own work.
  'bare-dictionary': { tracks: false, noop: false, reads: 0, dictionary: true },
  'tracks-0': { tracks: true, reads: 0 },
  'tracks-1': { tracks: true, reads: 1 },
  'tracks-3': { tracks: true, reads: 3 },
  'tracks-3-no-cache': { tracks: true, reads: 3, options: { cache: 'off' } },
  'tracks-3-no-bots': { tracks: true, reads: 3, options: { bots: false } },
  // Not tracks-ab: a middleware written by hand to do its work for this returning visitor, and nothing else (by-hand.mjs).
  'hand-3': { tracks: false, byHand: true, reads: 3 },
  // hand-3 that also makes 16 (48) short-lived objects a request, about 1.3 (4) KB: what allocation
  // alone costs a request here (bench/README.md, "What a request allocates").
  'hand-3-alloc': { tracks: false, byHand: true, reads: 3, allocate: 16 },
  'hand-3-alloc48': { tracks: false, byHand: true, reads: 3, allocate: 48 },
  // The store suite's variants (bench/store/): with a store, whose returning user is served by
  // their cookie (tracks-3-store), or, with a fourth set registered that the route never reads
  // (so the cookie never covers every set), from the store client's cache (tracks-3x-store).
  'tracks-3-store': { tracks: true, reads: 3, store: true },
  'tracks-3x': { tracks: true, reads: 3, extra: true },
  'tracks-3x-store': { tracks: true, reads: 3, extra: true, store: true },
};

const BARE = { delay: 'control', pricing: 'control', ranking: 'control' };

/** Where `allocating` keeps a request's objects until the next request: they live as long as a request's own. */
let kept = null;

/** `read` (by-hand.mjs), making `count` small objects first on each call (none when 0). */
function allocating(read, count) {
  if (count === 0) return read;
  return (user, header) => {
    const objects = [];
    for (let i = 0; i < count; i++) objects.push({ i, user, header, objects, a: i + 1, b: kept?.length ?? 0 });
    kept = objects;
    return read(user, header);
  };
}

/**
 * Builds the app of `variant` and returns `handle(req, res)`, the function Node's HTTP server
 * would call, plus `seen`: how many requests the route ran, and the reasons other than `sticky` it saw.
 */
export async function buildApp(framework, variant, repoRoot, require) {
  const v = VARIANTS[variant];
  if (!v) throw new Error(`unknown variant ${variant}`);
  const { SimpleTrackSet, StoreClient, MemoryAssignmentStore } = require(path.join(repoRoot, 'dist/src/index.js'));
  const classes = [...SETS, ...(v.extra ? ['unread'] : [])].map((name) => {
    const cls = class extends SimpleTrackSet {
      static aTrack() {}
      static bTrack() {}
    };
    cls.setName = name;
    return cls;
  });
  const options = { key: { header: 'x-user-id' }, cookie: { secret: 'bench-secret-0123456789' }, override: false, ...v.options };
  // A cache entry outlives the run, so every request after the first is a cache hit.
  if (v.store) options.store = new StoreClient(new MemoryAssignmentStore(), { cache: { ttlMs: 3_600_000 } });
  const seen = { served: 0, notSticky: new Set() };
  /** An assignment's variant, after noting a reason other than `sticky` (the worker refuses a round that had one). */
  const sticky = (assignment) => {
    if (assignment.reason !== 'sticky') seen.notSticky.add(assignment.reason);
    return assignment.name;
  };
  /**
   * What the route answers: the variants of the sets it reads (control for the others), in one
   * literal as the HTTP suite's route does, so that the driver's own bookkeeping adds little to
   * tracks-ab's rows. A bare app's route reads no `req.tracks`: on Express the first visit (made
   * by a tracks-ab app in this process) leaves tracks-ab's accessor on the shared request
   * prototype, and reading it would count about 3.5 k instructions of tracks-ab in the bare row.
   */
  const names = (tracks) => {
    seen.served++;
    if ((!v.tracks && !v.byHand) || v.reads === 0) return BARE;
    return {
      delay: sticky(tracks.get(classes[0])),
      pricing: v.reads > 1 ? sticky(tracks.get(classes[1])) : 'control',
      ranking: v.reads > 2 ? sticky(tracks.get(classes[2])) : 'control',
    };
  };
  const adapter = (name) => require(path.join(repoRoot, `dist/adapters/${name}.js`));
  const hand = v.byHand ? allocating(handWritten(require, repoRoot, classes, options.cookie.secret), v.allocate ?? 0) : null;
  const store = options.store ?? null;

  if (framework === 'express') {
    const app = require('express')();
    if (v.noop) app.use((_req, _res, next) => next());
    if (v.dictionary) {
      const { toDictionaryMode } = adapter('dictionary-mode');
      app.use((_req, res, next) => (toDictionaryMode(res), next()));
    }
    if (v.tracks) app.use(adapter('express').tracks(classes, options));
    if (hand) mountByHand(framework, app, hand);
    app.get('/', (req, res) => res.json({ ok: true, variants: names(v.tracks || hand ? req.tracks : null) }));
    return { handle: app, seen, store };
  }
  if (framework === 'koa') {
    const Koa = require('koa');
    const app = new Koa();
    if (v.noop) app.use((_ctx, next) => next());
    if (v.tracks) app.use(adapter('koa').tracks(classes, options));
    if (hand) mountByHand(framework, app, hand);
    app.use((ctx) => {
      ctx.body = { ok: true, variants: names(v.tracks || hand ? ctx.tracks : null) };
    });
    return { handle: app.callback(), seen, store };
  }
  if (framework === 'fastify') {
    const app = require('fastify')({ logger: false });
    if (v.noop) app.addHook('onRequest', (_request, _reply, done) => done());
    if (v.tracks) await app.register(adapter('fastify').tracks, { sets: classes, ...options });
    if (hand) mountByHand(framework, app, hand);
    app.get('/', async (request) => ({ ok: true, variants: names(v.tracks || hand ? request.tracks : null) }));
    await app.ready();
    return { handle: app.routing, seen, store };
  }
  throw new Error(`unknown framework ${framework}`);
}
