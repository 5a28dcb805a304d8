// What the throw-away test servers (PostgreSQL, Redis) share: a free loopback port, their process watched by PID, a start awaited until the server answers.
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs any more; false when `ms` passed first. */
export async function waitGone(pids: readonly number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Starts a server in `dir` on a free port: another process may take the port between our look and
 * the server's bind, so a few ports are tried. On failure the dir is removed and the last error thrown.
 */
export async function onFreePort<T>(dir: string, startOn: (port: number) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await startOn(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/** The last lines of a server's log (`server.log` in its dir), for error messages. */
export function logTail(dir: string, lines = 20): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** How to wait for a server process just spawned. */
export interface AwaitReady {
  /** As in messages: "PostgreSQL", "redis-server". */
  readonly name: string;
  readonly port: number;
  readonly dir: string;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  /** Whether the server answers yet. */
  readonly ready: () => Promise<boolean>;
  /** What it must do by the deadline, in messages: "accept connections", "answer". */
  readonly readyWhat: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** The process ended before it was ready: forget its PID. */
  readonly onExited: () => void;
  /** It was not ready by the deadline: kill it. */
  readonly onTimeout: () => Promise<void>;
}

/** Resolves once the server is ready; throws, with its log, when it exits first or misses the deadline. */
export async function awaitReady(w: AwaitReady): Promise<void> {
  const deadline = Date.now() + w.timeoutMs;
  for (;;) {
    const ended = await Promise.race([w.exited, sleep(w.pollMs).then(() => 'running' as const)]);
    if (ended !== 'running') {
      w.onExited();
      throw new Error(`${w.name} exited with code ${String(ended)} on port ${w.port}:\n${logTail(w.dir)}`);
    }
    if (await w.ready()) return;
    if (Date.now() > deadline) {
      await w.onTimeout();
      throw new Error(`${w.name} did not ${w.readyWhat} within ${w.timeoutMs / 1000} s:\n${logTail(w.dir)}`);
    }
  }
}
