// The heap of a Koa app with a store while 100,000 distinct users come by, at each tenth: it must stay flat (the cache is bounded).
// Usage (forked with --expose-gc by bench/store/index.ts): node memory.mjs <repoRoot> <users>
import { createRequire } from 'node:module';
import path from 'node:path';
import { exchange, rawHeaderMaker } from '../steps/requests.mjs';

const [repoRoot = '', usersArg = '100000'] = process.argv.slice(2);
const users = Number(usersArg);
const require = createRequire(path.join(repoRoot, 'package.json'));
const { SimpleTrackSet, StoreClient } = require(path.join(repoRoot, 'dist/src/index.js'));
const { tracks } = require(path.join(repoRoot, 'dist/adapters/koa.js'));
const Koa = require('koa');

/** Knows every user (three sets each), as a database full of users would, and holds nothing itself. */
const everyoneKnown = {
  load: () =>
    Promise.resolve(new Map(['delay', 'pricing', 'ranking'].map((setName) => [setName, { variant: 'a', assignedAt: new Date(1000), how: 'hash' }]))),
  save: () => Promise.resolve(),
  alias: () => Promise.resolve(),
  aliasOf: () => Promise.resolve(null),
};

async function main() {
  const classes = ['delay', 'pricing', 'ranking'].map((name) => {
    const cls = class extends SimpleTrackSet {
      static aTrack() {}
      static bTrack() {}
    };
    cls.setName = name;
    return cls;
  });
  const store = new StoreClient(everyoneKnown);
  const app = new Koa();
  app.use(tracks(classes, { key: { header: 'x-user-id' }, cookie: { secret: 'bench-secret-0123456789' }, override: false, store }));
  let stored = 0;
  app.use((ctx) => {
    for (const cls of classes) if (ctx.tracks.get(cls).reason === 'sticky') stored++;
    ctx.body = { ok: true };
  });
  const handle = app.callback();
  const gc = globalThis.gc;
  if (!gc) throw new Error('memory.mjs needs node --expose-gc');
  const heapAfterGc = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const checkpoints = Array.from({ length: 10 }, (_, k) => ((k + 1) * users) / 10);
  const heaps = [];
  for (let i = 0; i < users;) {
    // 64 users at a time, each with a cookie-less first request: a cache miss, then the store's records.
    for (const end = Math.min(users, i + 64); i < end; i++) {
      const { req, res } = exchange(rawHeaderMaker(null, `user-${i}`)());
      void handle(req, res);
    }
    // The loads answer at once (no I/O): a couple of turns of the event loop let every request finish.
    for (let t = 0; t < 2; t++) await new Promise((resolve) => setImmediate(resolve));
    if (heaps.length < checkpoints.length && i >= (checkpoints[heaps.length] ?? Infinity)) heaps.push(heapAfterGc());
  }
  if (stored < users * 3 * 0.99) throw new Error(`only ${stored} of ${users * 3} assignments came from the store`);
  if (store.stats.cached > 10_000) throw new Error(`the cache holds ${store.stats.cached} users`);
  process.send?.({ heap: heaps });
  process.disconnect?.();
}

main().catch((error) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
