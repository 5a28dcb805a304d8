// The payloads handed to onExposure and onError.
import type { Assignment } from '../engine/assignment.js';
import type { Reason } from '../engine/track-set.js';

/** One exposure: the first `get` of a set in a request, for an assignment that counts. */
export interface ExposureEvent<Req = unknown> {
  setName: string;
  variant: string;
  /** The serialised key the user was assigned by (their id, or the anonymous id). */
  key: string | null;
  runId: string | null;
  reason: Reason;
  /** True when the user had no remembered assignment for this set before this request. */
  firstExposure: boolean;
  /** The MultiTrackSet the set was chosen through, if any. */
  multiSetName: string | null;
  maskedSetName: string;
  maskedName: string;
  assignment: Assignment;
  req: Req;
}

/** Where user code threw. */
export type ErrorSource = 'key' | 'context' | 'isEligible' | 'onExposure' | 'override.allow' | 'bots';

/** What `onError` receives besides the error. */
export interface RequestErrorInfo<Req = unknown> {
  where: ErrorSource;
  /** The set whose `isEligible` threw, when that is where. */
  setName: string | null;
  req: Req;
}
