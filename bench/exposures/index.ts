// The exposure log on the request path: ns per event it costs a request, against a no-op onExposure, same run.
import * as path from 'node:path';
import type { Row, RunSuite, SuiteResult } from '../suite.js';

type Event = { setName: string; variant: string; key: string; runId: string; reason: 'hash'; firstExposure: boolean; multiSetName: null };
type Library = {
  exposureLog(options: { sink: { write(rows: readonly unknown[]): Promise<void> }; maxQueue?: number; memoSize?: number }): ((e: Event) => void) & {
    flush(): Promise<boolean>;
    close(): Promise<unknown>;
    stats: { written: number; dropped: number; deduplicated: number };
  };
};

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Events that the request layer would hand over: distinct users (new first exposures), built before the timing. */
function events(count: number, offset: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({
    setName: 'delay',
    variant: i % 3 === 0 ? 'control' : i % 3 === 1 ? 'short' : 'long',
    key: `user-${offset + i}`,
    runId: `run-${offset + i}`,
    reason: 'hash',
    firstExposure: true,
    multiSetName: null,
  }));
}

/**
 * Each round times, in turn, the same batch of events through: a no-op `onExposure` (the floor a
 * callback costs), the exposure log with new users (each event queues a row), and the exposure log
 * with returning users (each event is a remembered repeat, deduplicated before the queue). The sink
 * accepts at once, so the timing is the request-path cost alone; the log is flushed between rounds.
 */
export const run: RunSuite = async (options) => {
  const lib = (await import(path.join(options.repoRoot, 'dist/src/index.js'))) as Library;
  const perRound = options.quick ? 5_000 : 20_000;
  const rounds = options.quick ? 5 : 15;
  const sink = { write: () => Promise.resolve() };
  const log = lib.exposureLog({ sink, maxQueue: 1_000_000, memoSize: 200_000 });
  // A callback that reads the event, as the cheapest real onExposure would: the floor.
  let seen = 0;
  const noop = (e: Event): void => {
    seen += e.key.length;
  };
  const timings: Record<'noop' | 'first' | 'repeat', number[]> = { noop: [], first: [], repeat: [] };
  const time = (fn: (e: Event) => void, batch: readonly Event[]): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch.length; i++) fn(batch[i]!);
    return Number(process.hrtime.bigint() - start) / batch.length;
  };
  for (let round = -1; round < rounds; round++) {
    const fresh = events(perRound, (round + 1) * perRound);
    const n = time(noop, fresh);
    const f = time(log, fresh);
    await log.flush();
    const r = time(log, fresh);
    await log.flush();
    if (round < 0) continue; // warm-up
    timings.noop.push(n);
    timings.first.push(f);
    timings.repeat.push(r);
  }
  const stats = log.stats;
  await log.close();
  const row = (id: 'noop' | 'first' | 'repeat', label: string, kind: string): Row => ({
    id,
    label,
    kind,
    median: median(timings[id]),
    min: Math.min(...timings[id]),
    max: Math.max(...timings[id]),
    unit: 'ns/event',
    rounds,
    ratio: id === 'noop' ? undefined : median(timings[id].map((t, i) => t / timings.noop[i]!)),
  });
  const result: SuiteResult = {
    suite: 'exposures',
    title: `${perRound.toLocaleString('en-US')} exposure events a round, ${rounds} interleaved rounds, one process; the sink accepts at once`,
    baseline: 'noop',
    rows: [
      row('noop', 'no-op onExposure', 'floor'),
      row('first', 'exposure log, new first exposure', 'subject'),
      row('repeat', 'exposure log, remembered repeat', 'subject'),
    ],
    notes: [
      `exposures: ${stats.written.toLocaleString('en-US')} rows written, ${stats.dropped} dropped, ${stats.deduplicated.toLocaleString('en-US')} repeats skipped before the queue (floor checksum ${seen})`,
    ],
    failures: stats.dropped > 0 ? [`exposures: ${stats.dropped} rows were dropped`] : [],
    versions: {},
  };
  return result;
};
