// Where a returning visitor's request spends its CPU, in-process: V8's sampling profiler, samples attributed to tracks-ab or the framework.
// Usage: node bench/steps/profile.mjs <express|koa|fastify> [variant, default tracks-3] [requests, default 200000]
//        node bench/steps/profile.mjs --file <.cpuprofile> <requests it covers>   (a server's own profile, from node --cpu-prof)
// (run `npm run build` first: tracks-ab is loaded from dist/). Prints µs per request by owner and by function.
import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './apps.mjs';
import { drive, returningVisitor } from './requests.mjs';

const [framework = 'koa', variant = 'tracks-3', requestsArg = '200000'] = process.argv.slice(2);
const requests = Number(requestsArg);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repoRoot, 'package.json'));

/** Whose code a frame is: tracks-ab's (with the packages only it uses), the framework's, or neither (Node, V8). */
function owner(url) {
  if ((!url.includes('node_modules/') && url.includes('/dist/')) || /node_modules\/(cookie|on-headers|isbot|fastify-plugin)\//.test(url))
    return 'tracks-ab';
  if (url.includes('node_modules/') || url.includes('/bench/steps/')) return 'framework and app';
  return null;
}

const short = (frame) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|dist)\//, '').replace(/^file:\/\//, '')}:${frame.lineNumber + 1}`;

/**
 * Each sample goes to the innermost frame that has an owner (Node's own code counts for the code
 * that called it), and within tracks-ab to that function, with the Node or V8 function it was in.
 */
function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map();
  const functions = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const leaf = byId.get(profile.samples[i]);
    let who = null;
    let where = leaf;
    for (let id = leaf.id; id !== undefined && who === null; id = parent.get(id)) {
      where = byId.get(id);
      who = owner(where.callFrame.url);
      // The writeHead wrapper (on-headers, or adapters/before-write-head) calls Node's own writeHead,
      // which every response runs: that is not tracks-ab's.
      if (who === 'tracks-ab' && where !== leaf && /on-headers|before-write-head/.test(where.callFrame.url)) who = null;
    }
    const name = leaf.callFrame.functionName;
    const bucket =
      who ??
      (name === '(garbage collector)' ? 'garbage collector' : name === '(program)' || name === '(idle)' ? 'V8 and Node (no JS frame)' : 'Node');
    owners.set(bucket, (owners.get(bucket) ?? 0) + dt);
    if (who === 'tracks-ab') {
      const key = where === leaf ? short(where.callFrame) : `${short(where.callFrame)}  → ${short(leaf.callFrame)}`;
      functions.set(key, (functions.get(key) ?? 0) + dt);
    }
  }
  return { owners, functions, total };
}

/** Prints the attribution of `profile` as µs per request, scaled so that all samples make `microsPerRequest`. */
function report(title, profile, microsPerRequest) {
  const { owners, functions, total } = attribute(profile);
  const perRequest = (us) => ((us / total) * microsPerRequest).toFixed(3);
  console.log(title);
  console.log('µs per request by owner:');
  for (const [who, us] of [...owners].sort((a, b) => b[1] - a[1])) console.log(`  ${perRequest(us).padStart(8)}  ${who}`);
  console.log('tracks-ab, by function (→ the Node or V8 function it was in):');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${perRequest(us).padStart(8)}  ${fn}`);
}

async function main() {
  if (framework === '--file') {
    // A server profiled under load: idle samples are not work, so the scale is busy time per request.
    const profile = JSON.parse(await readFile(variant, 'utf8'));
    let busy = 0;
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    for (let i = 0; i < profile.samples.length; i++) if (!idle.has(profile.samples[i])) busy += profile.timeDeltas[i] ?? 0;
    profile.timeDeltas = profile.timeDeltas.map((dt, i) => (idle.has(profile.samples[i]) ? 0 : dt));
    report(`${variant}: ${requests} requests, ${(busy / requests).toFixed(2)} µs busy each (profiler running)`, profile, busy / requests);
    return;
  }
  const { handle } = await buildApp(framework, variant, repoRoot, require);
  const next = await returningVisitor(framework, repoRoot, require);
  await drive(handle, next, Math.min(requests, 50_000)); // warm-up, not profiled
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 50 });
  await post('Profiler.start');
  const cpu0 = process.cpuUsage();
  await drive(handle, next, requests);
  const cpu = process.cpuUsage(cpu0);
  const { profile } = await post('Profiler.stop');
  session.disconnect();
  const micros = (cpu.user + cpu.system) / requests;
  report(`${framework} ${variant}: ${requests} requests, ${micros.toFixed(2)} µs CPU each (profiler running)`, profile, micros);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
