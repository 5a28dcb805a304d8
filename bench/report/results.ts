// Writes RESULTS.md: the machine, the versions, the table and every suite's notes from one run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { SuiteResult } from '../suite.js';
import { loadLine, type Machine } from './machine.js';
import { markdownTable } from './table.js';

/** The commit measured, and whether src/ or adapters/ had uncommitted changes (read-only git queries). */
function commit(repoRoot: string): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'adapters') !== '';
    return git('rev-parse', '--short', 'HEAD') + (dirty ? ' with uncommitted changes in src/ or adapters/' : '');
  } catch {
    return 'unknown';
  }
}

/** The Markdown of a results page. */
export function resultsMarkdown(machine: Machine, loadAtEnd: number, results: readonly SuiteResult[], command: string, repoRoot: string): string {
  const versions = new Map<string, string>();
  for (const r of results) for (const [name, v] of Object.entries(r.versions)) versions.set(name, v);
  const out = [
    '# Benchmark results',
    '',
    `Latest run of \`${command}\`, written by the runner itself (\`--results\`); see README.md for the method.`,
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores available, ${machine.memoryGiB} GiB (a shared machine: expect noise; compare ratios, not runs)`,
    `- Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}`,
    `- Date: ${machine.date}`,
    `- ${loadLine(machine, loadAtEnd)}`,
    `- tracks-ab at commit ${commit(repoRoot)}, measured from its built output (dist/)`,
    '',
    '## Packages',
    '',
    ...[...versions].map(([name, v]) => `- ${name} ${v}`),
    '',
    '## Table',
    '',
    'Medians over the timed rounds; min and max are the fastest and slowest round. "vs baseline" is the',
    "row's time over its suite's baseline row (engine: tracks-ab default), so 7.00× means seven times slower;",
    'where a suite gives its own ratio (engine: the median of per-round ratios; http: the median of per-round',
    'ratios to the same framework with no middleware, in req/s or in server CPU) that is what is shown.',
    '',
    markdownTable(results),
    '',
  ];
  for (const r of results) {
    out.push(`## ${r.suite}`, '', r.title + '.', '');
    if (r.notes.length > 0) out.push('```', ...r.notes, '```', '');
    for (const f of r.failures) out.push(`- FAILED: ${f}`);
  }
  return out.join('\n');
}

export function writeResults(file: string, markdown: string): void {
  fs.writeFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
}
