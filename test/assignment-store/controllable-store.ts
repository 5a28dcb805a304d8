// An assignment store for store-client tests: the in-memory store, made slow or failing on demand, counting its calls.
import type {
  AliasRecord,
  AssignmentStore,
  RememberedAssignments,
  SupersededAssignment,
  UserAssignment,
} from '../../src/assignment-store/assignment-store.js';
import { MemoryAssignmentStore } from '../../src/assignment-store/memory-assignment-store.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wraps a MemoryAssignmentStore. A load reads its snapshot when called and answers after
 * `loadDelayMs`, as a query whose snapshot predates a write that lands meanwhile; `failLoads` and
 * `failWrites` make the next calls reject, as a database that is down.
 */
export class ControllableStore implements AssignmentStore {
  readonly inner = new MemoryAssignmentStore();
  loadDelayMs = 0;
  failLoads = false;
  failWrites = 0;
  loads = 0;
  saves: number[] = [];
  aliases = 0;

  async load(key: string): Promise<RememberedAssignments> {
    this.loads++;
    const snapshot = await this.inner.load(key);
    if (this.loadDelayMs > 0) await sleep(this.loadDelayMs);
    if (this.failLoads) throw new Error('the database is down');
    return snapshot;
  }

  async save(records: readonly UserAssignment[]): Promise<void> {
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('the database is down');
    }
    this.saves.push(records.length);
    await this.inner.save(records);
  }

  async alias(records: readonly AliasRecord[]): Promise<void> {
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('the database is down');
    }
    this.aliases += records.length;
    await this.inner.alias(records);
  }

  aliasOf(anonymousId: string): Promise<string | null> {
    return this.inner.aliasOf(anonymousId);
  }

  async replace(records: readonly SupersededAssignment[]): Promise<void> {
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('the database is down');
    }
    await this.inner.replace(records);
  }
}
