// Writes that cannot wait in the client's queue: an alias claimed before a carried variant is served, a superseded record replaced.
import type { AssignmentStore, SupersededAssignment } from './assignment-store.js';
import type { StoreClientConfig } from './store-client-options.js';
import { callSafely } from '../engine/thenable.js';

/** The store behind each client: these writes go to it directly, not through the client's first-write-wins queue. */
const stores = new WeakMap<object, AssignmentStore>();

/** @internal The store client records the store it stands in front of. */
export function rememberStoreBehind(client: object, store: AssignmentStore): void {
  stores.set(client, store);
}

/** What a client needs to claim an alias: its store (recorded at construction) and its options. */
interface ClaimingClient {
  readonly config: Pick<StoreClientConfig, 'timeoutMs' | 'writeTimeoutMs' | 'onError'>;
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the assignment store did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error as Error)),
    );
  });
}

/**
 * Claims `anonymousId` for the user `key` and answers whether the claim holds: the alias is
 * written (an anonymous id already aliased keeps its first key: the store's first write wins),
 * then read back, so of two accounts presenting the same id at once, on any servers, exactly
 * one is its owner. False (never a rejection) when another key owns it, or when the store failed,
 * took longer than the client's `timeoutMs`, or cannot read aliases: continuity is then refused,
 * and the failure goes to the client's `onError` (operation `claim`).
 */
export async function claimAlias(client: ClaimingClient, anonymousId: string, key: string): Promise<boolean> {
  const store = stores.get(client);
  try {
    if (store === undefined || typeof store.aliasOf !== 'function') throw new TypeError('the assignment store has no aliasOf: continuity is refused');
    const owner = await within(
      Promise.resolve()
        .then(() => store.alias([{ anonymousId, key, aliasedAt: new Date() }]))
        .then(() => store.aliasOf(anonymousId)),
      client.config.timeoutMs,
    );
    return owner === key;
  } catch (error) {
    callSafely(() => client.config.onError(error, { operation: 'claim', anonymousId }));
    return false;
  }
}

/**
 * Replaces records whose variant was removed from the set by the user's new hash, directly in the
 * store (the client's queue keeps a key's first record, which is the superseded one): only where
 * the stored variant is still the one `replaces` names, so servers that re-hash the same user
 * agree. Fire and forget: a failure (or a store without `replace`) goes to the client's `onError`,
 * and the user is re-hashed, to the same variant, on the next load.
 */
export function replaceSuperseded(client: ClaimingClient, records: readonly SupersededAssignment[]): void {
  const store = stores.get(client);
  const failed = (error: unknown): void => callSafely(() => client.config.onError(error, { operation: 'replace', count: records.length }));
  if (store?.replace === undefined) return failed(new TypeError('the assignment store has no replace: a superseded record stays'));
  Promise.resolve()
    .then(() => within(store.replace!(records), client.config.writeTimeoutMs))
    .catch(failed);
}
