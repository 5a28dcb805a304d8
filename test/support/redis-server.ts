// A throw-away Redis server for tests: redis-server on a free loopback port, in a temp dir, stopped by PID; killed and restarted by the fault tests.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, awaitReady, logTail, onFreePort, waitGone } from './server-process.js';

/** Debian's redis-server (`/usr/bin/redis-server`), or `TRACKS_REDIS_SERVER` (a valkey-server works too). */
export function redisServerBinary(): string {
  const given = process.env.TRACKS_REDIS_SERVER;
  if (given && !existsSync(given)) throw new Error(`TRACKS_REDIS_SERVER=${given} does not exist`);
  if (given) return given;
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/bin/valkey-server'])
    if (existsSync(candidate)) return candidate;
  throw new Error(
    "no Redis server found (no /usr/bin/redis-server): install Debian's redis-server (`apt-get install redis-server`, as .ci/run does)",
  );
}

/** Whether the server answers PING with PONG (raw RESP over a socket: no client library needed). */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

/** Options of `RedisServer.start`. */
export interface RedisServerOptions {
  /**
   * Keep an append-only file, written before each reply (`appendfsync always`), so a killed
   * server restarts with every acknowledged write: what a store of record needs, and what the
   * fault tests kill. Default false: nothing is persisted (`--save ''`, no AOF), for the suites
   * that never restart it.
   */
  persistent?: boolean;
  /** Start it as a Redis Cluster node (`cluster-enabled`, its address announced as 127.0.0.1); default false. */
  cluster?: boolean;
}

/**
 * One redis-server of its own, on 127.0.0.1 only, in a fresh temp dir. It runs as the current
 * user (Redis, unlike PostgreSQL, accepts root). `kill()` ends it as a crash would and
 * `restart()` brings it back on the same dir and port; `stop()` shuts it down and removes the dir.
 * Every process it signals is its own, by PID.
 */
export class RedisServer {
  #pid: number | null = null;
  readonly #onExit = (): void => {
    if (this.#pid !== null && alive(this.#pid)) process.kill(this.#pid, 'SIGKILL');
  };

  private constructor(
    /** The temp dir holding its append-only files and its log (`server.log`). */
    readonly dir: string,
    /** The loopback port it listens on. */
    readonly port: number,
    readonly options: RedisServerOptions,
  ) {}

  /** Starts a server on a free port; throws with its log when it cannot. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    redisServerBinary();
    const dir = mkdtempSync(join(tmpdir(), 'tracks-redis-'));
    return onFreePort(dir, async (port) => {
      const server = new RedisServer(dir, port, options);
      await server.restart();
      return server;
    });
  }

  /** The connection URL, with a database number (0 to 15) for a suite's own keyspace. */
  url(database = 0): string {
    return `redis://127.0.0.1:${this.port}/${database}`;
  }

  /** The server's PID while it runs. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Starts the server on its dir and port (again, after `kill`), and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.#pid !== null && alive(this.#pid)) throw new Error(`the server is already running (pid ${this.#pid})`);
    const log = openSync(join(this.dir, 'server.log'), 'a');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no', '--logfile', ''];
    args.push('--appendonly', this.options.persistent ? 'yes' : 'no', '--appendfsync', 'always');
    if (this.options.cluster) {
      args.push('--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', '--cluster-config-file', join(this.dir, 'nodes.conf'));
    }
    const child = spawn(redisServerBinary(), args, { cwd: this.dir, stdio: ['ignore', log, log] });
    closeSync(log);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.once('error', () => undefined);
    this.#pid = child.pid ?? null;
    process.on('exit', this.#onExit);
    await awaitReady({
      name: 'redis-server',
      port: this.port,
      dir: this.dir,
      exited,
      ready: () => pings(this.port),
      readyWhat: 'answer',
      timeoutMs: 30_000,
      pollMs: 50,
      onExited: () => {
        this.#pid = null;
        process.off('exit', this.#onExit);
      },
      onTimeout: () => this.kill(),
    });
  }

  /** Ends the server as a crash would (`SIGKILL`), and waits until it is gone. */
  async kill(): Promise<void> {
    const pid = this.#pid;
    if (pid === null) return;
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitGone([pid], 10_000);
    this.#pid = null;
    process.off('exit', this.#onExit);
  }

  /** Shuts the server down (SIGTERM; a kill if it hangs) and removes its dir. */
  async stop(): Promise<void> {
    const pid = this.#pid;
    if (pid !== null && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      if (!(await waitGone([pid], 10_000))) await this.kill();
    }
    this.#pid = null;
    process.off('exit', this.#onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last lines of the server's log, for error messages. */
  logTail(lines = 20): string {
    return logTail(this.dir, lines);
  }
}
