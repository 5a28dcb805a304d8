// `tracks-ab report <set>`: a set's results from the database (PGlite dir or DATABASE_URL), as a table or JSON.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeMulti, analyzeSet } from '../analysis/report.js';
import type { ReportOptions } from '../analysis/report-types.js';
import { describeSet, type MultiDescription, type SetDescription } from '../engine/describe-set.js';
import type { AnySetClass } from '../engine/track-set.js';
import { reportCounts, type ConversionQuery } from '../postgres/report-queries.js';
import { OperationError, UsageError, type Command } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { multiReportLines, setReportLines } from './report-table.js';
import { parseDecimal } from './decimal.js';
import { withDatabase } from './run-database.js';

const USAGE = `usage: tracks-ab report <set> --sets <module> [--conversions <sql>] [--param <value>]...
                        [--pglite <dir> | --database-url <url>] [--schema <name>] [--json]
                        [--confidence <c>] [--tuning-users <n>] [--minimum-effect <points>]

Prints the results of <set> (its name, as describeSet gives it) from the tracks-ab tables.

    --sets <module>        a module exporting the set classes (JavaScript, or TypeScript under tsx);
                           it may export \`conversions\` ({ sql, params }) too
    --conversions <sql>    the app's conversions: a query returning (user key, converted at);
                           placeholders $1, $2… take the --param values in order
    --param <value>        a parameter of the conversion query (repeatable)
    --json                 print the report as JSON
    --confidence <c>       confidence of every interval (default 0.95)
    --tuning-users <n>     users at which the sequential interval is tightest (default 5000)
    --minimum-effect <p>   the smallest difference that matters, in points (1 = one point)

${DATABASE_HELP}`;

function numberOption(value: string | undefined, name: string, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = parseDecimal(value);
  if (n === null || !check(n)) throw new UsageError(`option --${name} is invalid: ${JSON.stringify(value)}`, reportCommand);
  return n;
}

/** Loads a module by path: require first (CommonJS, or TypeScript under tsx), import() for ES modules. */
export async function loadModule(file: string): Promise<Record<string, unknown>> {
  const resolved = path.resolve(file);
  try {
    return createRequire(resolved)(resolved) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw error;
    return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  }
}

/** Every set class among a module's exports, described. */
function setsIn(exports: Record<string, unknown>): (SetDescription | MultiDescription)[] {
  const found: (SetDescription | MultiDescription)[] = [];
  for (const value of Object.values(exports)) {
    if (typeof value !== 'function') continue;
    try {
      found.push(describeSet(value as AnySetClass));
    } catch {
      // Not a set class: other exports are allowed.
    }
  }
  return found;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sets: { type: 'string' },
      conversions: { type: 'string' },
      param: { type: 'string', multiple: true },
      ...DATABASE_OPTIONS,
      json: { type: 'boolean' },
      confidence: { type: 'string' },
      'tuning-users': { type: 'string' },
      'minimum-effect': { type: 'string' },
    },
  });
  return { values, positionals };
}

/**
 * `tracks-ab report <set>`: reads the set's variants and weights from `--sets <module>`, counts its
 * persons and conversions with `reportCounts`, and prints `analyzeSet` (or `analyzeMulti`) as an
 * aligned table, or as JSON with `--json`.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: "a set's results: verdicts, intervals, sample ratio, power",
  help: USAGE,
  async run(args, { io, open }) {
    const parsed = parse([...args]);
    if (parsed.positionals.length !== 1)
      throw new UsageError(parsed.positionals.length === 0 ? 'which set? give its name' : 'give one set', reportCommand);
    if (parsed.values.sets === undefined)
      throw new UsageError('option --sets <module> is required (the module exporting the set classes)', reportCommand);
    const minimumEffect = numberOption(parsed.values['minimum-effect'], 'minimum-effect', (n) => n > 0 && n < 100);
    const options: ReportOptions = {
      confidence: numberOption(parsed.values.confidence, 'confidence', (n) => n > 0 && n < 1),
      tuningUsers: numberOption(parsed.values['tuning-users'], 'tuning-users', (n) => Number.isInteger(n) && n > 0),
      minimumEffect: minimumEffect === undefined ? undefined : minimumEffect / 100,
    };
    const setName = parsed.positionals[0]!;
    let exports: Record<string, unknown>;
    try {
      exports = await loadModule(parsed.values.sets);
    } catch (error) {
      throw new OperationError(`cannot load ${parsed.values.sets}: ${(error as Error).message}`, { cause: error });
    }
    const sets = setsIn(exports);
    const set = sets.find((s) => s.name === setName);
    if (set === undefined) {
      throw new OperationError(`no set ${setName} in ${parsed.values.sets} (it exports: ${sets.map((s) => s.name).join(', ') || 'no set classes'})`);
    }
    const fromModule = exports.conversions as ConversionQuery | undefined;
    const conversions: ConversionQuery =
      parsed.values.conversions === undefined ? (fromModule ?? { sql: '' }) : { sql: parsed.values.conversions, params: parsed.values.param ?? [] };
    if (conversions.sql === '')
      throw new UsageError('no conversions: give --conversions <sql>, or export `conversions` from the sets module', reportCommand);
    const counts = await withDatabase(parsed.values, io, open, (client) => reportCounts(client, set, { conversions, schema: parsed.values.schema }));
    const report = set.kind === 'multi' ? analyzeMulti(set, counts, options) : analyzeSet(set, counts, options);
    if (parsed.values.json) io.stdout(JSON.stringify({ counts, report }, null, 2));
    else io.stdout(('members' in report ? multiReportLines(report) : setReportLines(report)).join('\n'));
    return 0;
  },
};
