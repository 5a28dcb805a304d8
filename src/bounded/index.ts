// Bounded in-process structures the rooms share: the memo for repeated per-request work, the background batch writer.
export { BatchWriter } from './batch-writer.js';
export type { BatchWriterOptions, BatchWriterStats, WriteFailure } from './batch-writer.js';
export type { WriterTuning } from './batch-writer-options.js';
export { BoundedMemo } from './memo.js';
