// HTTP suite: requests/s with tracks-ab and with a naive hand-written middleware, over bare, per framework.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Row, RunSuite, SuiteOptions, SuiteResult } from '../suite.js';
import { cpuSeconds, rssMiB, startServer, type Server } from './processes.js';

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number }; errors: number; non2xx: number; duration: number }>;

const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
const MODES = ['bare', 'tracks', 'naive'] as const;
const TARGETS: Record<string, number> = { express: 0.95, koa: 0.95, fastify: 0.9 };
const SECRET_USER = 'user-4711';
// A browser's User-Agent: load generators' own ("curl", "node") are rightly taken for bots.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The headers of a returning visitor: their id, and the signed cookie a first visit gave them. */
async function returningVisitorHeaders(server: Server): Promise<Record<string, string>> {
  const response = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { 'x-user-id': SECRET_USER, 'user-agent': BROWSER } });
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error(`${server.name}: the first visit set no cookie`);
  return { 'x-user-id': SECRET_USER, 'user-agent': BROWSER, cookie: cookies.join('; ') };
}

export const run: RunSuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const require = createRequire(path.join(options.repoRoot, 'package.json'));
  const autocannon = require('autocannon') as Autocannon;
  const versions: Record<string, string> = {};
  for (const name of ['express', 'koa', 'fastify', 'autocannon']) versions[name] = (require(`${name}/package.json`) as { version: string }).version;

  const rounds = options.quick ? 2 : 10;
  const seconds = options.quick ? 1 : 2;
  const connections = 16;
  const rps = new Map<string, number[]>();
  const clientShare = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const failures: string[] = [];
  const notes: string[] = [];

  for (const framework of FRAMEWORKS) {
    const servers = new Map<string, Server>();
    try {
      for (const mode of MODES) servers.set(mode, await startServer(framework, mode, options.repoRoot));
      const headers = await returningVisitorHeaders(servers.get('tracks')!);
      const hit = async (mode: string, duration: number): Promise<{ rps: number; client: number }> => {
        const server = servers.get(mode)!;
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const result = await autocannon({ url: `http://127.0.0.1:${server.port}/`, connections, duration, headers });
        const wall = Number(process.hrtime.bigint() - t0) / 1e9;
        const cpu = process.cpuUsage(cpu0);
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
        return { rps: result.requests.average, client: (cpu.user + cpu.system) / 1e6 / wall };
      };
      for (const mode of MODES) await hit(mode, 1); // warm-up: JIT, connection pools
      for (let round = 0; round < rounds; round++) {
        // Rotate the order each round so drift on a shared machine hits every mode alike.
        const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
        const perRound: Record<string, number> = {};
        for (const mode of order) {
          const { rps: value, client } = await hit(mode, seconds);
          perRound[mode] = value;
          (rps.get(`${framework} ${mode}`) ?? rps.set(`${framework} ${mode}`, []).get(`${framework} ${mode}`)!).push(value);
          (clientShare.get(framework) ?? clientShare.set(framework, []).get(framework)!).push(client);
          options.log(`http: ${framework} ${mode} round ${round + 1}/${rounds}: ${Math.round(value)} req/s`);
        }
        for (const mode of ['tracks', 'naive']) {
          const key = `${framework} ${mode}`;
          (ratios.get(key) ?? ratios.set(key, []).get(key)!).push(perRound[mode]! / perRound.bare!);
        }
      }
      const serverCpu = cpuSeconds(servers.get('tracks')!.process.pid!);
      if (serverCpu !== null) notes.push(`${framework}: tracks-ab server used ${serverCpu.toFixed(1)} CPU s over the run`);
    } catch (error) {
      failures.push(`${framework}: ${(error as Error).message}`);
    } finally {
      for (const server of servers.values()) server.stop();
    }
  }

  const rows: Row[] = [];
  for (const [id, values] of rps) {
    const [framework, mode] = id.split(' ') as [string, string];
    const label =
      mode === 'bare' ? `${framework}, no middleware` : mode === 'tracks' ? `${framework} + tracks-ab` : `${framework} + naive middleware`;
    rows.push({
      id: id.replace(' ', '-'),
      label,
      kind: mode === 'tracks' ? 'subject' : mode === 'bare' ? 'floor' : 'naive',
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      unit: 'req/s',
      rounds: values.length,
    });
  }
  for (const framework of FRAMEWORKS) {
    const tracks = ratios.get(`${framework} tracks`);
    const naive = ratios.get(`${framework} naive`);
    if (!tracks || !naive) continue;
    const t = median(tracks);
    const n = median(naive);
    notes.push(
      `${framework}: with tracks-ab / without = ${t.toFixed(3)} (target ≥ ${TARGETS[framework]}: ${t >= TARGETS[framework]! ? 'met' : 'missed'}); ` +
        `naive / without = ${n.toFixed(3)}; tracks-ab / naive = ${(t / n).toFixed(2)}; client CPU share ${(median(clientShare.get(framework)!) * 100).toFixed(0)}% of a core`,
    );
  }
  notes.push(...(await memoryRun(options, autocannon)));
  return {
    suite: 'http',
    title: `requests/s, ${connections} connections, returning visitor (3 sets read, signed cookie), ${rounds} alternating rounds of ${seconds} s per mode; ratios are medians of per-round ratios`,
    baseline: null,
    rows,
    notes,
    failures,
    versions,
  };
};

/** RSS of a tracks-ab Express server while 10,000 distinct visitors are enrolled over and over. */
async function memoryRun(options: SuiteOptions, autocannon: Autocannon): Promise<string[]> {
  const seconds = options.quick ? 5 : 60;
  const server = await startServer('express', 'tracks', options.repoRoot);
  try {
    const samples: number[] = [];
    const timer = setInterval(() => {
      const rss = rssMiB(server.process.pid!);
      if (rss !== null) samples.push(rss);
    }, 1000);
    let visitor = 0;
    await autocannon({
      url: `http://127.0.0.1:${server.port}/`,
      connections: 16,
      duration: seconds,
      requests: [
        {
          setupRequest: (request: { headers?: Record<string, string> }) => ({
            ...request,
            headers: { 'x-user-id': `visitor-${visitor++ % 10_000}`, 'user-agent': BROWSER },
          }),
        },
      ],
    });
    clearInterval(timer);
    if (samples.length < 4) return ['memory: too few RSS samples (is /proc available?)'];
    const tenth = samples[Math.floor(samples.length / 10)]!;
    const half = samples[Math.floor(samples.length / 2)]!;
    const last = samples[samples.length - 1]!;
    return [
      `memory: tracks-ab Express server, ${seconds} s of 10,000 distinct visitors (${visitor} requests): RSS ${tenth.toFixed(0)} MiB at 10%, ${half.toFixed(0)} MiB at 50%, ${last.toFixed(0)} MiB at the end (second half growth ${(((last - half) / half) * 100).toFixed(1)}%)`,
    ];
  } finally {
    server.stop();
  }
}
