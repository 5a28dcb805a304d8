// What the numbers were measured on: CPU, cores, memory, Node, date, and how busy the machine was.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** A description of this machine and runtime, for the report's heading. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly date: string;
  /** 1-minute load average when the run started: above the core count, other work competed. */
  readonly loadAtStart: number;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: os.cpus() below.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAtStart: os.loadavg()[0]!,
  };
}

/** "load 0.4 at start, 1.9 at end (2 cores)", with a warning when other work was competing. */
export function loadLine(machine: Machine, loadAtEnd: number): string {
  const busy = Math.max(machine.loadAtStart, loadAtEnd) > machine.cores;
  return (
    `1-minute load average ${machine.loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end (${machine.cores} cores)` +
    (busy ? ': other work was competing for the CPU, so expect noise beyond the min–max shown' : '')
  );
}
