// Hands one exposure to `onExposure`, so that neither a throw nor a rejected promise escapes.
import type { Assignment } from '../engine/assignment.js';
import { isThenable, settleQuietly } from '../engine/thenable.js';
import type { RequestInputs } from './inputs.js';

/**
 * Calls `onExposure` for an assignment that counts. A throw, a rejected promise, or a thenable
 * whose `then` throws goes to `onError` (where `onExposure`); the promise is never awaited.
 */
export function emitExposure<Req>(inputs: RequestInputs<Req>, assignment: Assignment, multiSetName: string | null): void {
  const onExposure = inputs.setup.config.onExposure;
  if (!onExposure) return;
  const failed = (error: unknown): void => inputs.report(error, 'onExposure', assignment.setName);
  try {
    const pending: unknown = onExposure({
      setName: assignment.setName,
      variant: assignment.name,
      key: assignment.key,
      runId: assignment.runId,
      reason: assignment.reason,
      firstExposure: assignment.reason !== 'sticky',
      multiSetName,
      maskedSetName: assignment.maskedSetName,
      maskedName: assignment.maskedName,
      assignment,
      req: inputs.req,
    });
    if (isThenable(pending)) settleQuietly(pending, failed);
  } catch (error) {
    failed(error);
  }
}
