// Runs one framework's servers in alternating rounds: requests/s and each server's own CPU per request.
import { startServer, type Server } from './processes.js';

/**
 * The modes every framework is measured in: no middleware, tracks-ab, a naive middleware (what a team
 * writes without a library), and `hand`: tracks-ab's work for this returning visitor written by hand
 * (bench/steps/by-hand.mjs), the floor of that work.
 */
export const MODES = ['bare', 'tracks', 'naive', 'hand'] as const;
export type Mode = (typeof MODES)[number];

/** What autocannon's programmatic API is called with and returns, as far as this suite uses it. */
export type Autocannon = (options: Record<string, unknown>) => Promise<{ errors: number; non2xx: number }>;

/** One mode's share of one round. */
export interface Sample {
  /** Requests per second: what the server ran over the measured window (autocannon's own average samples once a second). */
  readonly rps: number;
  /** The server process's own CPU time (user + system) over the requests its route handler ran, in µs per request. */
  readonly cpuMicros: number;
  /** Requests the server ran in this sample. */
  readonly served: number;
  /** The load generator's (this process's) CPU use over the sample, in cores. */
  readonly client: number;
}

/**
 * One round: tracks-ab and the hand-written middleware are loaded between two loads of the bare
 * server, so that drift on a shared machine cancels out of `tracks − (bareBefore + bareAfter) / 2`
 * (and of `hand − …`), `tracks − hand` compares neighbours, and `bareAfter − bareBefore` shows how
 * much two loads of the same server differ (the measurement's own noise).
 */
export interface Round {
  readonly bareBefore: Sample;
  readonly tracks: Sample;
  readonly hand: Sample;
  readonly bareAfter: Sample;
  readonly naive: Sample;
}

/** The loads of round `r`, in order: tracks-ab and hand take turns going first, and the naive load goes last in even rounds and first in odd ones. */
export function schedule(r: number): Array<keyof Round> {
  return r % 2 === 0 ? ['bareBefore', 'tracks', 'hand', 'bareAfter', 'naive'] : ['naive', 'bareBefore', 'hand', 'tracks', 'bareAfter'];
}

const SERVER_OF: Record<keyof Round, Mode> = { bareBefore: 'bare', tracks: 'tracks', hand: 'hand', bareAfter: 'bare', naive: 'naive' };

/** How long and how hard to measure. */
export interface Plan {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

/** Each load runs this long before its measured window opens, and this long after it closes. */
const SETTLE_SECONDS = 0.25;
const TAIL_SECONDS = 0.1;

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

const SECRET_USER = 'user-4711';
// A browser's User-Agent: load generators' own ("curl", "node") are rightly taken for bots.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** The headers of a returning visitor: their id, and the signed cookie a first visit gave them. */
export async function returningVisitorHeadersFor(server: Server): Promise<Record<string, string>> {
  const response = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { 'x-user-id': SECRET_USER, 'user-agent': BROWSER } });
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error(`${server.name}: the first visit set no cookie`);
  return { 'x-user-id': SECRET_USER, 'user-agent': BROWSER, cookie: cookies.join('; ') };
}

/** Anonymous visitors with a browser's User-Agent, for the memory run. */
export function visitorHeaders(id: string): Record<string, string> {
  return { 'x-user-id': id, 'user-agent': BROWSER };
}

/**
 * One autocannon run against `server`; the window measured starts once connections are open and the
 * server is busy again after its idle spell, and ends before the load stops.
 */
async function loadOnce(server: Server, headers: Record<string, string>, plan: Plan, autocannon: Autocannon, seconds: number): Promise<Sample> {
  const running = autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: plan.connections,
    duration: SETTLE_SECONDS + seconds + TAIL_SECONDS,
    headers,
  });
  await sleep(SETTLE_SECONDS);
  const before = await server.cpu();
  const client0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(seconds);
  const after = await server.cpu();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const client = process.cpuUsage(client0);
  const result = await running;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  const served = after.served - before.served;
  if (served === 0) throw new Error(`${server.name}: served no request`);
  return { rps: served / wall, cpuMicros: (after.micros - before.micros) / served, served, client: (client.user + client.system) / 1e6 / wall };
}

/**
 * Runs `plan.rounds` rounds of five loads of `plan.seconds` each, one after the other (see
 * `schedule`). Every round starts the four servers of `framework` afresh and warms each up: a
 * process keeps the bias it got at start (the code its JIT made, where its heap landed, which
 * core's sibling it shares), which on this machine moved a server's CPU per request by more than
 * the microseconds measured (bench/README.md, "Why CPU time cannot resolve a microsecond here"), so
 * one process per server for every round would measure that process's luck each time. The server's
 * CPU time is read over IPC just before and just after its load, so only its own work over those
 * requests counts.
 */
export async function measureFramework(
  framework: string,
  repoRoot: string,
  plan: Plan,
  autocannon: Autocannon,
  log: (line: string) => void,
): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const servers = new Map<Mode, Server>();
    try {
      for (const mode of MODES) servers.set(mode, await startServer(framework, mode, repoRoot));
      const headers = await returningVisitorHeadersFor(servers.get('tracks')!);
      const load = (mode: Mode, seconds: number): Promise<Sample> => loadOnce(servers.get(mode)!, headers, plan, autocannon, seconds);
      for (const mode of MODES) await load(mode, plan.warmupSeconds); // JIT, connection pools
      const samples: Partial<Record<keyof Round, Sample>> = {};
      for (const slot of schedule(round)) {
        const sample = await load(SERVER_OF[slot], plan.seconds);
        samples[slot] = sample;
        log(
          `http: ${framework} ${SERVER_OF[slot]} round ${round + 1}/${plan.rounds}: ${Math.round(sample.rps)} req/s, ${sample.cpuMicros.toFixed(2)} µs server CPU/request`,
        );
      }
      rounds.push(samples as Round);
    } finally {
      // Gone before the next round's servers start, so that none of their exit work lands in its loads.
      for (const server of servers.values()) server.stop();
      await Promise.all([...servers.values()].map((s) => s.exited));
    }
  }
  return rounds;
}
