// `tracks-ab report <set>`: a set's results from the database (PGlite dir or DATABASE_URL), as a table or JSON.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeMulti, analyzeSet } from '../analysis/report.js';
import type { ReportOptions } from '../analysis/report-types.js';
import { describeSet, type MultiDescription, type SetDescription } from '../engine/describe-set.js';
import type { AnySetClass } from '../engine/track-set.js';
import type { Queryable } from '../store/queryable.js';
import { reportCounts, type ConversionQuery } from '../store/report-queries.js';
import { multiReportLines, setReportLines } from './report-table.js';

/** The streams and environment a command runs with (process's own, or captured in tests). */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const USAGE = `usage: tracks-ab report <set> --sets <module> [--conversions <sql>] [--param <value>]...
                        [--pglite <dir>] [--schema <name>] [--json]
                        [--confidence <c>] [--tuning-users <n>] [--minimum-effect <points>]

Prints the results of <set> (its name, as describeSet gives it) from the tracks-ab tables.

    --sets <module>        a module exporting the set classes (JavaScript, or TypeScript under tsx);
                           it may export \`conversions\` ({ sql, params }) too
    --conversions <sql>    the app's conversions: a query returning (user key, converted at);
                           placeholders $1, $2… take the --param values in order
    --param <value>        a parameter of the conversion query (repeatable)
    --pglite <dir>         read a PGlite data directory (default: the server at DATABASE_URL)
    --schema <name>        schema of the tracks-ab tables (default public)
    --json                 print the report as JSON
    --confidence <c>       confidence of every interval (default 0.95)
    --tuning-users <n>     users at which the sequential interval is tightest (default 5000)
    --minimum-effect <p>   the smallest difference that matters, in points (1 = one point)
`;

class UsageError extends Error {}

function numberOption(value: string | undefined, name: string, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!check(n)) throw new UsageError(`option --${name} is invalid: ${JSON.stringify(value)}`);
  return n;
}

/** Loads a module by path: require first (CommonJS, or TypeScript under tsx), import() for ES modules. */
async function loadModule(file: string): Promise<Record<string, unknown>> {
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

interface Database {
  client: Queryable;
  close(): Promise<void>;
}

async function openDatabase(pgliteDir: string | undefined, env: NodeJS.ProcessEnv): Promise<Database> {
  if (pgliteDir !== undefined) {
    if (!existsSync(path.join(pgliteDir, 'PG_VERSION'))) throw new Error(`no PGlite database in ${pgliteDir}`);
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(pgliteDir);
    return { client: db, close: () => db.close() };
  }
  const url = env.DATABASE_URL;
  if (url === undefined || url === '') throw new UsageError('no database: set DATABASE_URL or give --pglite <dir>');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  return { client: pool, close: () => pool.end() };
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sets: { type: 'string' },
      conversions: { type: 'string' },
      param: { type: 'string', multiple: true },
      pglite: { type: 'string' },
      schema: { type: 'string' },
      json: { type: 'boolean' },
      confidence: { type: 'string' },
      'tuning-users': { type: 'string' },
      'minimum-effect': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { values, positionals };
}

/**
 * `tracks-ab report <set>`: reads the set's variants and weights from `--sets <module>`, counts its
 * persons and conversions with `reportCounts`, and prints `analyzeSet` (or `analyzeMulti`) as an
 * aligned table, or as JSON with `--json`. Exit code 0 when printed, 1 when the operation failed
 * (database, module, query), 2 on a usage error.
 * @example await reportCommand(['delay/pricing', '--sets', 'dist/sets.js', '--pglite', 'data/db'], process)
 */
export async function reportCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  let options: ReportOptions;
  try {
    parsed = parse(argv);
    if (parsed.values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'which set? give its name' : 'give one set');
    if (parsed.values.sets === undefined) throw new UsageError('option --sets <module> is required (the module exporting the set classes)');
    const minimumEffect = numberOption(parsed.values['minimum-effect'], 'minimum-effect', (n) => n > 0 && n < 100);
    options = {
      confidence: numberOption(parsed.values.confidence, 'confidence', (n) => n > 0 && n < 1),
      tuningUsers: numberOption(parsed.values['tuning-users'], 'tuning-users', (n) => Number.isInteger(n) && n > 0),
      minimumEffect: minimumEffect === undefined ? undefined : minimumEffect / 100,
    };
  } catch (error) {
    io.stderr.write(`tracks-ab report: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const setName = parsed.positionals[0]!;
  let db: Database | null = null;
  try {
    const exports = await loadModule(parsed.values.sets);
    const sets = setsIn(exports);
    const set = sets.find((s) => s.name === setName);
    if (set === undefined) {
      throw new UsageError(`no set ${setName} in ${parsed.values.sets} (it exports: ${sets.map((s) => s.name).join(', ') || 'no set classes'})`);
    }
    const fromModule = exports.conversions as ConversionQuery | undefined;
    const conversions: ConversionQuery =
      parsed.values.conversions === undefined ? (fromModule ?? { sql: '' }) : { sql: parsed.values.conversions, params: parsed.values.param ?? [] };
    if (conversions.sql === '') throw new UsageError('no conversions: give --conversions <sql>, or export `conversions` from the sets module');
    db = await openDatabase(parsed.values.pglite, io.env);
    const counts = await reportCounts(db.client, set, { conversions, schema: parsed.values.schema });
    const report = set.kind === 'multi' ? analyzeMulti(set, counts, options) : analyzeSet(set, counts, options);
    if (parsed.values.json) io.stdout.write(`${JSON.stringify({ counts, report }, null, 2)}\n`);
    else io.stdout.write(`${('members' in report ? multiReportLines(report) : setReportLines(report)).join('\n')}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`tracks-ab report: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await db?.close();
  }
}
