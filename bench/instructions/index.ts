// Instructions suite: what tracks-ab adds to a returning visitor's request, and what a store's cache hit costs, in instructions counted by valgrind: the same on a busy machine as on a quiet one.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../stats.js';
import { packageVersions } from '../versions.js';
import type { Row, RunSuite, SuiteOptions, SuiteResult } from '../suite.js';

const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
/**
 * bench/steps/apps.mjs's variants: no middleware; tracks-ab reading 3 sets from a returning visitor's
 * signed cookie; and the store pair, the same visitor with a fourth set registered that the route
 * never reads, without a store and with one, whose cache then serves every request.
 */
const VARIANTS = ['bare', 'tracks-3', 'tracks-3x', 'tracks-3x-store', 'bare-dictionary', 'hand-3'] as const;
type Variant = (typeof VARIANTS)[number];
/**
 * Express only: bare with its response in V8's dictionary mode, as tracks-ab's middleware puts it
 * (adapters/dictionary-mode.ts), which makes Express's own accesses cheaper: tracks-3 minus this is
 * tracks-ab's own work, where tracks-3 minus bare is what an app sees.
 */
const variantsOf = (framework: string): readonly Variant[] => VARIANTS.filter((v) => v !== 'bare-dictionary' || framework === 'express');

interface Counts {
  readonly framework: string;
  readonly variant: Variant;
  /** Instructions per request, one per run. */
  readonly runs: number[];
  /** Runs kept with a mark-compact in their counted requests after `RETRIES` longer warm-ups, though none fell in the warm-up's last half. */
  marked: number;
  /** Runs whose mark-compacts recur (in the warm-up's last half too): kept as they are. */
  recurring: number;
}

/** One count: instructions per request, and how many mark-compacts fell in the counted requests and in the warm-up's last half. */
interface Count {
  readonly perRequest: number;
  readonly marks: number;
  readonly warmMarks: number;
}

/**
 * A mark-compact in the counted requests adds 10 to 22 k to each (bench/README.md, "Counts that
 * moved with how the run was started"). Where none fell in the last half of the warm-up, it was the
 * first one, in the window by chance: the count is taken again after a longer warm-up, by `LATER`
 * requests each time, up to `RETRIES` times, and kept with a note if one still falls in. Where
 * they fell in the warm-up too (Express: one every few thousand requests), they are part of a
 * request's cost, and the count is kept as it is.
 */
const RETRIES = 2;
const LATER = 5_000;

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const k = (n: number): string => `${(n / 1000).toFixed(1)} k`;

/** One count by bench/steps/instructions.sh; the callgrind file it keeps is removed once read. */
function countOnce(options: SuiteOptions, framework: string, variant: Variant, warmup: number, requests: number): Promise<Count> {
  const script = path.join(options.benchRoot, 'steps', 'instructions.sh');
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [script, framework, variant, String(requests), options.repoRoot],
      { env: { ...process.env, NODE_OPTIONS: '', WARMUP: String(warmup) }, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) return reject(new Error(`${framework} ${variant}: instructions.sh failed: ${error.message}`));
        const found =
          /: (\d+) instructions per request .*callgrind file (\S+);.*mark-compacts in them: (\d+); in the last half of the warm-up: (\d+)\)/.exec(
            stdout,
          );
        if (!found) return reject(new Error(`${framework} ${variant}: no count in instructions.sh's output: ${stdout.trim()}`));
        fs.rmSync(found[2]!, { force: true });
        resolve({ perRequest: Number(found[1]), marks: Number(found[3]), warmMarks: Number(found[4]) });
      },
    );
  });
}

/** Every (framework, variant) counted `runs` times, two valgrinds at a time (a count does not depend on load). */
async function countAll(options: SuiteOptions, runs: number, warmup: number, requests: number): Promise<Counts[]> {
  const all: Counts[] = FRAMEWORKS.flatMap((framework) =>
    variantsOf(framework).map((variant) => ({ framework, variant, runs: [], marked: 0, recurring: 0 })),
  );
  const queue = Array.from({ length: runs }, () => all).flat();
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      try {
        let count = await countOnce(options, c.framework, c.variant, warmup, requests);
        for (let retry = 1; retry <= RETRIES && count.marks > 0 && count.warmMarks === 0; retry++) {
          options.log(
            `instructions: ${c.framework} ${c.variant}: a mark-compact in the counted requests (${k(count.perRequest)}), counted again after ${LATER * retry} more requests of warm-up`,
          );
          count = await countOnce(options, c.framework, c.variant, warmup + LATER * retry, requests);
        }
        if (count.marks > 0 && count.warmMarks > 0) c.recurring++;
        else if (count.marks > 0) c.marked++;
        c.runs.push(count.perRequest);
      } catch (error) {
        // A failed count ends the run: the other worker stops after the count it is on.
        queue.length = 0;
        throw error;
      }
      options.log(`instructions: ${c.framework} ${c.variant} run ${c.runs.length}/${runs}: ${(c.runs.at(-1)! / 1000).toFixed(1)} k`);
    }
  };
  await Promise.all([worker(), worker()]);
  return all;
}

export const run: RunSuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const versions = packageVersions(options.repoRoot, FRAMEWORKS);
  const runs = options.quick ? 1 : 3;
  const warmup = options.quick ? 5_000 : 20_000;
  const requests = options.quick ? 2_000 : 10_000;
  const title =
    `instructions per returning visitor's request (3 sets read, signed cookie), counted by valgrind over ${requests.toLocaleString('en-US')} ` +
    `requests after ${warmup.toLocaleString('en-US')} of warm-up, in-process, compiler and GC on the main thread (bench/steps/instructions.sh); ` +
    `${runs} run${runs > 1 ? 's' : ''} a variant, medians [min to max]`;
  const base = { suite: 'instructions', title, baseline: null, versions };
  if (!hasValgrind()) {
    return { ...base, rows: [], notes: ['instructions: skipped, valgrind is not installed (apt-get install valgrind)'], failures: [] };
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  let counts: Counts[];
  try {
    counts = await countAll(options, runs, warmup, requests);
  } catch (error) {
    return { ...base, rows: [], notes: [], failures: [(error as Error).message] };
  }
  const of = (framework: string, variant: Variant): number[] => counts.find((c) => c.framework === framework && c.variant === variant)!.runs;
  /** What tracks-ab's own work adds: over bare, or for Express over bare-dictionary. */
  const own = new Map<string, number>();
  for (const framework of FRAMEWORKS) {
    for (const variant of variantsOf(framework)) {
      const values = of(framework, variant);
      rows.push({
        id: `${framework}-${variant}`,
        label: `${framework} ${variant}`,
        // hand-3 is not tracks-ab: the same work written by hand for this visitor (bench/steps/by-hand.mjs).
        kind: variant.startsWith('bare') || variant === 'hand-3' ? 'floor' : 'subject',
        median: median(values) / 1000,
        min: Math.min(...values) / 1000,
        max: Math.max(...values) / 1000,
        unit: 'k instructions/request',
        rounds: values.length,
      });
    }
    const bare = of(framework, 'bare');
    const tracks = of(framework, 'tracks-3');
    const plus = median(tracks) - median(bare);
    const floor = framework === 'express' ? of(framework, 'bare-dictionary') : bare;
    own.set(framework, median(tracks) - median(floor));
    if (framework === 'express')
      rows.push({
        id: `${framework}-own`,
        label: `${framework}: tracks-ab's own work (over bare-dictionary)`,
        kind: 'step',
        median: own.get(framework)! / 1000,
        min: (Math.min(...tracks) - Math.max(...floor)) / 1000,
        max: (Math.max(...tracks) - Math.min(...floor)) / 1000,
        unit: 'k instructions/request',
        rounds: runs,
      });
    rows.push({
      id: `${framework}-added`,
      label: `${framework}: added by tracks-ab (3 sets)`,
      kind: 'step',
      median: plus / 1000,
      min: (Math.min(...tracks) - Math.max(...bare)) / 1000,
      max: (Math.max(...tracks) - Math.min(...bare)) / 1000,
      unit: 'k instructions/request',
      rounds: runs,
    });
    const hand = of(framework, 'hand-3');
    rows.push({
      id: `${framework}-over-hand`,
      label: `${framework}: tracks-ab over the same work written by hand (hand-3)`,
      kind: 'step',
      median: (median(tracks) - median(hand)) / 1000,
      min: (Math.min(...tracks) - Math.max(...hand)) / 1000,
      max: (Math.max(...tracks) - Math.min(...hand)) / 1000,
      unit: 'k instructions/request',
      rounds: runs,
    });
    const without = of(framework, 'tracks-3x');
    const withStore = of(framework, 'tracks-3x-store');
    const ratio = median(withStore) / median(without);
    rows.push({
      id: `${framework}-store-cache`,
      label: `${framework}: a store's cache hit, with a store over without`,
      kind: 'ratio',
      median: ratio,
      min: Math.min(...withStore) / Math.max(...without),
      max: Math.max(...withStore) / Math.min(...without),
      unit: 'ratio',
      rounds: runs,
    });
    notes.push(
      `${framework}: bare ${k(median(bare))}, tracks-ab ${k(median(tracks))}, added ${k(plus)}` +
        (framework === 'express' ? ` (own work over bare-dictionary ${k(median(floor))}: ${k(own.get(framework)!)})` : '') +
        `; written by hand (hand-3) ${k(median(hand))}, so tracks-ab adds ${k(median(tracks) - median(hand))} over it` +
        '; ' +
        `store cache hit ${k(median(withStore))} over ${k(median(without))} = ${ratio.toFixed(3)} [${(Math.min(...withStore) / Math.max(...without)).toFixed(3)} to ${(Math.max(...withStore) / Math.min(...without)).toFixed(3)}]`,
    );
  }
  const marked = counts.filter((c) => c.marked > 0).map((c) => `${c.framework} ${c.variant} (${c.marked} of ${c.runs.length})`);
  if (marked.length > 0)
    notes.push(
      `Kept with a mark-compact in the counted requests after ${RETRIES} longer warm-ups (10 to 22 k more a request each): ${marked.join(', ')}.`,
    );
  const recurring = counts.filter((c) => c.recurring > 0).map((c) => `${c.framework} ${c.variant} (${c.recurring} of ${c.runs.length})`);
  if (recurring.length > 0)
    notes.push(`Mark-compacts recur every few thousand requests, in the warm-up too, and are counted as part of a request: ${recurring.join(', ')}.`);
  const express = own.get('express')!;
  const koa = own.get('koa')!;
  notes.push(
    `Target: Express adds no more than Koa, read as tracks-ab's own work: Express ${k(express)}, Koa ${k(koa)} (${express <= koa ? 'met' : `missed by ${k(express - koa)}`}).`,
    'Target: a store cache hit costs at most 5 % more than the same request without a store: ' +
      FRAMEWORKS.map((f) => {
        const r = median(of(f, 'tracks-3x-store')) / median(of(f, 'tracks-3x'));
        return `${f} ${r.toFixed(3)} (${r <= 1.05 ? 'met' : 'missed'})`;
      }).join(', ') +
      '.',
  );
  return { ...base, rows, notes, failures };
};
