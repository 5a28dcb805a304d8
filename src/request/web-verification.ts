// The Fetch adapter's Web Crypto work before the handler: the cookies' HMACs verified ahead, so that `get` stays synchronous.
import { RequestInputs } from './inputs.js';
import { BoundedMemo } from '../bounded/memo.js';
import type { CarriedId } from '../cookies/anonymous-id.js';
import { PreparedSigner } from '../cookies/prepared-signer.js';
import type { Setup } from './setup.js';
import { snapshotOf, type CookieSnapshot } from '../cookies/sticky-state.js';
import { sameText } from '../cookies/web-crypto-signer.js';

/** RFC 6265 §6.1's 4,096 bytes: the sticky state rejects longer values unread, so they are not verified. */
const MAX_STICKY_LENGTH = 4096;
/** The anonymous-id reader ignores values longer than this (an id of 64, a claim, a dot, a signature), unread. */
const MAX_ID_LENGTH = 160;

/** A shared memo that answers the raw values pinned for one request with what was found before the handler ran. */
export class PinnedMemo<V> extends BoundedMemo<V> {
  readonly #pins = new Map<string, V>();

  constructor(private readonly shared: BoundedMemo<V>) {
    super(1);
  }

  pin(key: string, value: V): void {
    this.#pins.set(key, value);
  }

  override get(key: string): V | undefined {
    return this.#pins.get(key) ?? this.shared.get(key);
  }

  override set(key: string, value: V): void {
    this.shared.set(key, value);
  }

  override get size(): number {
    return this.shared.size;
  }
}

/**
 * Verifies the sticky and anonymous-id cookies with Web Crypto and, when the sticky cookie is
 * bound to an identity, computes the tags of the request's own identities that the binding check
 * compares (its key, read from the key sources now, and the anonymous id it carried). A value
 * already in the setup's memos (a returning visitor's) costs no HMAC and stays pinned for the
 * request, even if the memo drops it meanwhile; a tag the memoised cookie already matched costs
 * none either. Signing is left to `seal`, after the handler.
 */
export async function verifyAhead<Req>(
  setup: Setup<Req>,
  signer: PreparedSigner,
  cookies: PinnedMemo<CookieSnapshot>,
  ids: PinnedMemo<CarriedId>,
  inputs: RequestInputs<Req>,
): Promise<void> {
  const { name, anonymousName } = setup.config.cookie;
  const raw = inputs.cookie(name);
  const rawId = inputs.cookie(anonymousName);
  const known = raw === undefined ? undefined : cookies.get(raw);
  if (known !== undefined) cookies.pin(raw!, known);
  const knownId = rawId === undefined ? undefined : ids.get(rawId);
  if (knownId !== undefined) ids.pin(rawId!, knownId);
  await Promise.all([
    raw !== undefined && known === undefined && raw.length <= MAX_STICKY_LENGTH ? signer.verify(raw) : null,
    rawId !== undefined && knownId === undefined && rawId.length <= MAX_ID_LENGTH ? signer.verify(rawId) : null,
  ]);
  if (raw === undefined) return;
  const snapshot = snapshotOf(raw, signer, setup.registry, cookies);
  cookies.pin(raw, snapshot);
  if (snapshot.format === 2) await computeBindingTags(signer, snapshot, inputs);
}

/**
 * The tags `bindingOf` will compare, in its order: the identity's own, then (a user's) the carried
 * anonymous id's, and the user's under the id cookie's secret when that cookie names an account. None is computed where the snapshot already knows the answer: an identity it
 * matched stays matched (`isBoundTo` answers without asking the signer), and for one it refused
 * the signer's answer without a tag, false, is the right one.
 */
async function computeBindingTags<Req>(signer: PreparedSigner, snapshot: CookieSnapshot, inputs: RequestInputs<Req>): Promise<void> {
  const user = inputs.userKey;
  if (user === null && inputs.keyFailed) return;
  const carried = inputs.carried.id;
  const identity = user ?? carried;
  if (identity === null) return;
  const known = (id: string): boolean => snapshot.matched === id || snapshot.refused === id;
  if (snapshot.matched === identity) return;
  if (!known(identity) && sameText(snapshot.tag!, await signer.computeTag(identity, snapshot.secret))) return;
  if (user !== null && carried !== null && !known(carried)) await signer.computeTag(carried, snapshot.secret);
  // Continuity: the id cookie may name the account it was carried into (`continuityOpen` compares).
  const { claim, secret } = inputs.carried;
  if (user !== null && claim !== null) await signer.computeTag(user, secret);
}
