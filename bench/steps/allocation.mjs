// Bytes a returning visitor's request allocates, in-process: V8's heap growth over requests among which no garbage collection falls.
// Usage: node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 bench/steps/allocation.mjs <express|koa|fastify> [variant, default tracks-3] [requests, default 10000]
// (run `npm run build` first: tracks-ab is loaded from dist/). ROOT=<checkout> loads the apps and dist/ of another checkout.
// Prints the median over 7 windows of the bytes each request allocated (the driver's own objects included, as in every variant):
// read differences between variants, which are what the middleware allocates. A window in which a collection ran is refused.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

const [framework = 'koa', variant = 'tracks-3', requestsArg = '10000'] = process.argv.slice(2);
const requests = Number(requestsArg);
const repoRoot = process.env.ROOT ? path.resolve(process.env.ROOT) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256');
const { drive, warmedUp } = await import(path.join(repoRoot, 'bench/steps/requests.mjs'));
const require = createRequire(path.join(repoRoot, 'package.json'));

const { handle, next } = await warmedUp(framework, variant, repoRoot, require);
let collections = 0;
new PerformanceObserver((list) => void (collections += list.getEntries().length)).observe({ entryTypes: ['gc'] });
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const windows = [];
for (let k = 0; k < 7; k++) {
  globalThis.gc();
  await pause();
  const before = collections;
  const used = v8.getHeapStatistics().used_heap_size;
  await drive(handle, next, requests);
  const grown = v8.getHeapStatistics().used_heap_size - used;
  await pause(); // the observer reports on a later turn
  if (collections !== before)
    throw new Error(`a garbage collection ran among the requests: give node --min-semi-space-size=256 --max-semi-space-size=256, or fewer requests`);
  windows.push(grown / requests);
}
windows.sort((a, b) => a - b);
console.log(
  `${framework} ${variant}: ${Math.round(windows[3] ?? 0)} bytes per request (median of 7 windows of ${requests.toLocaleString('en-US')}; ${windows.map(Math.round).join(' ')})`,
);
