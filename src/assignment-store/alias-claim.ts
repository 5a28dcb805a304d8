// First alias wins, asked before a request serves a carried variant: an anonymous id is claimed for one account in the store.
import type { AssignmentStore } from './assignment-store.js';
import type { StoreClientConfig } from './store-client-options.js';
import { callHook } from '../bounded/batch-writer.js';

/** The store behind each client: claims are written and read at once, not queued like saves. */
const stores = new WeakMap<object, AssignmentStore>();

/** @internal The store client records the store it stands in front of. */
export function rememberStoreBehind(client: object, store: AssignmentStore): void {
  stores.set(client, store);
}

/** What a client needs to claim an alias: its store (recorded at construction) and its options. */
interface ClaimingClient {
  readonly config: Pick<StoreClientConfig, 'timeoutMs' | 'onError'>;
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the assignment store did not confirm the alias within ${ms} ms`)), ms);
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
    callHook(() => client.config.onError(error, { operation: 'claim', anonymousId }));
    return false;
  }
}
