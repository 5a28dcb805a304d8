// What `req.tracks` offers user code, whatever the framework.
import type { Assignment, AssignmentOf, MultiAssignment } from '../engine/assignment.js';
import type { AnySetClass } from '../engine/track-set.js';

/** What `req.tracks` (`ctx.tracks`, `request.tracks`) offers, whatever the framework. */
export interface Tracks {
  /** The user's assignment to a registered set, enrolled, logged once and remembered. */
  get<S extends AnySetClass>(set: S): AssignmentOf<S>;
  /** What `get` would return, without enrolling, logging or writing a cookie (reason `unidentified` before the visitor has an id). */
  peek<S extends AnySetClass>(set: S): AssignmentOf<S>;
  /** The assignments `get` made in this request, in order. */
  assignments(): Array<Assignment | MultiAssignment>;
  /** The key the user is assigned by: from the configured sources, else the anonymous id (null when a source threw). */
  readonly key: string | null;
  /** True when the request is treated as a crawler's (see the `bots` option). */
  readonly isBot: boolean;
}
