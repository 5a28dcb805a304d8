// One request's view, framework-neutral: options, the exchange contract adapters implement, req.tracks.
export { RequestTracks, tracksFor } from './tracks.js';
export type { Tracks } from './tracks.js';
export { createSetup } from './setup.js';
export type { Setup } from './setup.js';
export type { HttpExchange } from './exchange.js';
export type { Options, CookieOptions, OverrideOptions, KeySource } from './options.js';
export type { ExposureEvent, RequestErrorInfo, ErrorSource } from './events.js';
export { BatchWriter } from './batch-writer.js';
export type { BatchWriterOptions, BatchWriterStats, WriteFailure } from './batch-writer.js';
export { exposureLog } from './exposure-log.js';
export type { ExposureLog, ExposureLogOptions, ExposureLogStats } from './exposure-log.js';
export type { ExposureInput, ExposureRow, ExposureSink } from './exposure-rows.js';
export { featureFlagEvaluation, FEATURE_FLAG_EVALUATION, OTEL_REASONS } from './otel.js';
export type { FeatureFlagEvaluation, FeatureFlagEvaluationAttributes, FeatureFlagReason } from './otel.js';
