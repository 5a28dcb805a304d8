// Starts benchmark servers as child processes and reads their CPU time and memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A running server process. */
export interface Server {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): void;
}

/** Starts `server.mjs <framework> <mode> <repoRoot>` and waits for the port it prints. */
export function startServer(framework: string, mode: string, repoRoot: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(__dirname, 'server.mjs'), framework, mode, repoRoot], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${framework}/${mode} server exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        child.removeAllListeners('exit');
        resolve({
          name: `${framework} ${mode}`,
          port: Number(line),
          process: child,
          stop: () => {
            child.stdin.end();
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
          },
        });
      }
    });
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used, from /proc/<pid>/stat; null where /proc is absent. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
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
