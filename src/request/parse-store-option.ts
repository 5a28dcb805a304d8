// The middleware's `store` option: a StoreClient as given, or a bare assignment store wrapped in one.
import type { AssignmentStore } from '../assignment-store/assignment-store.js';
import type { RequestErrorInfo } from './events.js';
import { StoreClient } from '../assignment-store/store-client.js';

/** What the `store` option takes: a client (its own options and onError), or a bare store. */
export type StoreOption = StoreClient | AssignmentStore;

// A StoreClient from another copy of the package (CommonJS beside ESM) is one too.
function isStoreClient(value: unknown): value is StoreClient {
  if (value instanceof StoreClient) return true;
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && ['cached', 'load', 'save', 'alias', 'flush', 'close'].every((m) => typeof v[m] === 'function');
}

/**
 * The client the middleware loads and saves through, or null without a store. A bare store is
 * wrapped with the default client options; its failures go to the middleware's `onError` (as
 * `{ where: 'store', store: failure, req: null }`) when the app gave one, else to the client's
 * default (console.error, at most once a second). A client keeps its own `onError`. Throws a
 * TracksError (`option store is invalid: …`) for anything else.
 */
export function parseStoreOption<Req>(
  value: unknown,
  onError: ((error: unknown, info: RequestErrorInfo<Req>) => unknown) | undefined,
): StoreClient | null {
  if (value === undefined || value === null) return null;
  if (isStoreClient(value)) return value;
  const forward =
    onError &&
    ((error: unknown, store: Parameters<StoreClient['config']['onError']>[1]) => onError(error, { where: 'store', setName: null, req: null, store }));
  return new StoreClient(value as AssignmentStore, forward ? { onError: forward } : {}, 'store');
}
