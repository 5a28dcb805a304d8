// The exposure event of an assignment that counts, handing it to `onExposure` so that nothing escapes, and holding a new visitor's where asked.
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

/** Emits the exposure of `assignment` through `exposures` when a request has them (they may hold it), else at once. */
export function emitOrHold<Req>(
  exposures: RequestExposures<Req> | null,
  inputs: RequestInputs<Req>,
  assignment: Assignment,
  multiSetName: string | null,
): void {
  if (exposures === null) emitExposure(inputs, assignment, multiSetName);
  else exposures.emit(assignment, multiSetName);
}

/**
 * One request's exposures: emitted at once, or, once `hold` was called (the Fetch adapter, whose
 * response is known only after the handler returned), a new anonymous visitor's are held until
 * `release` says whether the response carried their id cookie.
 */
export class RequestExposures<Req> {
  #held: Array<() => void> | null = null;

  constructor(private readonly inputs: RequestInputs<Req>) {}

  /** From now on, a new anonymous visitor's exposures wait for `release`. */
  hold(): void {
    this.#held ??= [];
  }

  /** Emits the held exposures when the response carried the id cookie; drops them when it could not (`Response.error()`). */
  release(delivered: boolean): void {
    const held = this.#held;
    this.#held = null;
    if (delivered) held?.forEach((emit) => emit());
  }

  /** Emits (or holds) the exposure of `assignment`. */
  emit(assignment: Assignment, multiSetName: string | null): void {
    const inputs = this.inputs;
    if (this.#held !== null && inputs.isAnonymous && inputs.newAnonymousId !== null) {
      this.#held.push(() => emitExposure(inputs, assignment, multiSetName));
    } else emitExposure(inputs, assignment, multiSetName);
  }
}
