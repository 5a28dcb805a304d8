// One variant driven in-process for valgrind's instruction count: warms up, waits for SIGUSR2, runs the measured requests, exits.
// Usage (by instructions.sh): node instructions.mjs <repoRoot> <framework> <variant> <warm-up requests> <measured requests>
import { createRequire } from 'node:module';
import path from 'node:path';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import { buildApp } from './apps.mjs';
import { drive, returningVisitor } from './requests.mjs';

const [repoRoot = '', framework = '', variant = '', warmArg = '5000', countArg = '10000'] = process.argv.slice(2);
const require = createRequire(path.join(repoRoot, 'package.json'));
const { handle, seen } = await buildApp(framework, variant, repoRoot, require);
const next = await returningVisitor(framework, repoRoot, require);
/** When each mark-compact started: one in the counted requests adds 10 to 22 k to each (bench/README.md). */
const marks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { detail } = /** @type {{ detail?: { kind?: number } }} */ (/** @type {unknown} */ (entry));
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) marks.push(entry.startTime);
  }
}).observe({ entryTypes: ['gc'] });
// The warm-up in two halves: a mark-compact in the second half says they recur at this rate of requests.
const warm = Number(warmArg);
await drive(handle, next, Math.floor(warm / 2));
const late = performance.now();
await drive(handle, next, warm - Math.floor(warm / 2));
const warmed = performance.now();
process.on('SIGUSR2', async () => {
  const before = seen.served;
  const start = performance.now();
  await drive(handle, next, Number(countArg));
  const end = performance.now();
  const served = seen.served - before;
  process.stdout.write('END\n'); // the count stops here
  // Entries arrive after the collection: the ones of the counted requests are all in once the loop turned.
  setTimeout(() => {
    const within = (from, to) => marks.filter((t) => t >= from && t <= to).length;
    process.stdout.write(`DONE ${served} ${within(start, end)} ${within(late, warmed)}\n`);
    setTimeout(() => process.exit(0), 0);
  }, 10);
});
process.stdout.write('READY\n');
// Keeps the process alive until the signal.
setInterval(() => {}, 1 << 30);
