// The pure engine: track sets, the assignment algorithm and its results; no I/O, no Node built-in on import.
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
export type { ControlsView, SetControl } from './controlled-set.js';
export { setDefaultAlgorithm } from './compile.js';
export { describeSet } from './describe-set.js';
export type { BucketRange, MemberDescription, MultiDescription, SetDescription, VariantDescription } from './describe-set.js';
export { serializeKey } from './serialize-key.js';
export { keyProblem, checkKey, MAX_KEY_LENGTH } from './key-rule.js';
export { murmur3 } from './hash.js';
export { BUCKETS, bucketOf } from './buckets.js';
export { TracksError } from './errors.js';
export { AsyncHookError } from './thenable.js';
export type { TracksErrorCode } from './errors.js';
