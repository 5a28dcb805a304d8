// What one request's `get`s gave, in order: one list, with room for four sets from the start.
import { MultiAssignment, type Assignment } from '../engine/assignment.js';
import type { CompiledTrackSet } from '../engine/compile.js';

type Result = Assignment | MultiAssignment;

/**
 * `list` with `item` at `count` (the number of items it holds), or a new list with room for four
 * when there is none. A list rather than a Map (a request reads a handful of sets, and a Map per
 * request costs more), made with room: a first `push` onto `[]` grows its store to 17 slots (V8's
 * GrowFastElements), every request. One list, not one of sets beside one of results: each result
 * names its set (`setOf`), and a request's allocations cost it more than their instructions (bench/README.md).
 */
export function placeAt<T>(list: Array<T | null> | null, count: number, item: T): Array<T | null> {
  if (list === null) return [item, null, null, null];
  if (count < list.length) list[count] = item;
  else list.push(item);
  return list;
}

/** The set a result is for: an assignment's set, a multi assignment's multi set. */
export function setOf(result: Result): CompiledTrackSet {
  return result instanceof MultiAssignment ? result.multi : result.set;
}

const NONE: readonly never[] = [];

/** The sets of the first `count` results of `list`, or one shared empty list when there are none (nothing to copy). */
export function setsRead(list: ReadonlyArray<Result | null> | null, count: number): readonly CompiledTrackSet[] {
  return list === null || count === 0 ? NONE : list.slice(0, count).map((result) => setOf(result!));
}
