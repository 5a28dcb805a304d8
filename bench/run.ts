// `npm run bench`: runs the engine suite and, when present, bench/http, and prints one table.
//   --quick            fewer keys and rounds (well under a minute)
//   --suite NAME       only this suite (engine, http, steps, instructions, exposures, exposure-writes, store, report-queries); repeatable
//   --cases ID,ID      only these case ids (within every suite that honours it; http: the frameworks, express,koa,fastify)
//   --rounds N         this many rounds (in every suite that honours it: http, whose default is 12)
//   --results [FILE]   also write the report as Markdown (default bench/RESULTS.md)
//   --json FILE        also write the raw results as JSON
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBenchDependencies } from './deps.js';
import { describeMachine, loadLine } from './report/machine.js';
import { resultsMarkdown, writeResults } from './report/results.js';
import { textTable } from './report/table.js';
import type { RunSuite, SuiteOptions, SuiteResult } from './suite.js';

interface Args {
  quick: boolean;
  suites: string[];
  cases: string[] | null;
  rounds: number | null;
  results: string | null;
  json: string | null;
}

const benchRoot = __dirname;
const repoRoot = path.resolve(benchRoot, '..');

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, suites: [], cases: null, rounds: null, results: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`option ${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--suite') args.suites.push(value());
    else if (a === '--cases') args.cases = value().split(',').filter(Boolean);
    else if (a === '--rounds') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`option --rounds needs a whole number of rounds, at least 1`);
      args.rounds = n;
    } else if (a === '--json') args.json = path.resolve(value());
    else if (a === '--results') {
      const next = argv[i + 1];
      args.results = next && !next.startsWith('--') ? path.resolve(argv[++i]!) : path.join(benchRoot, 'RESULTS.md');
    } else throw new Error(`unknown option ${a} (see the top of bench/run.ts)`);
  }
  return args;
}

/**
 * The suites: bench/<name>/index.ts exporting `run: RunSuite`. A suite folder that does not exist
 * yet is skipped. `--quick` runs engine, http and exposures (steps and exposure-writes are there for the full run and for
 * `--suite steps`), so that a smoke run stays about a minute.
 */
const SUITES = ['engine', 'http', 'steps', 'instructions', 'exposures', 'exposure-writes', 'store', 'report-queries'];
const QUICK_SUITES = ['engine', 'http', 'exposures'];

async function loadSuite(name: string): Promise<RunSuite | null> {
  const file = ['index.ts', 'index.mts', 'index.js', 'index.mjs'].map((f) => path.join(benchRoot, name, f)).find((f) => fs.existsSync(f));
  if (!file) return null;
  const mod = (await import(pathToFileURL(file).href)) as { run?: unknown; default?: { run?: unknown } };
  const run = mod.run ?? mod.default?.run;
  if (typeof run !== 'function') throw new Error(`bench/${name}/${path.basename(file)} must export run(options)`);
  return run as RunSuite;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = args.suites.filter((s) => !SUITES.includes(s));
  if (unknown.length > 0) throw new Error(`unknown suite ${unknown.join(', ')} (suites: ${SUITES.join(', ')})`);
  const options: SuiteOptions = {
    quick: args.quick,
    repoRoot,
    benchRoot,
    cases: args.cases,
    rounds: args.rounds,
    log: (line) => process.stderr.write(line + '\n'),
  };
  ensureBenchDependencies(benchRoot, options.log);
  const machine = describeMachine();
  options.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${args.quick ? ' (quick run)' : ''}`);

  const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const results: SuiteResult[] = [];
  for (const name of args.suites.length > 0 ? args.suites : args.quick ? QUICK_SUITES : SUITES) {
    const run = await loadSuite(name);
    if (!run) {
      if (args.suites.includes(name)) throw new Error(`suite ${name} has no bench/${name}/index.ts`);
      continue;
    }
    const result = await run(options);
    results.push(result);
    // Each suite's figures as soon as it is done (its notes in the log, the results so far in the JSON,
    // marked partial): a later suite that takes the process down loses only itself, not a 40-minute run.
    for (const line of result.notes) options.log(line);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify({ machine, partial: true, command, results }, null, 2) + '\n');
  }

  const loadAtEnd = os.loadavg()[0]!;
  const out: string[] = [`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`, loadLine(machine, loadAtEnd), ''];
  for (const r of results) out.push(`${r.suite}: ${r.title}`);
  out.push('', textTable(results));
  for (const r of results) if (r.notes.length > 0) out.push('', ...r.notes);
  process.stdout.write(out.join('\n') + '\n');

  if (args.results) {
    writeResults(args.results, resultsMarkdown(machine, loadAtEnd, results, command, repoRoot));
    options.log(`wrote ${path.relative(process.cwd(), args.results)}`);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ machine, loadAtEnd, command, results }, null, 2) + '\n');
  if (results.some((r) => r.failures.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
