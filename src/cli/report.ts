// `tracks-ab report <set>`: a set's results from the database (PGlite dir or DATABASE_URL), as a table or JSON.
import { parseArgs } from 'node:util';
import { analyzeMulti, analyzeSet } from '../analysis/report.js';
import type { ReportOptions } from '../analysis/report-types.js';
import { reportCounts, type ConversionQuery } from '../postgres/report-queries.js';
import { readTogether } from '../postgres/transaction.js';
import { OperationError, UsageError, type Command } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { metricReportLines } from './metric-table.js';
import { metricsToReport, reportMetrics } from './report-metrics.js';
import { loadModule, setsIn } from './load-sets.js';
import { controlLines, inForce } from './report-status.js';
import { multiReportLines, setReportLines } from './report-table.js';
import { parseDecimal } from './decimal.js';
import { withDatabase } from './run-database.js';

const USAGE = `usage: tracks-ab report <set> --sets <module> [--conversions <sql>] [--param <value>]...
                        [--metric <name>] [--control <variant>]
                        [--pglite <dir> | --database-url <url>] [--schema <name>] [--json]
                        [--confidence <c>] [--tuning-users <n>] [--minimum-effect <points>]

Prints the results of <set> (its name, as describeSet gives it) from the tracks-ab tables: its
conversions, then every metric the sets module declares for it (primary, secondary, guardrails).
Its status follows the run-time controls in force (disabled, pinned), and paused variants are listed.

    --sets <module>        a module exporting the set classes (JavaScript, or TypeScript under tsx);
                           it may export \`conversions\` ({ sql, params }) and \`metrics\` (an array
                           of defineMetric declarations) too
    --metric <name>        only this metric (no conversion table)
    --conversions <sql>    the app's conversions: a query returning (user key, converted at);
                           placeholders $1, $2… take the --param values in order
    --param <value>        a parameter of the conversion query (repeatable)
    --json                 print the report as JSON
    --control <variant>    the variant the others are compared with (default: the set's control:
                           \`control\`, or its \`static controlVariant\`, else the first variant)
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
      control: { type: 'string' },
      confidence: { type: 'string' },
      'tuning-users': { type: 'string' },
      'minimum-effect': { type: 'string' },
      metric: { type: 'string' },
    },
  });
  return { values, positionals };
}

/**
 * `tracks-ab report <set>`: reads the set's variants and weights from `--sets <module>`, counts its
 * persons and conversions with `reportCounts` and prints `analyzeSet` (or `analyzeMulti`), and
 * reads each metric the module declares for the set with `metricInput` and prints `analyzeMetric`
 * (on PostgreSQL the counts and the metrics are read at once, on two connections);
 * as aligned tables, or as JSON with `--json` (`{ counts, report, metrics: [{ set, sums, report }] }`).
 */
export const reportCommand: Command = {
  name: 'report',
  summary: "a set's results: verdicts, intervals, sample ratio, power, and its metrics",
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
    const exports = await loadModule(parsed.values.sets);
    const sets = setsIn(exports).map((s) => s.description);
    const set = sets.find((s) => s.name === setName);
    if (set === undefined) {
      throw new OperationError(`no set ${setName} in ${parsed.values.sets} (it exports: ${sets.map((s) => s.name).join(', ') || 'no set classes'})`);
    }
    const metrics = metricsToReport(exports.metrics, sets, set, parsed.values.metric);
    const fromModule = exports.conversions as ConversionQuery | undefined;
    const conversions: ConversionQuery | null =
      parsed.values.metric !== undefined
        ? null
        : parsed.values.conversions === undefined
          ? (fromModule ?? null)
          : { sql: parsed.values.conversions, params: parsed.values.param ?? [] };
    if (conversions === null && metrics.length === 0) {
      throw new UsageError(
        'no conversions and no metrics: give --conversions <sql>, or export `conversions` or `metrics` from the sets module',
        reportCommand,
      );
    }
    const analysis = { confidence: options.confidence, tuningUsers: options.tuningUsers };
    const schema = parsed.values.schema;
    const control = parsed.values.control;
    // The counts and each metric are a statement each, seconds apiece at a million persons: on
    // PostgreSQL they run at once, two at a time (a connection each); on PGlite one after another.
    const found = await withDatabase(
      parsed.values,
      io,
      open,
      async (client) => {
        const state = await inForce(client, set, schema);
        const metricReads = metrics.flatMap((target) =>
          target.metrics.map((metric) => () => reportMetrics(client, target.set, [metric], { schema, control, within: target.within, analysis })),
        );
        const [counts, results] = await readTogether(client, [
          () => (conversions === null ? Promise.resolve(null) : reportCounts(client, set, { conversions, schema })),
          () => readTogether(client, metricReads),
        ]);
        return { state, counts, results: results.flat() };
      },
      { connections: 2 },
    );
    const { state } = found;
    const report =
      found.counts === null
        ? null
        : state.set.kind === 'multi'
          ? analyzeMulti(state.set, found.counts, options)
          : analyzeSet(state.set, found.counts, { ...options, control });
    const controls = { paused: Object.fromEntries(state.paused), whole: state.whole };
    if (parsed.values.json) {
      io.stdout(
        JSON.stringify(
          { counts: found.counts, report, controls, metrics: found.results.map((r) => ({ set: r.set, sums: r.input, report: r.report })) },
          null,
          2,
        ),
      );
      return 0;
    }
    const lines: string[] = report === null ? [] : 'members' in report ? multiReportLines(report) : setReportLines(report);
    lines.push(...controlLines(state));
    for (const result of found.results) {
      if (lines.length > 0) lines.push('', '');
      if (result.set !== set.name) lines.push(`${result.set} (a member of ${set.name})`);
      lines.push(...metricReportLines(result.report));
    }
    io.stdout(lines.join('\n'));
    return 0;
  },
};
