// For `tracks-ab diff`: how many stored users a change would re-hash elsewhere but who keep their variant (store, or cookie).
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import { schemaName } from '../postgres/migrations.js';
import type { Queryable } from '../postgres/queryable.js';
import { inTransaction } from '../postgres/transaction.js';
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

/** Users fetched at a time: the memory `diff` holds at once, whatever the table's size. */
export const HELD_PAGE_SIZE = 5000;

/**
 * Runs one statement in a read-only transaction and fetches its rows through a cursor, `pageSize`
 * at a time, handing each page to `take`: the database reads the table once, the command holds one
 * page at a time.
 */
async function eachPage(client: Queryable, text: string, params: unknown[], pageSize: number, take: (rows: readonly Row[]) => void): Promise<void> {
  await inTransaction(client, async (tx) => {
    await tx.query('set transaction read only');
    await tx.query(`declare tracks_held no scroll cursor for ${text}`, params);
    for (;;) {
      const { rows } = await tx.query<Row>(`fetch forward ${pageSize} from tracks_held`);
      take(rows);
      if (rows.length < pageSize) break;
    }
    await tx.query('close tracks_held');
  });
}

/**
 * Counts, for every set of both versions that the change moves, its stored users (`tracks_assignments`)
 * and the users only the exposure log knows (`tracks_exposures`; for a multi set, by member: each
 * person's earliest first exposure names the member, ties by member name), and of each those the new
 * version hashes elsewhere. One statement per table and set, read through a cursor in pages of
 * `pageSize` users, so the command's memory stays bounded at any table size.
 */
export async function heldUsers(
  client: Queryable,
  shifts: readonly SetShift[],
  before: ReadonlyMap<string, CompiledSet | CompiledMulti>,
  after: ReadonlyMap<string, CompiledSet | CompiledMulti>,
  schema?: string,
  pageSize = HELD_PAGE_SIZE,
): Promise<Map<string, HeldUsers>> {
  const s = schemaName(schema);
  const held = new Map<string, HeldUsers>();
  for (const shift of shifts) {
    const set = after.get(shift.name);
    if (shift.status !== 'changed' || !set || !before.has(shift.name)) continue;
    const elsewhere = (rows: readonly Row[]): number => rows.filter((r) => hashedName(set, r.user_key) !== r.variant).length;
    const counts = { stored: 0, storeKeeps: 0, exposedOnly: 0, cookieKeeps: 0 };
    await eachPage(client, `select user_key, variant from ${s}.tracks_assignments where set_name = $1`, [shift.name], pageSize, (rows) => {
      counts.stored += rows.length;
      counts.storeKeeps += elsewhere(rows);
    });
    const multi = set.kind === 'multi';
    // A person's first exposure names their variant (for a multi set, their member); the store's users are counted above.
    await eachPage(
      client,
      `select distinct on (e.user_key) e.user_key, ${multi ? 'e.set_name' : 'e.variant'} as variant from ${s}.tracks_exposures e
       where e.${multi ? 'multi_set_name' : 'set_name'} = $1 and e.user_key is not null and e.first_exposure
         and not exists (select 1 from ${s}.tracks_assignments a where a.user_key = e.user_key and a.set_name = $1)
       order by e.user_key, e.exposed_at, e.set_name, e.variant`,
      [shift.name],
      pageSize,
      (rows) => {
        counts.exposedOnly += rows.length;
        counts.cookieKeeps += elsewhere(rows);
      },
    );
    held.set(shift.name, counts);
  }
  return held;
}
