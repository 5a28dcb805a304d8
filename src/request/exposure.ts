// The exposure event of an assignment that counts, and handing it to `onExposure` so that nothing escapes.
import type { Assignment } from '../engine/assignment.js';
import { callSafely } from '../engine/thenable.js';
import type { ExposureEvent } from './events.js';
import type { RequestInputs } from './inputs.js';

/**
 * The one builder of an exposure event, for the request layer and the OpenFeature provider alike.
 * `firstExposure`: the user had no remembered assignment for the set before (the request layer
 * knows it from the reason; the provider remembers nothing and says true).
 */
export function exposureEvent<Req>(assignment: Assignment, multiSetName: string | null, firstExposure: boolean, req: Req): ExposureEvent<Req> {
  return {
    setName: assignment.setName,
    variant: assignment.name,
    key: assignment.key,
    runId: assignment.runId,
    reason: assignment.reason,
    firstExposure,
    multiSetName,
    maskedSetName: assignment.maskedSetName,
    maskedName: assignment.maskedName,
    assignment,
    req,
  };
}

/**
 * Calls `onExposure` for an assignment that counts. A throw, a rejected promise, or a thenable
 * whose `then` throws goes to `onError` (where `onExposure`); the promise is never awaited.
 */
export function emitExposure<Req>(inputs: RequestInputs<Req>, assignment: Assignment, multiSetName: string | null): void {
  const onExposure = inputs.setup.config.onExposure;
  if (!onExposure) return;
  callSafely(
    () => onExposure(exposureEvent(assignment, multiSetName, assignment.reason !== 'sticky', inputs.req)),
    (error) => inputs.report(error, 'onExposure', assignment.setName),
  );
}
