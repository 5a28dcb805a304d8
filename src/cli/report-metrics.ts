// The metrics part of `tracks-ab report`: the sets module's `metrics`, checked, read from SQL and analysed.
import { analyzeMetric } from '../analysis/metric-report.js';
import type { MetricAnalysisOptions, MetricReport } from '../analysis/metric-report-types.js';
import type { MultiDescription, SetDescription } from '../engine/describe-set.js';
import { checkMetrics, metricsOfSet } from '../metrics/check-metric.js';
import type { Metric } from '../metrics/metric.js';
import { metricInput, type MetricInput } from '../postgres/metric-input.js';
import type { Queryable } from '../postgres/queryable.js';
import { OperationError } from './command.js';

/** Every set name a module's sets answer to: the sets, and a multi set's members. */
function knownSetNames(sets: readonly (SetDescription | MultiDescription)[]): string[] {
  return sets.flatMap((s) => (s.kind === 'multi' ? [s.name, ...s.members.map((m) => m.set.name)] : [s.name]));
}

/**
 * The metrics declared for `set` (for a multi set: for each member), primary first, after checking
 * the module's whole `metrics` export (`checkMetrics`: a misdeclared metric fails here, naming the
 * metric and the field); only `--metric <name>` when given.
 */
export function metricsToReport(
  exported: unknown,
  sets: readonly (SetDescription | MultiDescription)[],
  set: SetDescription | MultiDescription,
  only: string | undefined,
): { set: SetDescription; within: MultiDescription | null; metrics: Metric[] }[] {
  if (exported === undefined) {
    if (only !== undefined) throw new OperationError(`no metric ${only}: the sets module exports no \`metrics\``);
    return [];
  }
  const all = checkMetrics(exported, knownSetNames(sets));
  const targets = set.kind === 'multi' ? set.members.map((m) => m.set) : [set];
  // A member's persons are counted over its multi set (named, or the one the member belongs to).
  const parentOf = (target: SetDescription): MultiDescription | null =>
    set.kind === 'multi'
      ? set
      : (sets.find((s): s is MultiDescription => s.kind === 'multi' && s.members.some((m) => m.set.name === target.name)) ?? null);
  const found = targets.map((target) => ({
    set: target,
    within: parentOf(target),
    metrics: metricsOfSet(all, target.name).filter((m) => only === undefined || m.name === only),
  }));
  if (only !== undefined && found.every((f) => f.metrics.length === 0)) {
    const names = targets.flatMap((t) => metricsOfSet(all, t.name).map((m) => m.name));
    throw new OperationError(`no metric ${only} for set ${set.name} (its metrics: ${names.join(', ') || 'none'})`);
  }
  return found.filter((f) => f.metrics.length > 0);
}

/** One metric's input (what was read from SQL) and report. */
export interface MetricResult {
  readonly set: string;
  readonly input: MetricInput;
  readonly report: MetricReport;
}

/**
 * Reads and analyses each metric for a simple or param set; a multi set's metrics are read per member,
 * its persons counted over the multi set (`within`), once each.
 */
export async function reportMetrics(
  client: Queryable,
  set: SetDescription,
  metrics: readonly Metric[],
  options: { schema?: string; control?: string; within?: MultiDescription | null; analysis: MetricAnalysisOptions },
): Promise<MetricResult[]> {
  const expectedShares = Object.fromEntries(set.variants.map((v) => [v.name, v.expectedShare]));
  const out: MetricResult[] = [];
  for (const metric of metrics) {
    const input = await metricInput(client, set, metric, {
      schema: options.schema,
      control: options.control,
      ...(options.within ? { within: options.within } : {}),
    });
    out.push({ set: set.name, input, report: analyzeMetric(input, { ...options.analysis, expectedShares }) });
  }
  return out;
}
