// tracks-ab: sticky, deterministic A/B testing of back-end code paths; the framework-neutral engine.
export { SimpleTrackSet, ParamTrackSet, MultiTrackSet, TrackSet } from './track-set.js';
export type {
  Algorithm,
  AnySetClass,
  ContextOf,
  MultiTrackSetClass,
  Reason,
  TrackFunction,
  TrackOf,
  TrackSetClass,
  TrackSetStatics,
  VariantOf,
} from './track-set.js';
export { Assignment, MultiAssignment } from './assignment.js';
export type { AssignmentOf, AssignmentRecord } from './assignment.js';
export { assign, variantsOf } from './assign.js';
export type { AssignOptions } from './assign.js';
export { setDefaultAlgorithm } from './compile.js';
export { serializeKey } from './serialize-key.js';
export { murmur3 } from './hash.js';
export { BUCKETS, bucketOf } from './buckets.js';
export { TracksError } from './errors.js';
export type { TracksErrorCode } from './errors.js';
export { RequestTracks } from './request-tracks.js';
export type { Tracks } from './request-tracks.js';
export { createSetup, tracksFor } from './setup.js';
export type { Setup } from './setup.js';
export type { HttpExchange } from './request-contract.js';
export type { Options, CookieOptions, OverrideOptions, KeySource } from './options.js';
export type { ExposureEvent, RequestErrorInfo, ErrorSource } from './events.js';
