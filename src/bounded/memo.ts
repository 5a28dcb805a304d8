// A bounded memo for per-request work whose inputs repeat (User-Agents, a visitor's cookie), bounded in entries and in bytes.

/** What one entry costs besides its key's characters: the map's slot and a small value. */
const ENTRY_OVERHEAD_BYTES = 96;
/** The default bound in bytes (both generations): 8 MiB, whatever the keys' length. */
export const DEFAULT_MEMO_BYTES = 8 * 1024 * 1024;

/**
 * `text` as a string that holds its own characters. V8 makes a slice of a string (13 characters or
 * more) a view that keeps the whole string it was cut from alive: a cookie's value kept past its
 * request would keep that request's whole Cookie header, which the byte bounds here do not count
 * (a 4 kB header of the site's other cookies made a memo bounded at 8 MiB hold 81 MiB). Joined to
 * one character and cut again, it is copied into a string of its own length (plus that one).
 * For what is kept past a request only, where it is first kept: the copy is an allocation.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}

/** The bytes one entry is counted for: its key at two bytes a character (UTF-16, the worst case), the overhead, and `valueBytes`. */
export function entryBytes(key: string, valueBytes = 0): number {
  return ENTRY_OVERHEAD_BYTES + 2 * key.length + valueBytes;
}

/**
 * Remembers up to about `2 * capacity` results in two generations: lookups hit the current one,
 * then the previous one (and promote); when the current one is full (`capacity` entries, or half
 * of `maxBytes` counted by `entryBytes` with the `weigh` of each value) it becomes the previous
 * one and the oldest is dropped whole. O(1) per operation, no per-entry bookkeeping, and memory
 * that grows neither with the number of users nor with the length of their keys.
 */
export class BoundedMemo<V> {
  #current = new Map<string | number, Entry<V>>();
  #previous = new Map<string | number, Entry<V>>();
  /** Bytes counted in the current generation. */
  #bytes = 0;
  readonly #half: number;

  /**
   * @param capacity entries per generation
   * @param maxBytes bytes held at most in both generations (default 8 MiB)
   * @param weigh the bytes a value holds besides its key (default 0: a small value)
   * @param tail when above 0, keys longer than this are looked up by a number made of their last
   *   `tail` characters (then compared whole): hashing a fresh 100-character cookie value, or
   *   comparing two slices of headers inside the map, costs more than the rest of its lookup.
   *   Only for keys whose ends are nearly unique (a signed value ends in its HMAC); keys that share
   *   a slot push each other out, which costs a recomputation, never a wrong answer.
   */
  constructor(
    readonly capacity: number,
    readonly maxBytes: number = DEFAULT_MEMO_BYTES,
    private readonly weigh: ((value: V) => number) | null = null,
    private readonly tail = 0,
  ) {
    this.#half = maxBytes / 2;
  }

  #slot(key: string): string | number {
    const length = key.length;
    if (this.tail === 0 || length <= this.tail) return key;
    // A small integer: no string to hash or compare in the map.
    let slot = 0;
    for (let i = length - this.tail; i < length; i++) slot = (Math.imul(slot, 31) + key.charCodeAt(i)) & 0x3fffffff;
    return slot;
  }

  get(key: string): V | undefined {
    const slot = this.#slot(key);
    const hit = this.#current.get(slot);
    if (hit !== undefined) return hit.key === key ? hit.value : undefined;
    const old = this.#previous.get(slot);
    if (old === undefined || old.key !== key) return undefined;
    this.set(key, old.value);
    return old.value;
  }

  set(key: string, value: V): void {
    const bytes = entryBytes(key, this.weigh === null ? 0 : this.weigh(value));
    // An entry larger than a generation is not kept: it would push out everything else.
    if (bytes > this.#half) return;
    if (this.#current.size >= this.capacity || this.#bytes + bytes > this.#half) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#bytes = 0;
    }
    // The key as its own string: one cut from a request's header would keep the whole header (`detached`).
    const own = detached(key);
    this.#current.set(this.#slot(own), { key: own, value });
    this.#bytes += bytes;
  }

  /** How many results are held (for tests and the memory benchmark). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}

/** What the memo holds under a key (or its tail): the whole key, to compare, and the value. */
interface Entry<V> {
  readonly key: string;
  readonly value: V;
}
