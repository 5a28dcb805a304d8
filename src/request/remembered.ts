// The one place that says what is remembered for a set, and in which order the sources count.
import type { CompiledTrackSet } from '../engine/compile.js';
import type { Choice, StickyState } from '../cookies/sticky-state.js';
import type { UserRecords } from './user-records.js';

/**
 * What is remembered for `owner`, by precedence:
 * 1. the cookie bound to this request's identity;
 * 2. the server-side assignment store, for users (`records`: loaded before the handler; null
 *    without a store, for anonymous visitors and bots); a record naming a variant that no longer
 *    exists counts for nothing, like a cookie entry;
 * 3. the cookie bound to the anonymous id this user's request carries (continuity: logging in
 *    keeps the variant; the cookie is then re-bound to the user);
 * then nothing, and the caller hashes. A cookie written for anyone else counts for nothing (its
 * state is `foreign` and starts empty), and with no state (no identity yet) nothing is remembered.
 */
export function rememberedChoice(state: StickyState | null, owner: CompiledTrackSet, records: UserRecords | null): Choice | undefined {
  if (state === null) return undefined;
  return state.bound(owner) ?? rememberedElsewhere(state, owner, records);
}

/** What is remembered for `owner` besides the cookie bound to this identity: steps 2 and 3 of `rememberedChoice`. */
export function rememberedElsewhere(state: StickyState | null, owner: CompiledTrackSet, records: UserRecords | null): Choice | undefined {
  if (state === null) return undefined;
  return records?.choice(owner) ?? state.continued(owner);
}
