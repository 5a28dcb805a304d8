// The exposure log's memory of (key, set, variant) triples already queued: bounded in triples and in bytes, one hash per lookup.

/** What one remembered key costs besides its characters: the map entry and its small array. */
const KEY_OVERHEAD_BYTES = 96;
/** What one more (set, variant) pair of a remembered key costs: two references in its array. */
const PAIR_BYTES = 16;

/**
 * Remembers the triples the log queued, per key: a key maps to the flat list `[set, variant,
 * set, variant, …]` of what it was queued for, so a lookup hashes the key alone (no string is
 * built) and compares a few references. Two generations, as `BoundedMemo`: when the current one
 * holds `capacity` triples or half of `maxBytes` (keys counted at two bytes a character), it
 * becomes the previous one and the oldest is dropped whole; a triple found in the previous one
 * is copied forward, so a busy user stays remembered. Memory is bounded whatever the keys' length.
 */
export class ExposureMemo {
  #current = new Map<string, string[]>();
  #previous = new Map<string, string[]>();
  #triples = 0;
  #bytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
  ) {}

  /** True when the triple is remembered (and it is then kept in the current generation). */
  has(key: string, setName: string, variant: string): boolean {
    const current = this.#current.get(key);
    if (current !== undefined && includes(current, setName, variant)) return true;
    const previous = this.#previous.get(key);
    if (previous === undefined || !includes(previous, setName, variant)) return false;
    this.add(key, setName, variant);
    return true;
  }

  /** Remembers a triple (the caller checked that it is not already remembered). */
  add(key: string, setName: string, variant: string): void {
    let list = this.#current.get(key);
    let weight = (list === undefined ? KEY_OVERHEAD_BYTES + 2 * key.length : 0) + PAIR_BYTES;
    // A key larger than a generation is not remembered (the sink's unique key drops its repeats).
    if (weight > this.maxBytes / 2) return;
    if (this.#triples >= this.capacity || this.#bytes + weight > this.maxBytes / 2) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#triples = 0;
      this.#bytes = 0;
      list = undefined;
      weight = KEY_OVERHEAD_BYTES + 2 * key.length + PAIR_BYTES;
    }
    // A new key's list is made to size (an empty array's first push reserves room for 17).
    if (list === undefined) this.#current.set(key, [setName, variant]);
    else list.push(setName, variant);
    this.#triples++;
    this.#bytes += weight;
  }

  /** Triples held in both generations (for tests). */
  get size(): number {
    let n = 0;
    for (const list of this.#current.values()) n += list.length / 2;
    for (const list of this.#previous.values()) n += list.length / 2;
    return n;
  }

  /** Bytes counted in both generations: the keys at two bytes a character, plus the overheads above. */
  get bytes(): number {
    let n = this.#bytes;
    for (const [key, list] of this.#previous) n += KEY_OVERHEAD_BYTES + 2 * key.length + (list.length / 2) * PAIR_BYTES;
    return n;
  }
}

function includes(list: readonly string[], setName: string, variant: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === setName && list[i + 1] === variant) return true;
  return false;
}
