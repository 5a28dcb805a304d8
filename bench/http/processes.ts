// Starts benchmark servers as child processes, asks them for their own CPU time, reads their memory.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A server's own CPU time so far (user + system, µs) and how many requests its route handler ran. */
export interface CpuSnapshot {
  readonly micros: number;
  readonly served: number;
}

/** A running server process. */
export interface Server {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Asks the server (over IPC) for its `process.cpuUsage()` and request count. */
  cpu(): Promise<CpuSnapshot>;
  stop(): void;
}

function askCpu(child: ChildProcess, name: string): Promise<CpuSnapshot> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const snapshot = message as Partial<CpuSnapshot> | null;
      if (typeof snapshot?.micros !== 'number' || typeof snapshot.served !== 'number') return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve({ micros: snapshot.micros, served: snapshot.served });
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

/** Starts `server.mjs <framework> <mode> <repoRoot>` with an IPC channel and waits for the port it prints. */
export function startServer(framework: string, mode: string, repoRoot: string): Promise<Server> {
  const name = `${framework} ${mode}`;
  const child = spawn(process.execPath, [path.join(__dirname, 'server.mjs'), framework, mode, repoRoot], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        child.removeAllListeners('exit');
        resolve({
          name,
          port: Number(line),
          process: child,
          cpu: () => askCpu(child, name),
          stop: () => {
            child.stdin!.end();
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
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
