// Metrics as code: declarations of what a test is decided on (proportion, mean, ratio), beside the sets, checked at start-up.
export { defineMetric, checkMetrics, metricsOfSet, metricError } from './check-metric.js';
export type { Metric, MetricCap, MetricCuped, MetricDeclaration, MetricKind, MetricRole, MetricSetRole, MetricSource, MetricUse } from './metric.js';
