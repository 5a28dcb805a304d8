// One metric of one set read from the database into what `analyzeMetric` (tracks-ab/analysis) takes: role, control, arms as sums, cap, mixed.
import { TracksError } from '../engine/errors.js';
import type { Metric, MetricKind, MetricRole } from '../metrics/metric.js';
import { metricSums, type MetricQueryOptions, type MetricSumsRow } from './metric-queries.js';
import type { Queryable } from './queryable.js';

/** The set a metric is read for: its name, and (from `describeSet`) its control and variants, so that unseen variants get empty arms. */
export interface MetricSet {
  readonly name: string;
  readonly control?: string | null;
  readonly variants?: readonly { readonly name: string }[];
}

/** Options of `metricInput`. */
export interface MetricInputOptions extends MetricQueryOptions {
  /** The baseline variant (default: the set's control, else its first variant, else the first arm seen). */
  readonly control?: string;
}

/**
 * `MetricAnalysisInput` of `tracks-ab/analysis`, field for field (this room does not import the
 * statistics: the two are kept alike by the type check in test/postgres/metric-input.test.ts).
 */
export interface MetricInput {
  readonly name: string;
  readonly kind: MetricKind;
  readonly role: MetricRole;
  readonly higherIsBetter: boolean;
  readonly margin?: number;
  readonly control: string;
  readonly arms: readonly Omit<MetricSumsRow, 'set'>[];
  readonly cuped: boolean;
  readonly cap: number | null;
  readonly mixed: number;
}

function emptyArm(metric: Metric, variant: string): Omit<MetricSumsRow, 'set'> {
  return {
    variant,
    n: 0,
    sumY: 0,
    sumY2: 0,
    ...(metric.kind === 'ratio' ? { sumD: 0, sumD2: 0, sumYD: 0 } : {}),
    ...(metric.cuped === null ? {} : { sumX: 0, sumX2: 0, sumXY: 0 }),
  };
}

/**
 * Reads `metric` for `set` (one SQL statement, `metricSums`) and returns what `analyzeMetric`
 * takes: the metric's role in the set (from its declaration), the control, one arm per variant
 * (the set's declared variants with no persons yet get empty arms), CUPED on when declared, the
 * cap applied, and the persons left out as mixed.
 * @example
 * import { analyzeMetric } from 'tracks-ab/analysis';
 * const report = analyzeMetric(await metricInput(pool, describeSet(PricingTracks), revenuePerVisitor));
 */
export async function metricInput(client: Queryable, set: MetricSet, metric: Metric, options: MetricInputOptions = {}): Promise<MetricInput> {
  const use = metric.sets[set.name];
  if (use === undefined) {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      `option metric is invalid: metric "${metric.name}" is not declared for set ${set.name} (its sets: ${Object.keys(metric.sets).join(', ')})`,
    );
  }
  const sums = await metricSums(client, { name: set.name }, metric, options);
  const declared = set.variants?.map((v) => v.name) ?? [];
  const seen = sums.arms.map((a) => a.variant);
  const names = [...declared, ...seen.filter((v) => !declared.includes(v))];
  const control = options.control ?? set.control ?? names[0];
  if (control === undefined)
    throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option control is invalid: set ${set.name} has no variants and nobody was exposed to it`);
  if (!names.includes(control)) {
    throw new TracksError(
      'ERR_TRACKS_INVALID_OPTION',
      `option control is invalid: ${JSON.stringify(control)} (variants of ${set.name}: ${names.join(', ')})`,
    );
  }
  const ordered = [control, ...names.filter((n) => n !== control)];
  const arms = ordered.map((variant) => {
    const row = sums.arms.find((a) => a.variant === variant);
    if (row === undefined) return emptyArm(metric, variant);
    const { set: _set, ...arm } = row;
    return arm;
  });
  return {
    name: metric.name,
    kind: metric.kind,
    role: use.role,
    higherIsBetter: metric.higherIsBetter,
    ...(use.margin === null ? {} : { margin: use.margin }),
    ...(metric.minimumEffect === null ? {} : { minimumEffect: metric.minimumEffect }),
    control,
    arms,
    cuped: metric.cuped !== null,
    cap: sums.cap,
    mixed: sums.mixed,
  };
}
