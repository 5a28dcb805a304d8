// Reads V8 CPU profiles (node --cpu-prof) of benchmark servers and attributes their CPU per request to owners and functions.

/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A measured window of one server: its monotonic clock (µs) at the start and end, its CPU time and requests over it. */
export interface Window {
  readonly from: number;
  readonly to: number;
  readonly cpuMicros: number;
  readonly served: number;
}

/** Who a frame belongs to. */
export type Owner = 'tracks-ab' | 'framework' | 'app' | 'node' | 'gc' | 'native';

/** One server's profile over its windows: µs of server CPU per request, by function (self time) and by owner. */
export interface Attribution {
  /** Server CPU per request over the windows (process.cpuUsage: every thread). */
  readonly cpuPerRequest: number;
  /** Share of the busy samples' time that fell in the windows (for the report). */
  readonly samples: number;
  /** µs per request of self time, by function key (`name file:line`). */
  readonly self: Map<string, { owner: Owner; micros: number }>;
  /** µs per request by owner of the leaf frame (self time). */
  readonly byOwner: Map<Owner, number>;
  /** µs per request on behalf of: the innermost frame that is tracks-ab's, the framework's or the app's (Node's code counts for its caller). */
  readonly onBehalf: Map<Owner, number>;
}

/** Every package but tracks-ab's own counts as the framework's (the servers load nothing else). */
const FRAMEWORK = /node_modules\//;

/** The owner of a frame, from its script's URL. */
export function ownerOf(url: string, functionName: string): Owner {
  if (functionName === '(garbage collector)') return 'gc';
  if (url === '') return 'native';
  // tracks-ab's own build (dist/src, dist/adapters), and the packages only it uses: never another package's dist/.
  if ((!url.includes('node_modules/') && url.includes('/dist/')) || /node_modules\/(cookie|on-headers|isbot|fastify-plugin)\//.test(url))
    return 'tracks-ab';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/bench/')) return 'app';
  if (FRAMEWORK.test(url)) return 'framework';
  return 'node';
}

/** A function's key in the tables: its name, and its file and line (node_modules/ and dist/ cut). */
export function functionKey(frame: { functionName: string; url: string; lineNumber: number }): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const file = url.includes('node_modules/') ? url.replace(/^.*\/node_modules\//, '') : url.replace(/^.*\/(dist|bench)\//, '$1/');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

/**
 * Attributes the samples of `profile` that fall in `windows` (idle samples left out): each
 * sample's time goes to its leaf function (self time), and the total is scaled so that the busy
 * samples make the server CPU per request measured over the same windows (so time the process
 * spent waiting for a core, which a wall-clock sampler also sees, is not counted as work).
 */
export function attribute(profile: CpuProfile, windows: readonly Window[]): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, { owner: Owner; micros: number }>();
  const byOwner = new Map<Owner, number>();
  const onBehalf = new Map<Owner, number>();
  let busy = 0;
  let t = profile.startTime;
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (!sorted.some((w) => t >= w.from && t < w.to)) continue;
    const leaf = byId.get(profile.samples[i]!)!;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') continue;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    busy += dt;
    const owner = ownerOf(leaf.callFrame.url, name);
    const key = functionKey(leaf.callFrame);
    const entry = self.get(key) ?? { owner, micros: 0 };
    entry.micros += dt;
    self.set(key, entry);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + dt);
    let behalf: Owner = owner;
    if (owner === 'node' || owner === 'native') {
      for (let id = parent.get(leaf.id); id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id)!.callFrame;
        const o = ownerOf(frame.url, frame.functionName);
        // The writeHead wrapper (on-headers, or adapters/before-write-head) calls Node's own writeHead,
        // which every response runs: that is not tracks-ab's (it stays Node's).
        if (o === 'tracks-ab' && /on-headers|before-write-head/.test(frame.url)) break;
        if (o === 'tracks-ab' || o === 'framework' || o === 'app') {
          behalf = o;
          break;
        }
      }
    }
    onBehalf.set(behalf, (onBehalf.get(behalf) ?? 0) + dt);
  }
  const cpu = windows.reduce((s, w) => s + w.cpuMicros, 0);
  const served = windows.reduce((s, w) => s + w.served, 0);
  const cpuPerRequest = cpu / served;
  const scale = busy > 0 ? cpuPerRequest / busy : 0;
  for (const entry of self.values()) entry.micros *= scale;
  for (const [k, v] of byOwner) byOwner.set(k, v * scale);
  for (const [k, v] of onBehalf) onBehalf.set(k, v * scale);
  return { cpuPerRequest, samples: busy, self, byOwner, onBehalf };
}

const OWNERS: readonly Owner[] = ['tracks-ab', 'framework', 'app', 'node', 'native', 'gc'];

/** The report of one framework: bare against tracks-ab, by owner and by function (the largest differences). */
export function compare(title: string, bare: Attribution, tracks: Attribution, top = 25): string[] {
  const f = (n: number): string => n.toFixed(2).padStart(8);
  const s = (n: number): string => (n >= 0 ? '+' : '') + n.toFixed(2);
  const out = [
    title,
    `  server CPU per request (process.cpuUsage over the same windows): bare ${bare.cpuPerRequest.toFixed(2)} µs, tracks-ab ${tracks.cpuPerRequest.toFixed(2)} µs, added ${s(tracks.cpuPerRequest - bare.cpuPerRequest)} µs`,
    `  by owner of the leaf frame (self time)        bare  tracks-ab     added   | on behalf of (Node's code counted for its caller)   bare  tracks-ab     added`,
  ];
  for (const o of OWNERS) {
    const b = bare.byOwner.get(o) ?? 0;
    const t = tracks.byOwner.get(o) ?? 0;
    const bb = bare.onBehalf.get(o) ?? 0;
    const tb = tracks.onBehalf.get(o) ?? 0;
    out.push(`    ${o.padEnd(38)} ${f(b)} ${f(t)}  ${s(t - b).padStart(8)}   | ${o.padEnd(48)} ${f(bb)} ${f(tb)}  ${s(tb - bb).padStart(8)}`);
  }
  const keys = new Set([...bare.self.keys(), ...tracks.self.keys()]);
  const rows = [...keys].map((k) => {
    const b = bare.self.get(k);
    const t = tracks.self.get(k);
    return { k, owner: (t ?? b)!.owner, b: b?.micros ?? 0, t: t?.micros ?? 0 };
  });
  rows.sort((x, y) => Math.abs(y.t - y.b) - Math.abs(x.t - x.b));
  out.push(`  functions by added self time (largest ${top} differences; µs per request):`);
  out.push(`    ${'added'.padStart(8)} ${'bare'.padStart(8)} ${'tracks'.padStart(8)}  owner      function`);
  for (const r of rows.slice(0, top)) out.push(`    ${s(r.t - r.b).padStart(8)} ${f(r.b)} ${f(r.t)}  ${r.owner.padEnd(10)} ${r.k}`);
  return out;
}
