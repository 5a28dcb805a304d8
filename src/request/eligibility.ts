// A set's eligibility for one request: asked once, and a failing `context` or `isEligible` is an error, not a "no".
import { checkEligible } from '../engine/assign.js';
import type { CompiledSet } from '../engine/compile.js';
import type { RequestInputs } from './inputs.js';

/** True, false, or `'error'` when `context` or `isEligible` threw or answered with a promise. */
export type Eligibility = boolean | 'error';

/**
 * Whether the request is eligible for `set`, remembered in `known` for the rest of the request.
 * Failures are reported to `onError` (where `isEligible`, with the set's name).
 */
export function eligibility<Req>(set: CompiledSet, inputs: RequestInputs<Req>, known: Map<CompiledSet, Eligibility>): Eligibility {
  if (!set.checksEligibility) return true;
  const remembered = known.get(set);
  if (remembered !== undefined) return remembered;
  let answer: Eligibility;
  const context = inputs.context;
  if (context.failed) answer = 'error';
  else {
    try {
      answer = checkEligible(set, context.value);
    } catch (error) {
      inputs.report(error, 'isEligible', set.name);
      answer = 'error';
    }
  }
  known.set(set, answer);
  return answer;
}
