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

/** Users read per query: the memory `diff` holds at once, whatever the table's size. */
export const HELD_PAGE_SIZE = 5000;

/**
 * Reads rows in pages of `pageSize` users in user-key order, each page after the last key of the one
 * before (keyset paging: each page is a range of an index, so the whole read is linear), and hands
 * each page to `take`.
 */
async function paged(
  client: Queryable,
  query: (after: string | null) => { text: string; params: unknown[] },
  pageSize: number,
  take: (rows: readonly Row[]) => Promise<void> | void,
): Promise<void> {
  let last: string | null = null;
  for (;;) {
    const { text, params } = query(last);
    const page = (await client.query<Row>(text, params)).rows;
    await take(page);
    if (page.length < pageSize) return;
    last = page[page.length - 1]!.user_key;
  }
}

/**
 * Counts, for every set of both versions that the change moves, its stored users (`tracks_assignments`)
 * and the users only the exposure log knows (`tracks_exposures`; for a multi set, by member: each
 * person's first exposure names the member), and of each those the new version hashes elsewhere.
 * Every query reads one page of `pageSize` users through an index (the stored ones by key, a member's
 * first exposures by set and key, the store's record of a page's keys by key), so memory stays
 * bounded and the time linear at any table size.
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
    const old = before.get(shift.name);
    if (shift.status !== 'changed' || !set || !old) continue;
    const name = shift.name;
    const elsewhere = (rows: readonly Row[]): number => rows.filter((r) => hashedName(set, r.user_key) !== r.variant).length;
    const counts = { stored: 0, storeKeeps: 0, exposedOnly: 0, cookieKeeps: 0 };
    await paged(
      client,
      (last) => ({
        text: `select user_key, variant from ${s}.tracks_assignments where set_name = $1${last === null ? '' : ' and user_key > $3'}
          order by user_key limit $2`,
        params: last === null ? [name, pageSize] : [name, pageSize, last],
      }),
      pageSize,
      (rows) => {
        counts.stored += rows.length;
        counts.storeKeeps += elsewhere(rows);
      },
    );
    // A multi set's persons are its members' (of either version) first exposures marked with its name:
    // each counted in the member of their earliest one (ties by member name), read member by member.
    const members = set.kind === 'multi' ? [...new Set([...set.members, ...(old.kind === 'multi' ? old.members : [])].map((m) => m.name))] : [name];
    for (const member of members) {
      const others = members.filter((m) => m !== member);
      await paged(
        client,
        (last) => {
          const params: unknown[] = [member, pageSize];
          const from = last === null ? '' : ` and e.user_key > $${params.push(last)}`;
          const multi = set.kind === 'multi' ? ` and e.multi_set_name = $${params.push(name)}` : '';
          const earlier =
            others.length === 0
              ? ''
              : ` and not exists (select 1 from ${s}.tracks_exposures o where o.set_name = any($${params.push(others)}::text[])
                  and o.user_key = e.user_key and o.first_exposure and o.multi_set_name = e.multi_set_name
                  and (o.exposed_at < e.exposed_at or (o.exposed_at = e.exposed_at and o.set_name < e.set_name)))`;
          return {
            // A person's first exposure names their variant (for a multi set, their member).
            text: `select distinct on (e.user_key) e.user_key, ${set.kind === 'multi' ? 'e.set_name' : 'e.variant'} as variant
              from ${s}.tracks_exposures e
              where e.set_name = $1 and e.user_key is not null and e.first_exposure${from}${multi}${earlier}
              order by e.user_key, e.exposed_at, e.variant limit $2`,
            params,
          };
        },
        pageSize,
        async (rows) => {
          // The store's users are counted above: one lookup of the page's keys by the store's key.
          const { rows: kept } = await client.query<{ user_key: string }>(
            `select user_key from ${s}.tracks_assignments where set_name = $1 and user_key = any($2::text[])`,
            [name, rows.map((r) => r.user_key)],
          );
          const inStore = new Set(kept.map((r) => r.user_key));
          const only = rows.filter((r) => !inStore.has(r.user_key));
          counts.exposedOnly += only.length;
          counts.cookieKeeps += elsewhere(only);
        },
      );
    }
    held.set(name, counts);
  }
  return held;
}
