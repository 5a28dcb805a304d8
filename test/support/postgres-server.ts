// A throw-away PostgreSQL server for tests: initdb in a temp dir, start on a free loopback port as a non-root user, stop by PID.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { alive, awaitReady, logTail, onFreePort, waitGone } from './server-process.js';

/** The superuser of the throw-away cluster (trust authentication, loopback only). */
const SUPERUSER = 'tracks';

/** Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`, the newest), or `TRACKS_POSTGRES_BIN`. */
export function postgresBinDir(): string {
  const given = process.env.TRACKS_POSTGRES_BIN;
  if (given && !existsSync(join(given, 'initdb'))) throw new Error(`TRACKS_POSTGRES_BIN=${given} has no initdb`);
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) {
    throw new Error(
      `no PostgreSQL server found (no ${root}/*/bin/initdb): install Debian's postgresql (\`apt-get install postgresql\`, as .ci/run does)`,
    );
  }
  return join(root, newest, 'bin');
}

/** The uid and gid the server runs as: ours, or the `postgres` user's when we are root (PostgreSQL refuses root). */
let serverUserFound: { uid: number; gid: number } | null | undefined;
function serverUser(): { uid: number; gid: number } | null {
  // Looked up once: a restart in the middle of a fault test must not block on a child process.
  serverUserFound ??= lookUpServerUser();
  return serverUserFound;
}

function lookUpServerUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error("running as root and there is no 'postgres' user to run the server as (Debian's postgresql package creates it)");
  }
}

/** The pids whose parent is `pid` (the backends and helpers of a postmaster), read from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces, so split after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Options of `PostgresServer.start`. */
export interface PostgresServerOptions {
  /** Leave the server running when this process ends (for the command line); default false. */
  detached?: boolean;
}

/**
 * One PostgreSQL cluster of its own: created by `start()` in a fresh temp dir, listening on
 * 127.0.0.1 only, with trust authentication for the `tracks` superuser. `kill()` ends it as a
 * crash would and `restart()` brings it back on the same data dir and port; `stop()` shuts it
 * down and removes the dir. Every process it signals is its own, by PID.
 */
export class PostgresServer {
  #pid: number | null = null;
  readonly #onExit = (): void => {
    // This process is ending without stop(): do not leave the server behind (immediate shutdown).
    if (this.#pid !== null && alive(this.#pid)) process.kill(this.#pid, 'SIGQUIT');
  };

  private constructor(
    /** The temp dir holding the cluster (`data/`) and its log (`server.log`). */
    readonly dir: string,
    /** The loopback port it listens on. */
    readonly port: number,
    readonly options: PostgresServerOptions,
  ) {}

  /** Creates a cluster in a temp dir and starts it on a free port; throws with the server's log when it cannot. */
  static async start(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const bin = postgresBinDir();
    const user = serverUser();
    const dir = mkdtempSync(join(tmpdir(), 'tracks-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    try {
      execFileSync(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', SUPERUSER, '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync'], {
        ...(user ?? {}),
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`initdb failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
    }
    return onFreePort(dir, async (port) => {
      const server = new PostgresServer(dir, port, options);
      await server.restart();
      return server;
    });
  }

  /** A connection URL for `database` (default `postgres`). */
  url(database = 'postgres'): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  /** The postmaster's PID while it runs. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Starts the server on its data dir and port (again, after `kill`), and waits until it takes connections. */
  async restart(): Promise<void> {
    if (this.#pid !== null && alive(this.#pid)) throw new Error(`the server is already running (pid ${this.#pid})`);
    const user = serverUser();
    const log = openSync(join(this.dir, 'server.log'), 'a');
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    // Durability against a crash of the server (what the fault test does) needs the WAL written,
    // not fsync'ed: the operating system keeps it. Tests never crash the machine.
    args.push('-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'shared_buffers=32MB');
    const child = spawn(join(postgresBinDir(), 'postgres'), args, {
      ...(user ?? {}),
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', log, log],
      detached: this.options.detached === true,
    });
    closeSync(log);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.once('error', () => undefined);
    this.#pid = child.pid ?? null;
    if (this.options.detached) child.unref();
    else process.on('exit', this.#onExit);
    await awaitReady({
      name: 'PostgreSQL',
      port: this.port,
      dir: this.dir,
      exited,
      ready: () => this.#accepts(),
      readyWhat: 'accept connections',
      timeoutMs: 60_000,
      pollMs: 100,
      onExited: () => {
        this.#pid = null;
        process.off('exit', this.#onExit);
      },
      onTimeout: () => this.kill(),
    });
  }

  async #accepts(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Ends the server as a crash would: `SIGKILL` to the postmaster (no shutdown checkpoint; the next
   * start runs crash recovery). Waits until its backends are gone too, so a restart can follow.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.#pid;
    if (pid === null) return;
    const children = childrenOf(pid);
    if (alive(pid)) process.kill(pid, signal);
    await waitGone([pid], 10_000);
    // Orphaned backends notice the postmaster's death and exit; end any that linger, they are ours.
    if (!(await waitGone(children, 10_000))) for (const c of children.filter(alive)) process.kill(c, 'SIGKILL');
    await waitGone(children, 5_000);
    this.#pid = null;
    process.off('exit', this.#onExit);
  }

  /** Shuts the server down (fast shutdown, SIGINT; a crash-style kill if it hangs) and removes its dir. */
  async stop(): Promise<void> {
    const pid = this.#pid;
    if (pid !== null && alive(pid)) {
      process.kill(pid, 'SIGINT');
      if (!(await waitGone([pid], 15_000))) await this.kill();
    }
    this.#pid = null;
    process.off('exit', this.#onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last lines of the server's log, for error messages. */
  logTail(lines = 20): string {
    return logTail(this.dir, lines);
  }

  /** Re-attaches to a server started with `detached` by an earlier process (the command line). */
  static attach(state: { dir: string; port: number; pid: number }): PostgresServer {
    const server = new PostgresServer(state.dir, state.port, { detached: true });
    server.#pid = state.pid;
    return server;
  }
}
