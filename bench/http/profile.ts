// Where tracks-ab's added µs go over real HTTP: bare and tracks-ab servers under `node --cpu-prof`, the same load, and the attribution table.
// Usage (after npm run build): npx tsx bench/http/profile.ts [express koa fastify] [--rounds 3] [--seconds 2] [--interval 100] [--keep DIR]
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { attribute, compare, type CpuProfile, type Window } from './attribution.js';
import { returningVisitorHeadersFor, type Autocannon } from './measure.js';
import { startServer, type Server } from './processes.js';

const repoRoot = path.resolve(__dirname, '../..');
const require = createRequire(path.join(repoRoot, 'package.json'));

interface Args {
  frameworks: string[];
  rounds: number;
  seconds: number;
  interval: number;
  keep: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { frameworks: [], rounds: 3, seconds: 2, interval: 100, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--seconds') args.seconds = Number(argv[++i]);
    else if (a === '--interval') args.interval = Number(argv[++i]);
    else if (a === '--keep') args.keep = path.resolve(argv[++i]!);
    else if (['express', 'koa', 'fastify'].includes(a)) args.frameworks.push(a);
    else throw new Error(`unknown argument ${a} (see the top of bench/http/profile.ts)`);
  }
  if (args.frameworks.length === 0) args.frameworks = ['express', 'koa', 'fastify'];
  return args;
}

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const SETTLE_SECONDS = 0.25;
const CONNECTIONS = 16;

/** Loads `server` for `seconds` (after a settling spell) and returns the measured window. */
async function load(autocannon: Autocannon, server: Server, headers: Record<string, string>, seconds: number): Promise<Window> {
  const running = autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: CONNECTIONS,
    duration: SETTLE_SECONDS + seconds + 0.1,
    headers,
  });
  await sleep(SETTLE_SECONDS);
  const before = await server.cpu();
  await sleep(seconds);
  const after = await server.cpu();
  const result = await running;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return { from: before.at, to: after.at, cpuMicros: after.micros - before.micros, served: after.served - before.served };
}

/** Profiles one framework's bare and tracks-ab servers over alternating loads; prints the attribution. */
async function profileFramework(framework: string, args: Args, autocannon: Autocannon, dir: string): Promise<string[]> {
  const dirs = { bare: path.join(dir, `${framework}-bare`), tracks: path.join(dir, `${framework}-tracks`) };
  const flags = (d: string): string[] => ['--cpu-prof', '--cpu-prof-dir', d, '--cpu-prof-interval', String(args.interval)];
  const bare = await startServer(framework, 'bare', repoRoot, flags(dirs.bare));
  const tracks = await startServer(framework, 'tracks', repoRoot, flags(dirs.tracks));
  const windows: { bare: Window[]; tracks: Window[] } = { bare: [], tracks: [] };
  try {
    const headers = await returningVisitorHeadersFor(tracks);
    await load(autocannon, bare, headers, 1); // warm-up: JIT, outside the windows
    await load(autocannon, tracks, headers, 1);
    for (let r = 0; r < args.rounds; r++) {
      // Alternating, the starting server swapped each round, so drift reaches both alike.
      for (const mode of r % 2 === 0 ? (['bare', 'tracks'] as const) : (['tracks', 'bare'] as const)) {
        const w = await load(autocannon, mode === 'bare' ? bare : tracks, headers, args.seconds);
        windows[mode].push(w);
        process.stderr.write(`profile: ${framework} ${mode} round ${r + 1}/${args.rounds}: ${(w.cpuMicros / w.served).toFixed(2)} µs CPU/request\n`);
      }
    }
  } finally {
    for (const s of [bare, tracks]) s.stop(60_000);
    await Promise.all([bare.exited, tracks.exited]);
  }
  const read = (d: string): CpuProfile => {
    const file = fs.readdirSync(d).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${d}`);
    return JSON.parse(fs.readFileSync(path.join(d, file), 'utf8')) as CpuProfile;
  };
  const a = attribute(read(dirs.bare), windows.bare);
  const b = attribute(read(dirs.tracks), windows.tracks);
  const version = (require(`${framework}/package.json`) as { version: string }).version;
  return compare(
    `${framework} ${version}: returning visitor (3 sets read, signed cookie), ${args.rounds} alternating rounds of ${args.seconds} s, ${CONNECTIONS} connections, sampled every ${args.interval} µs`,
    a,
    b,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const autocannon = require('autocannon') as Autocannon;
  const dir = args.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tracks-profile-'));
  const out = [`${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start`, ''];
  try {
    for (const framework of args.frameworks) out.push(...(await profileFramework(framework, args, autocannon, dir)), '');
  } finally {
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  out.push(`load average ${os.loadavg()[0]!.toFixed(1)} at the end`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
