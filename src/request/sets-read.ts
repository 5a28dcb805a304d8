// The sets one request read and what each gave: parallel lists, with room for four sets from the start.

/**
 * `list` with `item` at `count` (the number of items it holds), or a new list with room for four
 * when there is none. Parallel lists rather than a Map (a request reads a handful of sets, and a
 * Map per request costs more), made with room: a first `push` onto `[]` grows its store to 17
 * slots (V8's GrowFastElements), for each list, every request.
 */
export function placeAt<T>(list: Array<T | null> | null, count: number, item: T): Array<T | null> {
  if (list === null) return [item, null, null, null];
  if (count < list.length) list[count] = item;
  else list.push(item);
  return list;
}

const NONE: readonly never[] = [];

/** The first `count` items of `list`, or one shared empty list when there are none (nothing to copy). */
export function listed<T>(list: ReadonlyArray<T | null> | null, count: number): readonly T[] {
  return list === null || count === 0 ? NONE : (list.slice(0, count) as T[]);
}
