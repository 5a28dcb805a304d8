// One variant driven in-process for valgrind's instruction count: warms up, waits for SIGUSR2, runs the measured requests, exits.
// Usage (by instructions.sh): node instructions.mjs <repoRoot> <framework> <variant> <warm-up requests> <measured requests>
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildApp } from './apps.mjs';
import { drive, returningVisitor } from './requests.mjs';

const [repoRoot = '', framework = '', variant = '', warmArg = '5000', countArg = '10000'] = process.argv.slice(2);
const require = createRequire(path.join(repoRoot, 'package.json'));
const { handle, seen } = await buildApp(framework, variant, repoRoot, require);
const next = await returningVisitor(framework, repoRoot, require);
await drive(handle, next, Number(warmArg));
process.on('SIGUSR2', async () => {
  const before = seen.served;
  await drive(handle, next, Number(countArg));
  process.stdout.write(`DONE ${seen.served - before}\n`);
  setTimeout(() => process.exit(0), 0);
});
process.stdout.write('READY\n');
// Keeps the process alive until the signal.
setInterval(() => {}, 1 << 30);
