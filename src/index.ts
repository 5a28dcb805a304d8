// tracks-ab: sticky, deterministic A/B testing of back-end code paths; the engine, the request layer and the rooms it uses.
export * from './engine/index.js';
export * from './request/index.js';
export { BatchWriter } from './bounded/index.js';
export type { BatchWriterOptions, BatchWriterStats, WriteFailure, WriterTuning } from './bounded/index.js';
export * from './assignment-store/index.js';
export * from './exposures/index.js';
export * from './controls/index.js';
export * from './metrics/index.js';
/** The experiments console's handler (tracks-ab/console), as the Koa and Fastify adapters mount it. */
export type { ConsoleHandler } from './console/index.js';
