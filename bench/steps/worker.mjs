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
  const { handle, seen } = await buildApp(framework, variant, repoRoot, require);
  const next = await returningVisitor(framework, repoRoot, require);

  /** Runs n requests; returns this process's CPU µs per request (user + system, GC threads included). */
  const round = async (n) => {
    const before = seen.served;
    const cpu0 = process.cpuUsage();
    const last = await drive(handle, next, n);
    const cpu = process.cpuUsage(cpu0);
    if (seen.served - before !== n) throw new Error(`${framework} ${variant}: ${seen.served - before} of ${n} requests answered`);
    if (setCookies(last).length > 0) throw new Error(`${framework} ${variant}: a returning visitor's cookie was rewritten`);
    for (const reason of seen.reasons) if (reason !== 'sticky') throw new Error(`${framework} ${variant}: a set was read as ${reason}, not sticky`);
    return (cpu.user + cpu.system) / n;
  };

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
