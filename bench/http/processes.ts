// Starts benchmark servers as child processes, asks them for their own CPU time, reads their memory.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A server's own CPU time so far (user + system, µs) and how many requests its route handler ran. */
export interface CpuSnapshot {
  readonly micros: number;
  readonly served: number;
  /** When it was read: the server's monotonic clock in µs (the clock of its --cpu-prof samples). */
  readonly at: number;
}

/** A running server process. */
export interface Server {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Asks the server (over IPC) for its `process.cpuUsage()` and request count. */
  cpu(): Promise<CpuSnapshot>;
  /** Asks the process to exit (it writes a --cpu-prof profile then); killed after `graceMs` (default 2,000). */
  stop(graceMs?: number): void;
  /** Resolves once the process has exited (after `stop`). */
  exited: Promise<void>;
}

function askCpu(child: ChildProcess, name: string): Promise<CpuSnapshot> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const snapshot = message as Partial<CpuSnapshot> | null;
      if (typeof snapshot?.micros !== 'number' || typeof snapshot.served !== 'number') return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve({ micros: snapshot.micros, served: snapshot.served, at: snapshot.at ?? 0 });
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`${name} server exited with ${code} while asked for its CPU time`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send('cpu');
  });
}

/**
 * Starts `server.mjs <framework> <mode> <repoRoot>` with an IPC channel and waits for the port it
 * prints; `nodeFlags` go to node before the script (the profiler's `--cpu-prof …`).
 */
export function startServer(framework: string, mode: string, repoRoot: string, nodeFlags: readonly string[] = []): Promise<Server> {
  const name = `${framework} ${mode}`;
  const child = spawn(process.execPath, [...nodeFlags, path.join(__dirname, 'server.mjs'), framework, mode, repoRoot], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    const early = (code: number | null): void => reject(new Error(`${name} server exited with ${code} before listening`));
    child.once('exit', early);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        child.off('exit', early);
        resolve({
          name,
          port: Number(line),
          process: child,
          cpu: () => askCpu(child, name),
          exited,
          stop: (graceMs = 2000) => {
            child.stdin!.end();
            setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
          },
        });
      }
    });
  });
}

/** Resident set size in MiB, from /proc/<pid>/status; null where /proc is absent. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
