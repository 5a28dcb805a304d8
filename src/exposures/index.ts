// The exposure log: events in on the request path, deduplicated rows out in batches through a sink; the OpenTelemetry mapping.
export { exposureLog } from './exposure-log.js';
export type { ExposureLog, ExposureLogOptions, ExposureLogStats } from './exposure-log.js';
export type { ExposureInput, ExposureRow, ExposureSink } from './exposure-rows.js';
export { featureFlagEvaluation, FEATURE_FLAG_EVALUATION, OTEL_REASONS } from './otel.js';
export type { FeatureFlagEvaluation, FeatureFlagEvaluationAttributes, FeatureFlagReason } from './otel.js';
