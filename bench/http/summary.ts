// Turns the HTTP rounds into table rows and notes: requests/s, server CPU per request, what tracks-ab adds.
import { median, quantile } from '../stats.js';
import type { Row } from '../suite.js';
import type { Mode, Round } from './measure.js';

/**
 * Issue 20's targets over HTTP, server CPU tracks-ab adds for a returning visitor (3 sets read,
 * signed cookie): within this many µs of bare on Koa and Fastify, and on Express no more than on Koa.
 */
export const ADDED_CPU_TARGET_MICROS = 2;
const WITHIN_TARGET = new Set(['koa', 'fastify']);

/** Median, quartiles and range of one figure over the rounds. */
interface Spread {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** What one framework's rounds come to. */
export interface FrameworkFigures {
  readonly framework: string;
  /** `Express 5`: the name and the major version measured. */
  readonly title: string;
  /** Requests/s per mode (bare: the mean of its two loads in each round). */
  readonly rps: Record<Mode, Spread>;
  /** Server CPU µs per request per mode (bare: the mean of its two loads in each round). */
  readonly cpu: Record<Mode, Spread>;
  /** Per-round server CPU of the mode minus bare's (the mean of the loads before and after), µs per request. */
  readonly added: Record<'tracks' | 'naive' | 'hand', Spread>;
  /** Per-round server CPU of tracks-ab minus the hand-written middleware's: what its generality costs over the work itself. */
  readonly overHand: Spread;
  /** Per-round server CPU of the bare load after tracks-ab minus the one before: the noise of the measure itself. */
  readonly bareAgain: Spread;
  /** Per-round throughput ratio mode / bare. */
  readonly ratio: Record<'tracks' | 'naive' | 'hand', Spread>;
  /** Per-round server CPU ratio tracks-ab / bare. */
  readonly cpuRatio: Spread;
  /** The load generator's CPU use, in cores. */
  readonly client: Spread;
}

/** Summarises one framework's rounds; every figure is paired within a round before the median is taken. */
export function figures(framework: string, title: string, rounds: readonly Round[]): FrameworkFigures {
  const of = (pick: (round: Round) => number): Spread => spread(rounds.map(pick));
  const bareRps = (r: Round): number => (r.bareBefore.rps + r.bareAfter.rps) / 2;
  const bareCpu = (r: Round): number => (r.bareBefore.cpuMicros + r.bareAfter.cpuMicros) / 2;
  return {
    framework,
    title,
    rps: { bare: of(bareRps), tracks: of((r) => r.tracks.rps), naive: of((r) => r.naive.rps), hand: of((r) => r.hand.rps) },
    cpu: { bare: of(bareCpu), tracks: of((r) => r.tracks.cpuMicros), naive: of((r) => r.naive.cpuMicros), hand: of((r) => r.hand.cpuMicros) },
    added: {
      tracks: of((r) => r.tracks.cpuMicros - bareCpu(r)),
      naive: of((r) => r.naive.cpuMicros - bareCpu(r)),
      hand: of((r) => r.hand.cpuMicros - bareCpu(r)),
    },
    overHand: of((r) => r.tracks.cpuMicros - r.hand.cpuMicros),
    bareAgain: of((r) => r.bareAfter.cpuMicros - r.bareBefore.cpuMicros),
    ratio: { tracks: of((r) => r.tracks.rps / bareRps(r)), naive: of((r) => r.naive.rps / bareRps(r)), hand: of((r) => r.hand.rps / bareRps(r)) },
    cpuRatio: of((r) => r.tracks.cpuMicros / bareCpu(r)),
    client: of((r) => (r.bareBefore.client + r.tracks.client + r.hand.client + r.bareAfter.client + r.naive.client) / 5),
  };
}

const LABELS: Record<Mode, string> = {
  bare: 'no middleware',
  tracks: '+ tracks-ab',
  naive: '+ naive middleware',
  hand: "+ tracks-ab's work written by hand",
};
const KINDS: Record<Mode, string> = { bare: 'floor', tracks: 'subject', naive: 'naive', hand: 'by hand' };
const CPU_UNIT = 'µs CPU/request';

function row(id: string, label: string, kind: string, s: Spread, unit: string, ratio?: number): Row {
  return { id, label, kind, median: s.median, min: s.min, max: s.max, unit, rounds: s.n, ...(ratio === undefined ? {} : { ratio }) };
}

/** The table rows of one framework: requests/s per mode, then server CPU per request and what each middleware adds. */
export function rows(f: FrameworkFigures): Row[] {
  const out: Row[] = [];
  for (const mode of ['bare', 'tracks', 'naive', 'hand'] as const) {
    const label = mode === 'bare' ? `${f.framework}, ${LABELS[mode]}` : `${f.framework} ${LABELS[mode]}`;
    out.push(row(`${f.framework}-${mode}`, label, KINDS[mode], f.rps[mode], 'req/s', mode === 'bare' ? undefined : f.ratio[mode].median));
  }
  out.push(row(`${f.framework}-bare-cpu`, `${f.framework} server CPU, ${LABELS.bare}`, 'floor', f.cpu.bare, CPU_UNIT));
  out.push(row(`${f.framework}-tracks-cpu`, `${f.framework} server CPU ${LABELS.tracks}`, 'subject', f.cpu.tracks, CPU_UNIT, f.cpuRatio.median));
  out.push(row(`${f.framework}-tracks-added`, `${f.framework} server CPU added by tracks-ab`, 'subject', f.added.tracks, CPU_UNIT));
  out.push(row(`${f.framework}-naive-added`, `${f.framework} server CPU added by naive middleware`, 'naive', f.added.naive, CPU_UNIT));
  out.push(
    row(`${f.framework}-hand-added`, `${f.framework} server CPU added by tracks-ab's work written by hand`, 'by hand', f.added.hand, CPU_UNIT),
  );
  out.push(row(`${f.framework}-over-hand`, `${f.framework} server CPU, tracks-ab − written by hand`, 'subject', f.overHand, CPU_UNIT));
  out.push(row(`${f.framework}-bare-again`, `${f.framework} server CPU, bare again − bare (noise)`, 'noise', f.bareAgain, CPU_UNIT));
  return out;
}

const signed = (n: number, digits: number): string => (n >= 0 ? '+' : '') + n.toFixed(digits);
const interval = (a: number, b: number, digits: number): string => `${signed(a, digits)} to ${signed(b, digits)}`;

function align(lines: readonly string[][]): string[] {
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  return lines.map((l) => '  ' + l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

/** The notes: one aligned block that puts server CPU next to throughput for every framework, and the target. */
export function notes(all: readonly FrameworkFigures[], rounds: number): string[] {
  if (all.length === 0) return [];
  const header = [
    'µs CPU/request',
    'bare',
    'tracks-ab',
    'added',
    'IQR',
    'min to max',
    'by hand added',
    'IQR',
    'over hand',
    'IQR',
    'noise',
    'IQR',
    'req/s ratio',
    'naive added',
    'client',
  ];
  const lines = all.map((f) => [
    f.title,
    f.cpu.bare.median.toFixed(2),
    f.cpu.tracks.median.toFixed(2),
    signed(f.added.tracks.median, 2),
    interval(f.added.tracks.q1, f.added.tracks.q3, 2),
    interval(f.added.tracks.min, f.added.tracks.max, 2),
    signed(f.added.hand.median, 2),
    interval(f.added.hand.q1, f.added.hand.q3, 2),
    signed(f.overHand.median, 2),
    interval(f.overHand.q1, f.overHand.q3, 2),
    signed(f.bareAgain.median, 2),
    interval(f.bareAgain.q1, f.bareAgain.q3, 2),
    f.ratio.tracks.median.toFixed(3),
    signed(f.added.naive.median, 1),
    `${(f.client.median * 100).toFixed(0)}%`,
  ]);
  return [
    `Server CPU per request, returning visitor (3 sets read, signed cookie), median of ${rounds} rounds: the server process's own`,
    `user + system time (process.cpuUsage() read over IPC before and after each load) over the requests its route handler ran.`,
    `Each round loads bare, tracks-ab and "by hand" (tracks-ab's work for this visitor written by hand, bench/steps/by-hand.mjs;`,
    `they take turns going first), bare again, and the naive middleware; "added" is a mode minus the mean of the two bare loads`,
    `around it, "over hand" tracks-ab minus by hand in the same round, "noise" the second bare load minus the first (what two`,
    `loads of the same server differ by), IQR the interquartile range over rounds; "req/s ratio" is tracks-ab's throughput over`,
    `bare's in the same round, "client" the load generator's CPU use in % of a core.`,
    ...align([header, ...lines]),
    ...targetNotes(all),
    `Throughput ratios depend on how the 2 cores were shared between the load generator and the server; the CPU figures`,
    `count only the server's own work.`,
  ];
}

/** Issue 20's targets over HTTP, each said met or missed on the medians, next to what the same work costs written by hand. */
function targetNotes(all: readonly FrameworkFigures[]): string[] {
  const koa = all.find((f) => f.framework === 'koa');
  const verdicts = all.map((f) => {
    const added = f.added.tracks.median;
    const hand = `by hand ${signed(f.added.hand.median, 2)}`;
    if (WITHIN_TARGET.has(f.framework)) return `${f.title} ${signed(added, 2)} µs (${hand}): ${added <= ADDED_CPU_TARGET_MICROS ? 'met' : 'missed'}`;
    if (koa === undefined) return `${f.title} ${signed(added, 2)} µs (${hand}): no Koa figure to compare with`;
    return `${f.title} ${signed(added, 2)} µs against Koa's ${signed(koa.added.tracks.median, 2)} (${hand}): ${added <= koa.added.tracks.median ? 'met' : 'missed'}`;
  });
  return [
    `Targets: added server CPU per returning visitor within ${ADDED_CPU_TARGET_MICROS} µs of bare on Koa and Fastify, and on Express no more`,
    `than on Koa: ${verdicts.join('; ')}.`,
  ];
}
