// One request's view, framework-neutral: options, the exchange contract adapters implement, req.tracks.
export { RequestTracks, tracksFor } from './tracks.js';
export type { Tracks } from './tracks-api.js';
export { createSetup } from './setup.js';
export type { Setup } from './setup.js';
export type { HttpExchange } from './exchange.js';
export type { Options, CookieOptions, OverrideOptions, KeySource } from './options.js';
export type { ExposureEvent, RequestErrorInfo, HookErrorInfo, StoreErrorInfo, ErrorSource } from './events.js';
export type { StoreOption } from './store-option.js';
export { BatchWriter } from './batch-writer.js';
export type { BatchWriterOptions, BatchWriterStats, WriteFailure } from './batch-writer.js';
export { MemoryAssignmentStore } from './memory-assignment-store.js';
export { MAX_KEY_LENGTH, MAX_NAME_LENGTH } from './assignment-store.js';
export type { AssignmentStore, UserAssignment, AliasRecord, AssignmentOrigin, StoredAssignment, RememberedAssignments } from './assignment-store.js';
export { StoreClient } from './store-client.js';
export type { StoreClientStats } from './store-client.js';
export { STORE_DEFAULTS } from './store-options.js';
export type { StoreClientOptions, StoreFailure } from './store-options.js';
