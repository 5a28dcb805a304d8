// HTTP suite: per framework, requests/s and the server's own CPU per request, bare, with tracks-ab, with tracks-ab's work written by hand, and with a naive middleware.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { packageVersions } from '../versions.js';
import type { Row, RunSuite, SuiteOptions, SuiteResult } from '../suite.js';
import { measureFramework, type Autocannon, type Plan } from './measure.js';
import { memoryRun } from './memory.js';
import { figures, notes, rows, type FrameworkFigures } from './summary.js';

const FRAMEWORKS = [
  { id: 'express', name: 'Express' },
  { id: 'koa', name: 'Koa' },
  { id: 'fastify', name: 'Fastify' },
] as const;

export const run: RunSuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const require = createRequire(path.join(options.repoRoot, 'package.json'));
  const autocannon = require('autocannon') as Autocannon;
  const versions = packageVersions(options.repoRoot, ['express', 'koa', 'fastify', 'autocannon']);

  const quick = options.quick;
  const plan: Plan = {
    rounds: options.rounds ?? (quick ? 2 : 12),
    seconds: quick ? 0.5 : 1.5,
    warmupSeconds: quick ? 0.5 : 1,
    connections: 16,
  };
  const failures: string[] = [];
  const all: FrameworkFigures[] = [];
  // `--cases koa,fastify`: only these frameworks (ids of other suites' cases leave all of them in).
  const named = FRAMEWORKS.filter(({ id }) => options.cases?.includes(id) === true);
  const chosen = named.length > 0 ? named : FRAMEWORKS;
  for (const { id, name } of chosen) {
    try {
      const rounds = await measureFramework(id, options.repoRoot, plan, autocannon, options.log);
      all.push(figures(id, `${name} ${versions[id]!.split('.')[0]}`, rounds));
    } catch (error) {
      failures.push(`${id}: ${(error as Error).message}`);
    }
  }
  const table: Row[] = all.flatMap(rows);
  return {
    suite: 'http',
    title:
      `requests/s and the server's own CPU µs per request, ${plan.connections} connections, returning visitor (3 sets read, signed cookie), ` +
      `${plan.rounds} rounds of 5 loads (bare, tracks-ab and by hand in turn, bare, naive) measured over ${plan.seconds} s each; "vs baseline" is against the same framework with no middleware, ` +
      `median of per-round ratios; "added" rows are medians of per-round differences`,
    baseline: null,
    rows: table,
    // The memory run loads an Express server: left out when --cases leaves Express out.
    notes: [...notes(all, plan.rounds), ...(chosen.some(({ id }) => id === 'express') ? await memoryRun(options, autocannon) : [])],
    failures,
    versions,
  };
};
