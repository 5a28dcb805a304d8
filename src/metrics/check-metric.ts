// Checks metric declarations at start-up: every field, and across metrics (unique names, one primary per set, known sets).
import { closestName } from '../engine/did-you-mean.js';
import { show, TracksError } from '../engine/errors.js';
import type { Metric, MetricCap, MetricDeclaration, MetricKind, MetricSetRole } from './metric.js';

const KINDS: readonly MetricKind[] = ['proportion', 'mean', 'ratio'];
const FIELDS: { readonly [K in keyof Required<MetricDeclaration>]: true } = {
  name: true,
  kind: true,
  source: true,
  windowDays: true,
  higherIsBetter: true,
  cap: true,
  cuped: true,
  minimumEffect: true,
  sets: true,
  description: true,
};
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

/** The error for one field of one metric: `metric "revenue": option cap.percentile is invalid: 1.5 (…)`. */
export function metricError(metric: string, field: string, value: unknown, expected: string): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_METRIC', `metric ${show(metric)}: option ${field} is invalid: ${show(value)} (${expected})`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(name: string, value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closestName(key, known);
    throw metricError(
      name,
      `${prefix}${key}`,
      value[key],
      near ? `unknown option; did you mean ${near}?` : `unknown option; known: ${known.join(', ')}`,
    );
  }
}

function positive(name: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw metricError(name, field, value, 'expected a positive number');
  return value;
}

function checkSource(name: string, value: unknown): Metric['source'] {
  if (!isRecord(value)) throw metricError(name, 'source', value, 'expected { sql, params? }');
  unknownFields(name, value, ['sql', 'params'], 'source.');
  const { sql, params = [] } = value;
  if (typeof sql !== 'string' || sql.trim() === '') throw metricError(name, 'source.sql', sql, 'expected the text of a select');
  if (/;\s*$/.test(sql)) throw metricError(name, 'source.sql', sql, 'it ends with ";": it is wrapped as a CTE, one select, no terminator');
  if (!Array.isArray(params)) throw metricError(name, 'source.params', params, 'expected an array');
  return Object.freeze({ sql, params: Object.freeze([...(params as unknown[])]) });
}

function checkCap(name: string, value: unknown): MetricCap | null {
  if (value == null) return null;
  if (!isRecord(value) || Object.keys(value).length !== 1) throw metricError(name, 'cap', value, 'expected { absolute } or { percentile }');
  unknownFields(name, value, ['absolute', 'percentile'], 'cap.');
  if ('absolute' in value) return Object.freeze({ absolute: positive(name, 'cap.absolute', value.absolute) });
  const p = value.percentile;
  if (typeof p !== 'number' || !(p > 0 && p < 1)) throw metricError(name, 'cap.percentile', p, 'expected a fraction between 0 and 1, such as 0.99');
  return Object.freeze({ percentile: p });
}

function checkUse(name: string, set: string, value: unknown): MetricSetRole {
  const field = `sets.${set}`;
  const use = typeof value === 'string' ? { role: value } : value;
  if (!isRecord(use)) throw metricError(name, field, value, "expected 'primary', 'secondary', 'guardrail' with a margin, or { role, margin? }");
  unknownFields(name, use, ['role', 'margin'], `${field}.`);
  const role = use.role;
  // null: a checked metric's `margin` of a primary or secondary (checking a checked metric changes nothing).
  const margin = use.margin ?? undefined;
  if (role === 'primary' || role === 'secondary') {
    if (margin !== undefined) throw metricError(name, `${field}.margin`, margin, 'only a guardrail has a margin');
    return Object.freeze({ role, margin: null });
  }
  if (role !== 'guardrail') throw metricError(name, `${field}.role`, role, "expected 'primary', 'secondary' or 'guardrail'");
  if (typeof margin !== 'number' || !(margin > 0 && margin < 1)) {
    throw metricError(name, `${field}.margin`, margin, 'a guardrail needs a relative margin between 0 and 1, such as 0.02 for 2 % worse');
  }
  return Object.freeze({ role, margin });
}

/**
 * Checks one metric declaration and returns it with its defaults filled, frozen (a checked metric
 * passes unchanged: its nulls read as the defaults they stand for). Throws
 * `TracksError` `ERR_TRACKS_INVALID_METRIC` naming the metric and the field at the first mistake.
 * @example
 * export const revenue = defineMetric({
 *   name: 'revenue_per_visitor', kind: 'mean',
 *   source: { sql: 'select user_id, paid_at, amount from orders' },
 *   cap: { percentile: 0.99 }, cuped: { days: 14 },
 *   sets: { pricing: 'primary', delay: { role: 'guardrail', margin: 0.02 } },
 * });
 */
export function defineMetric(declaration: MetricDeclaration): Metric {
  const value: unknown = declaration;
  if (!isRecord(value)) throw new TracksError('ERR_TRACKS_INVALID_METRIC', `a metric is invalid: ${show(value)} (expected an object)`);
  const name = value.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw metricError(String(name), 'name', name, 'expected a letter then up to 62 letters, digits, "_", "-" or "."');
  }
  unknownFields(name, value, Object.keys(FIELDS), '');
  if (!KINDS.includes(value.kind as MetricKind)) throw metricError(name, 'kind', value.kind, `expected ${KINDS.join(', ')}`);
  const source = checkSource(name, value.source);
  const windowDays = value.windowDays == null ? null : positive(name, 'windowDays', value.windowDays);
  const higherIsBetter = value.higherIsBetter ?? true;
  if (typeof higherIsBetter !== 'boolean') throw metricError(name, 'higherIsBetter', higherIsBetter, 'expected true or false');
  const cap = checkCap(name, value.cap);
  if (cap !== null && value.kind === 'proportion') throw metricError(name, 'cap', value.cap, 'a proportion is 0 or 1 per person: nothing to cap');
  let cuped: Metric['cuped'] = null;
  if (value.cuped != null) {
    if (!isRecord(value.cuped)) throw metricError(name, 'cuped', value.cuped, 'expected { days }');
    unknownFields(name, value.cuped, ['days'], 'cuped.');
    if (value.kind === 'ratio') throw metricError(name, 'cuped', value.cuped, 'CUPED is for proportion and mean metrics');
    cuped = Object.freeze({ days: positive(name, 'cuped.days', value.cuped.days) });
  }
  const minimumEffect = value.minimumEffect ?? null;
  if (minimumEffect !== null && !(typeof minimumEffect === 'number' && minimumEffect > 0 && minimumEffect < 1)) {
    throw metricError(name, 'minimumEffect', minimumEffect, 'expected a relative change between 0 and 1, such as 0.02 for 2 %');
  }
  if (!isRecord(value.sets) || Object.keys(value.sets).length === 0) {
    throw metricError(name, 'sets', value.sets, 'expected the sets it is read for, by set name: { pricing: "primary" }');
  }
  const sets = Object.freeze(Object.fromEntries(Object.entries(value.sets).map(([set, use]) => [set, checkUse(name, set, use)])));
  const description = value.description ?? null;
  if (description !== null && typeof description !== 'string') throw metricError(name, 'description', description, 'expected a string');
  return Object.freeze({ name, kind: value.kind as MetricKind, source, windowDays, higherIsBetter, cap, cuped, minimumEffect, sets, description });
}

/**
 * Checks a list of metrics together (each with `defineMetric`, then: names unique, at most one
 * primary per set, and, when `setNames` is given, every set they name known). The CLI and the
 * console call it on a sets module's `metrics` export at start-up.
 */
export function checkMetrics(metrics: unknown, setNames?: readonly string[]): Metric[] {
  if (!Array.isArray(metrics))
    throw new TracksError('ERR_TRACKS_INVALID_METRIC', `option metrics is invalid: ${show(metrics)} (expected an array of metrics)`);
  const checked = metrics.map((m) => defineMetric(m as MetricDeclaration));
  const seen = new Set<string>();
  const primaries = new Map<string, string>();
  for (const metric of checked) {
    if (seen.has(metric.name)) throw metricError(metric.name, 'name', metric.name, 'another metric has this name');
    seen.add(metric.name);
    for (const [set, use] of Object.entries(metric.sets)) {
      if (setNames !== undefined && !setNames.includes(set)) {
        const near = closestName(set, setNames);
        throw metricError(metric.name, `sets.${set}`, set, near ? `no such set; did you mean ${near}?` : `no such set; sets: ${setNames.join(', ')}`);
      }
      if (use.role !== 'primary') continue;
      const other = primaries.get(set);
      if (other !== undefined) throw metricError(metric.name, `sets.${set}`, 'primary', `set ${set} already has a primary metric, ${other}`);
      primaries.set(set, metric.name);
    }
  }
  return checked;
}

/** The metrics read for one set, primary first, then secondary, then guardrails, each in declared order. */
export function metricsOfSet(metrics: readonly Metric[], set: string): Metric[] {
  const order = { primary: 0, secondary: 1, guardrail: 2 } as const;
  return metrics.filter((m) => m.sets[set] !== undefined).sort((a, b) => order[a.sets[set]!.role] - order[b.sets[set]!.role]);
}
