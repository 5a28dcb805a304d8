// The payloads handed to onExposure and onError.
import type { Assignment } from '../engine/assignment.js';
import type { StoreFailure } from '../assignment-store/store-client-options.js';
import type { ExposureInput } from '../exposures/exposure-rows.js';

/** One exposure: the first `get` of a set in a request, for an assignment that counts. */
export interface ExposureEvent<Req = unknown> extends ExposureInput {
  maskedSetName: string;
  maskedName: string;
  assignment: Assignment;
  req: Req;
}

/** Where a request's problem came from (user code threw there); `override`: a QA override entry naming an unknown set or variant (`ERR_TRACKS_UNKNOWN_OVERRIDE`). */
export type ErrorSource = 'key' | 'context' | 'isEligible' | 'onExposure' | 'override.allow' | 'override' | 'bots';

/** What `onError` receives besides the error when user code failed in a request. */
export interface HookErrorInfo<Req = unknown> {
  where: ErrorSource;
  /** The set whose `isEligible` threw, when that is where. */
  setName: string | null;
  req: Req;
}

/**
 * What `onError` receives when the assignment store failed (a load, a write, records dropped):
 * no request failed with it, each went on with cookie and hash. Store failures belong to no one
 * request (concurrent requests share a load, writes are batched), so `req` is null.
 */
export interface StoreErrorInfo {
  where: 'store';
  setName: null;
  req: null;
  /** What failed: `store.operation` is `load` (with the key), `write`, `drop`, `save` or `alias`. */
  store: StoreFailure;
}

/** What `onError` receives besides the error: `where` tells a hook's failure from the store's. */
export type RequestErrorInfo<Req = unknown> = HookErrorInfo<Req> | StoreErrorInfo;
