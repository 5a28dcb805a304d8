// The engine suite: every case in its own process, checked, then timed in interleaved rounds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Row, SuiteOptions, SuiteResult } from '../suite.js';
import { BASELINE, CASES, type CaseSpec } from './cases.js';
import { CaseProcess } from './child.js';
import { median, problems, split } from './checks.js';
import { measureMemory, memoryNotes } from './memory.js';
import { checkTargets, pairedRatio } from './targets.js';

const FULL = { keys: 200_000, rounds: 11 };
const QUICK = { keys: 20_000, rounds: 5 };
/** Cases are built and checked two at a time (two cores); timing is strictly one at a time. */
const SETUP_PARALLEL = 2;

function versionOf(benchRoot: string, name: string): string {
  const file = path.join(benchRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Starts and checks every case; returns the processes that passed and the failures. */
async function startAll(specs: readonly CaseSpec[], keys: number, log: SuiteOptions['log']) {
  const ready: CaseProcess[] = [];
  const failures: string[] = [];
  const queue = [...specs];
  const worker = async (): Promise<void> => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      const proc = new CaseProcess(spec, keys);
      try {
        const report = await proc.ready();
        const found = problems(report, keys, spec.id !== 'floor-key');
        if (found.length > 0) throw new Error(`${spec.id}: ${found.join('; ')}`);
        log(`  ${spec.id.padEnd(24)} ready: ${split(report, keys)}, deterministic, no network`);
        ready.push(proc);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        log(`  ${spec.id.padEnd(24)} FAILED: ${error instanceof Error ? error.message : String(error)}`);
        await proc.stop();
      }
    }
  };
  await Promise.all(Array.from({ length: SETUP_PARALLEL }, worker));
  // Table order, whatever order setup finished in.
  ready.sort((a, b) => specs.indexOf(a.spec) - specs.indexOf(b.spec));
  return { ready, failures };
}

/** Runs the engine suite. */
export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const { keys, rounds } = options.quick ? QUICK : FULL;
  const specs = CASES.filter((c) => !options.cases || options.cases.includes(c.id));
  options.log(`engine: ${specs.length} cases, ${keys.toLocaleString('en-US')} keys, ${rounds} rounds; checking each case…`);
  const { ready, failures } = await startAll(specs, keys, options.log);

  const samples = new Map<CaseProcess, number[]>(ready.map((p) => [p, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      // Interleaved: round r of every case before round r + 1 of any; the starting case rotates so
      // that no case always runs right after the same neighbour.
      for (let i = 0; i < ready.length; i++) {
        const proc = ready[(i + r) % ready.length]!;
        const { ns, network } = await proc.round();
        if (network > 0) throw new Error(`${proc.spec.id}: a network connection was attempted during a round`);
        samples.get(proc)!.push(ns / keys);
      }
      options.log(`  round ${r + 1}/${rounds} done`);
    }
  } finally {
    await Promise.all(ready.map((p) => p.stop()));
  }

  const byId = new Map(ready.map((p) => [p.spec.id, samples.get(p)!]));
  const baseline = byId.get(BASELINE);
  const rows: Row[] = ready.map((p) => {
    const s = samples.get(p)!;
    const row = {
      id: p.spec.id,
      label: p.spec.label,
      kind: p.spec.kind,
      median: median(s),
      min: Math.min(...s),
      max: Math.max(...s),
      unit: 'ns/assignment',
      rounds: s.length,
    };
    return baseline ? { ...row, ratio: pairedRatio(s, baseline) } : row;
  });

  const notes: string[] = [];
  if (!options.cases || options.cases.includes(BASELINE)) {
    options.log('engine: measuring memory…');
    notes.push(...memoryNotes(await measureMemory(options.quick)));
  }
  const labels = new Map(ready.map((p) => [p.spec.id, p.spec.label]));
  const targets = checkTargets(
    byId,
    labels,
    CASES.filter((c) => c.kind === 'peer').map((c) => c.id),
  );
  if (targets.length > 0) {
    notes.push('Targets:');
    for (const t of targets) notes.push(`  [${t.met ? 'met' : 'MISSED'}] ${t.text}`);
  }
  for (const f of failures) notes.push(`FAILED ${f}`);

  const versions: Record<string, string> = {
    'tracks-ab': (JSON.parse(fs.readFileSync(path.join(options.repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
  };
  for (const name of ['@growthbook/growthbook', 'unleash-client', 'planout']) versions[name] = versionOf(options.benchRoot, name);

  return {
    suite: 'engine',
    title: `one 3-variant experiment, ${keys.toLocaleString('en-US')} distinct keys built in the loop, one process per case, median of ${rounds} interleaved rounds; ratios are medians of per-round ratios`,
    baseline: ready.some((p) => p.spec.id === BASELINE) ? BASELINE : null,
    rows,
    notes,
    failures,
    versions,
  };
}
