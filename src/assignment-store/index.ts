// Users' variants remembered on the server, whatever the database: the contract, the memory store, the client the middleware uses.
export { MemoryAssignmentStore } from './memory-assignment-store.js';
export { MAX_NAME_LENGTH } from './assignment-store.js';
export type {
  AssignmentStore,
  UserAssignment,
  AliasRecord,
  AssignmentOrigin,
  StoredAssignment,
  RememberedAssignments,
  SupersededAssignment,
} from './assignment-store.js';
export { StoreClient } from './store-client.js';
export type { StoreClientStats } from './store-client.js';
export { STORE_DEFAULTS } from './store-client-options.js';
export type { StoreClientOptions, StoreFailure } from './store-client-options.js';
