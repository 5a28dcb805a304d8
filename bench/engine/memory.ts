// Runs memory.mjs in its own process with the GC flags it needs and turns its figures into notes.
import { fork } from 'node:child_process';
import * as path from 'node:path';

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** What memory.mjs reports. */
export interface MemoryReport {
  chunk: number;
  allocation: { empty: Spread; keepResult: Spread; nameOnly: Spread; python: Spread };
  resultBytes: number;
  growth: { count: number; before: number; after: number };
}

/** Measures in a child: --expose-gc for gc(), and a fixed 64 MB young generation. */
export function measureMemory(quick: boolean): Promise<MemoryReport> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = fork(path.join(__dirname, 'memory.mjs'), quick ? ['--quick'] : [], {
    execArgv: ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'],
    env,
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let report: MemoryReport | null = null;
    child.on('message', (m: MemoryReport) => {
      report = m;
    });
    child.on('exit', (code) => (report ? resolve(report) : reject(new Error(`memory.mjs exited with ${code}`))));
  });
}

const bytes = (n: number): string => `${n.toFixed(0)} B`;

/** The memory lines printed under the table. */
export function memoryNotes(m: MemoryReport): string[] {
  const a = m.allocation;
  const net = (s: Spread): string => bytes(s.median - a.empty.median);
  const grown = m.growth.after - m.growth.before;
  return [
    `Memory (tracks-ab, own process, --expose-gc, 64 MB young generation, medians over chunks of ${m.chunk.toLocaleString('en-US')} prebuilt keys):`,
    `  heap allocated per assign(), result kept as a middleware keeps it: ${net(a.keepResult)} (default), ${net(a.python)} (python mode)`,
    `  heap allocated per assign() when only .name is read: ${net(a.nameOnly)} (default; varies from run to run with what V8 inlines)`,
    `  size of one retained result (Assignment): ${bytes(m.resultBytes)}`,
    `  heap after ${m.growth.count.toLocaleString('en-US')} assignments of distinct new keys, full GC before and after: ` +
      `${grown >= 0 ? '+' : ''}${(grown / 1024).toFixed(1)} KiB (${(grown / m.growth.count).toFixed(4)} B per key)`,
  ];
}
