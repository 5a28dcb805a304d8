// Continuity that cannot be replayed: a visitor's variants go into the first account their anonymous id is carried into, and no other.
import { claimAlias } from '../assignment-store/direct-writes.js';
import type { StickyState } from '../cookies/sticky-state.js';
import { callSafely } from '../engine/thenable.js';
import type { RequestInputs } from './inputs.js';
import type { UserRecords } from './user-records.js';

/**
 * Whether this user's request may take the variants of the anonymous id it carries, as far as
 * can be known without I/O: not when the id cookie names another account (the tag of the first
 * account it was carried into, written then), nor when this process already carried the id into
 * another account. The store, when there is one, has the last word (`claimInStore`).
 */
export function continuityOpen<Req>(inputs: RequestInputs<Req>, key: string): boolean {
  const { id, claim, secret } = inputs.carried;
  if (id === null) return false;
  if (claim !== null && !inputs.setup.signer.tagMatches(claim, key, secret)) return false;
  const owner = inputs.setup.aliases.get(id);
  return owner === undefined || owner === key;
}

/**
 * Decides continuity for a state whose cookie is bound to the carried anonymous id, before any
 * variant is served: refused (the cookie is then replaced) when nothing in it may be carried,
 * or when the id is someone else's; else, without a store, the id is claimed for `key` in this
 * process at once (first alias wins). With a store, `claimInStore` claims it.
 */
export function decideContinuity<Req>(inputs: RequestInputs<Req>, state: StickyState, key: string): void {
  if (state.binding !== 'continuity') return;
  if (state.continuedEntries().size === 0 || !continuityOpen(inputs, key)) return state.refuseContinuity();
  if (inputs.setup.config.store === null) inputs.setup.aliases.set(inputs.carried.id!, key);
}

/**
 * With a store: claims the carried anonymous id for `key` there (first alias wins across every
 * server), unless this process already saw it claimed for `key`. Resolves once decided, never
 * rejects; on refusal or failure the state's continuity is refused.
 */
export function claimInStore<Req>(inputs: RequestInputs<Req>, state: StickyState, key: string): Promise<void> | undefined {
  const client = inputs.setup.config.store;
  const id = inputs.carried.id;
  if (state.binding !== 'continuity' || client === null || id === null) return undefined;
  if (inputs.setup.aliases.get(id) === key) return undefined;
  return claimAlias(client, id, key).then((owned) => {
    if (owned) inputs.setup.aliases.set(id, key);
    else state.refuseContinuity();
  });
}

/**
 * Before a user's handler, with a store: the carried anonymous id claimed for them (`claimInStore`)
 * and their records loaded, at once. Undefined when there is nothing to wait for; else a promise
 * that never rejects: should anything after the load throw, the request still goes on, and
 * `onError` is told.
 */
export function prepareUser<Req>(inputs: RequestInputs<Req>, state: StickyState, records: UserRecords): Promise<void> | undefined {
  const { config, registry, signer } = inputs.setup;
  const claiming = claimInStore(inputs, state, records.key);
  const loading = records.prepare(state, registry.owners, signer.signs);
  const both = claiming === undefined ? loading : loading === undefined ? claiming : Promise.all([claiming, loading]).then(() => undefined);
  const store = { operation: 'load', key: records.key, reason: 'error' } as const;
  return both?.then(undefined, (error: unknown) => callSafely(() => config.onError(error, { where: 'store', setName: null, req: null, store })));
}
