// Where a returning visitor's request allocates, in-process: bytes a request by the function that made them (V8's sampling heap profiler).
// Usage: node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 bench/steps/allocation-sites.mjs <express|koa|fastify> [variant, default tracks-3] [requests, default 5000] [--all]
// (run `npm run build` first: tracks-ab is loaded from dist/). ROOT=<checkout> loads the apps and dist/ of another checkout.
// Prints the bytes a request allocated in all (what the profiler sampled, every 8 bytes), then by allocating function
// with its two callers (sites with tracks-ab's code, from dist/, among the three only; `--all` for every site). Node's own
// allocations under tracks-ab's frames show too (its `writeHead` wrapper calls Node's, which stores the headers as in bare):
// read them against the same run of `bare --all`.
// An object is counted where V8 allocated it: a constructor that V8 inlined counts in its caller (Koa's `new KoaExchange`,
// `new RequestTracks` and `new RequestInputs` all count in `tracksMiddleware`). Objects collected before the end count
// too (the profiler is asked to keep them), so the figures are what the request allocated, not what it retained.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';

const args = process.argv.slice(2);
const all = args.includes('--all');
const [framework = 'koa', variant = 'tracks-3', requestsArg = '5000'] = args.filter((a) => a !== '--all');
const requests = Number(requestsArg);
const repoRoot = process.env.ROOT ? path.resolve(process.env.ROOT) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256');
const { drive, warmedUp } = await import(path.join(repoRoot, 'bench/steps/requests.mjs'));
const require = createRequire(path.join(repoRoot, 'package.json'));

const { handle, next } = await warmedUp(framework, variant, repoRoot, require);
globalThis.gc();

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 8,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await drive(handle, next, requests);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

/** Bytes by site: the allocating function and its two callers, each as `name file:line`. */
const bySite = new Map();
const name = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${lineNumber + 1}`;
const walk = (node, callers) => {
  const frames = [name(node.callFrame), ...callers];
  if (node.selfSize > 0) {
    const site = frames.slice(0, 3).join(' < ');
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, frames);
};
walk(profile.head, []);
const rows = [...bySite].map(([site, bytes]) => [bytes / requests, site]).sort((a, b) => b[0] - a[0]);
const total = rows.reduce((sum, [bytes]) => sum + bytes, 0);
console.log(`${framework} ${variant}: ${Math.round(total)} bytes per request sampled over ${requests.toLocaleString('en-US')} requests`);
const own = rows.filter(([, site]) => all || site.includes(' dist/'));
for (const [bytes, site] of own) if (bytes >= 1) console.log(`${Math.round(bytes).toString().padStart(7)}  ${site}`);
