// The exposure log on the request path: ns per event it costs a request, against a no-op onExposure, same run.
import * as path from 'node:path';
import { median } from '../stats.js';
import type { Row, RunSuite, SuiteResult } from '../suite.js';

type Event = { setName: string; variant: string; key: string; runId: string; reason: 'hash'; firstExposure: boolean; multiSetName: null };
type Library = {
  exposureLog(options: { sink: { write(rows: readonly unknown[]): Promise<void> }; maxQueue?: number; memoSize?: number }): ((e: Event) => void) & {
    flush(): Promise<boolean>;
    close(): Promise<unknown>;
    stats: { written: number; dropped: number; deduplicated: number };
  };
};

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

/** Events handed over between two turns of the event loop, as a busy server's requests do (under the log's own inline limit). */
const TURN = 256;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Each round hands, in turn, the same events to: a no-op `onExposure` (the floor a callback
 * costs), the exposure log with new users (each event becomes a queued row) and the exposure log
 * with the same users again (each a remembered repeat). Events go TURN at a time, and the loop
 * turns after each TURN, as under load. Two times are taken per turn: the calls themselves (what
 * the request path pays: the enqueue) and the turn that follows (where the log dedupes and builds
 * rows, batch-side; the no-op's turn is the floor for it). The sink accepts at once; the log is
 * flushed between modes.
 */
export const run: RunSuite = async (options) => {
  const lib = (await import(path.join(options.repoRoot, 'dist/src/index.js'))) as Library;
  const perRound = options.quick ? 5_120 : 20_480;
  const rounds = options.quick ? 5 : 15;
  const sink = { write: () => Promise.resolve() };
  const log = lib.exposureLog({ sink, maxQueue: 1_000_000 }); // the default memoSize (20,000 triples)
  // A callback that reads the event, as the cheapest real onExposure would: the floor.
  let seen = 0;
  const noop = (e: Event): void => {
    seen += e.key.length;
  };
  type Id = 'noop' | 'first' | 'repeat' | 'noop-turn' | 'first-turn' | 'repeat-turn';
  const timings: Record<Id, number[]> = { noop: [], first: [], repeat: [], 'noop-turn': [], 'first-turn': [], 'repeat-turn': [] };
  /** [ns per event in the calls, ns per event in the turns after them] */
  const time = async (fn: (e: Event) => void, batch: readonly Event[]): Promise<[number, number]> => {
    let calls = 0n;
    let turns = 0n;
    for (let at = 0; at < batch.length; at += TURN) {
      const t0 = process.hrtime.bigint();
      for (let i = at; i < at + TURN; i++) fn(batch[i]!);
      const t1 = process.hrtime.bigint();
      await nextTurn();
      turns += process.hrtime.bigint() - t1;
      calls += t1 - t0;
    }
    return [Number(calls) / batch.length, Number(turns) / batch.length];
  };
  for (let round = -1; round < rounds; round++) {
    const fresh = events(perRound, (round + 1) * perRound);
    const n = await time(noop, fresh);
    const f = await time(log, fresh);
    await log.flush();
    const r = await time(log, fresh);
    await log.flush();
    if (round < 0) continue; // warm-up
    timings.noop.push(n[0]);
    timings['noop-turn'].push(n[1]);
    timings.first.push(f[0]);
    timings['first-turn'].push(f[1]);
    timings.repeat.push(r[0]);
    timings['repeat-turn'].push(r[1]);
  }
  const stats = log.stats;
  await log.close();
  const row = (id: Id, label: string, kind: string, floor: Id | null): Row => ({
    id,
    label,
    kind,
    median: median(timings[id]),
    min: Math.min(...timings[id]),
    max: Math.max(...timings[id]),
    unit: 'ns/event',
    rounds,
    ratio: floor === null ? undefined : median(timings[id].map((t, i) => t / timings[floor][i]!)),
  });
  const added = (id: Id, floor: Id): number => median(timings[id].map((t, i) => t - timings[floor][i]!));
  const verdict = (value: number, target: number): string => `${value.toFixed(0)} ns (${value <= target ? 'met' : 'missed'}, target ≤ ${target} ns)`;
  const result: SuiteResult = {
    suite: 'exposures',
    title:
      `${perRound.toLocaleString('en-US')} exposure events a round, ${TURN} per event-loop turn, ${rounds} interleaved rounds, one process; ` +
      `the sink accepts at once; "calls" is what the request path pays, "turn" the batch-side work after it`,
    baseline: 'noop',
    rows: [
      row('noop', 'no-op onExposure, calls', 'floor', null),
      row('first', 'exposure log, new first exposure, calls (enqueue)', 'subject', 'noop'),
      row('repeat', 'exposure log, remembered repeat, calls (enqueue)', 'subject', 'noop'),
      row('noop-turn', 'no-op onExposure, the turn after (setImmediate floor)', 'floor', null),
      row('first-turn', 'exposure log, new first exposure, batch-side (dedupe, row, queue)', 'subject', 'noop-turn'),
      row('repeat-turn', 'exposure log, remembered repeat, batch-side (dedupe)', 'subject', 'noop-turn'),
    ],
    notes: [
      `exposures: ${stats.written.toLocaleString('en-US')} rows written, ${stats.dropped} dropped, ${stats.deduplicated.toLocaleString('en-US')} repeats skipped before the queue (floor checksum ${seen})`,
      `Targets (request path, per event, medians over rounds): new first exposure ${verdict(median(timings.first), 300)}; remembered repeat ${verdict(median(timings.repeat), 100)}`,
      `  the same net of the no-op callback in the same rounds: first +${added('first', 'noop').toFixed(1)} ns, repeat +${added('repeat', 'noop').toFixed(1)} ns; ` +
        `batch-side, net of the no-op's turn: first +${added('first-turn', 'noop-turn').toFixed(0)} ns, repeat +${added('repeat-turn', 'noop-turn').toFixed(0)} ns`,
    ],
    failures: stats.dropped > 0 ? [`exposures: ${stats.dropped} rows were dropped`] : [],
    versions: {},
  };
  return result;
};
