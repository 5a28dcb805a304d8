// One app variant in its own process, driven with Node's own request and response objects, a round at a time.
// Usage (by bench/steps/index.ts): node worker.mjs <framework> <variant> <repoRoot> <requests per round>
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildApp } from './apps.mjs';
import { drive, returningVisitor, setCookies } from './requests.mjs';

const [framework = '', variant = '', repoRoot = '', perRoundArg = ''] = process.argv.slice(2);
const perRound = Number(perRoundArg);
const require = createRequire(path.join(repoRoot, 'package.json'));

async function main() {
  const { handle, seen, store } = await buildApp(framework, variant, repoRoot, require);
  const next = await returningVisitor(framework, repoRoot, require);

  /** Runs n requests; returns this process's CPU µs per request (user + system, GC threads included). */
  const round = async (n) => {
    const before = seen.served;
    const hits = store?.stats.hits ?? 0;
    const cpu0 = process.cpuUsage();
    const last = await drive(handle, next, n);
    const cpu = process.cpuUsage(cpu0);
    if (seen.served - before !== n) throw new Error(`${framework} ${variant}: ${seen.served - before} of ${n} requests answered`);
    if (setCookies(last).length > 0) throw new Error(`${framework} ${variant}: a returning visitor's cookie was rewritten`);
    // With a store: every request of a visitor whose cookie lacks a set is a cache hit; with a full cookie, none even looks.
    const looked = (store?.stats.hits ?? 0) - hits;
    if (store && looked !== (variant.includes('x-store') ? n : 0)) throw new Error(`${framework} ${variant}: ${looked} cache hits in ${n} requests`);
    if (store && store.stats.misses > 1) throw new Error(`${framework} ${variant}: ${store.stats.misses} store loads`);
    if (seen.notSticky.size > 0) throw new Error(`${framework} ${variant}: a set was read as ${[...seen.notSticky].join(', ')}, not sticky`);
    return (cpu.user + cpu.system) / n;
  };

  if (store) {
    // One request alone first: it loads the user (a miss), so that every timed one finds the cache.
    await drive(handle, next, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (let i = 0; i < 20; i++) await round(perRound); // warm-up: JIT
  process.send?.({ type: 'ready' });
  process.on('message', (message) => {
    if (message === 'round') round(perRound).then((micros) => process.send?.({ type: 'round', micros }), fail);
    else if (message === 'exit') process.disconnect?.();
  });
}

function fail(error) {
  process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}

main().catch(fail);
