// The one place that says what is remembered for a set, and in which order the sources count.
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import type { Choice, StickyState } from './sticky-state.js';

/**
 * What is remembered for `owner`, by precedence:
 * 1. the cookie bound to this request's identity;
 * 2. (to come) the server-side assignment store, for users: its record goes here, above continuity;
 * 3. the cookie bound to the anonymous id this user's request carries (continuity: logging in
 *    keeps the variant; the cookie is then re-bound to the user);
 * then nothing, and the caller hashes. A cookie written for anyone else counts for nothing (its
 * state is `foreign` and starts empty), and with no state (no identity yet) nothing is remembered.
 */
export function rememberedChoice(state: StickyState | null, owner: CompiledSet | CompiledMulti): Choice | undefined {
  if (state === null) return undefined;
  return state.bound(owner) ?? state.continued(owner);
}
