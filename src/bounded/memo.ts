// A bounded memo for per-request work whose inputs repeat (User-Agents, a visitor's cookie).

/**
 * Remembers up to about `2 * capacity` results in two generations: lookups hit the current one,
 * then the previous one (and promote); when the current one is full it becomes the previous
 * one and the oldest is dropped whole. O(1) per operation, no per-entry bookkeeping, and memory
 * that never grows with the number of users.
 */
export class BoundedMemo<V> {
  #current = new Map<string, V>();
  #previous = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  /** How many results are held (for tests and the memory benchmark). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
