// For `tracks-ab diff`: how many stored users a change would re-hash elsewhere but who keep their variant (store, or cookie).
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import { schemaName } from '../postgres/migrations.js';
import type { Queryable } from '../postgres/queryable.js';
import { hashedName, type SetShift } from './diff-shares.js';

/** One set's users that something other than the hash holds. */
export interface HeldUsers {
  /** Users the assignment store remembers for the set. */
  readonly stored: number;
  /** Of those, users the new version would hash elsewhere, who keep theirs since the store's record wins. */
  readonly storeKeeps: number;
  /** Users the exposure log knows and the store does not (anonymous visitors, apps without a store). */
  readonly exposedOnly: number;
  /** Of those, users the new version would hash elsewhere, who keep theirs only while their sticky cookie lasts. */
  readonly cookieKeeps: number;
}

interface Row {
  user_key: string;
  variant: string;
}

/**
 * Reads, for every set of both versions that the change moves, its stored users (`tracks_assignments`)
 * and the users only the exposure log knows (`tracks_exposures`; for a multi set, by member), and
 * counts those the new version hashes elsewhere. One pass over each set's rows.
 */
export async function heldUsers(
  client: Queryable,
  shifts: readonly SetShift[],
  before: ReadonlyMap<string, CompiledSet | CompiledMulti>,
  after: ReadonlyMap<string, CompiledSet | CompiledMulti>,
  schema?: string,
): Promise<Map<string, HeldUsers>> {
  const s = schemaName(schema);
  const held = new Map<string, HeldUsers>();
  for (const shift of shifts) {
    const set = after.get(shift.name);
    if (shift.status !== 'changed' || !set || !before.has(shift.name)) continue;
    const { rows: stored } = await client.query<Row>(`select user_key, variant from ${s}.tracks_assignments where set_name = $1`, [shift.name]);
    const column = set.kind === 'multi' ? 'multi_set_name' : 'set_name';
    const chosen = set.kind === 'multi' ? 'e.set_name' : 'e.variant';
    // A person's first exposure names their variant (member); the store's users are counted above.
    const { rows: exposed } = await client.query<Row>(
      `select distinct on (e.user_key) e.user_key, ${chosen} as variant from ${s}.tracks_exposures e
       where e.${column} = $1 and e.user_key is not null and e.first_exposure
         and not exists (select 1 from ${s}.tracks_assignments a where a.user_key = e.user_key and a.set_name = $1)
       order by e.user_key, e.exposed_at`,
      [shift.name],
    );
    const elsewhere = (rows: readonly Row[]): number => rows.filter((r) => hashedName(set, r.user_key) !== r.variant).length;
    held.set(shift.name, { stored: stored.length, storeKeeps: elsewhere(stored), exposedOnly: exposed.length, cookieKeeps: elsewhere(exposed) });
  }
  return held;
}
