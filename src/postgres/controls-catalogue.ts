// The catalogue of sets: each app records its registered sets, so a tool without the app's classes can check a control.
import type { ControlTarget } from '../engine/controlled-set.js';
import type { AnySetClass, Algorithm } from '../engine/track-set.js';
import { compile, type CompiledSet } from '../engine/compile.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';
import { inTransaction } from './transaction.js';

/** Options of the controls functions of `tracks-ab/postgres`. */
export interface ControlsStoreOptions {
  /** Schema holding the tables that `migrate` created; default `public`. */
  schema?: string;
}

/** One set as the catalogue describes it: its variants, and the statics a control overrides. */
export interface CatalogueSet extends ControlTarget {
  readonly statics: { readonly disabled: boolean; readonly pinned: string | null; readonly coverage: number };
  readonly publishedAt: Date;
}

interface SetRow {
  set_name: string;
  variants: string[];
  algorithm: Algorithm;
  disabled: boolean;
  pinned: string | null;
  coverage: number;
  published_at: Date | string;
}

/** The plain sets among `sets`: every SimpleTrackSet and ParamTrackSet, and every member of a MultiTrackSet. */
function plainSets(sets: readonly AnySetClass[]): CompiledSet[] {
  const found = new Map<string, CompiledSet>();
  for (const cls of sets) {
    const compiled = compile(cls);
    for (const set of compiled.kind === 'multi' ? compiled.members : [compiled]) found.set(set.name, set);
  }
  return [...found.values()];
}

/**
 * Records the app's sets in the catalogue (`tracks_sets`): name, variants in order, algorithm and
 * the statics a control overrides. Call it at start-up, after `migrate`, with the list given to
 * `tracks([...])`; the last app to publish a set describes it. `tracks-ab controls` refuses a set
 * or a variant the catalogue does not have.
 * @example
 * await migrate(pool);
 * await publishSets(pool, [DelayTracks, PricingTracks]);
 */
export async function publishSets(client: Queryable, sets: readonly AnySetClass[], options: ControlsStoreOptions = {}): Promise<void> {
  const schema = schemaName(options.schema);
  const compiled = plainSets(sets);
  const sql = `insert into ${schema}.tracks_sets (set_name, variants, algorithm, disabled, pinned, coverage, published_at)
    values ($1, $2, $3, $4, $5, $6, now())
    on conflict (set_name) do update set variants = excluded.variants, algorithm = excluded.algorithm, disabled = excluded.disabled,
      pinned = excluded.pinned, coverage = excluded.coverage, published_at = excluded.published_at`;
  await inTransaction(client, async (tx) => {
    for (const set of compiled) {
      const variants = set.variants.map((v) => v.name);
      await tx.query(sql, [set.name, variants, set.algorithm, set.cls.disabled, set.cls.pinned ?? null, set.cls.coverage]);
    }
  });
}

/** Every set in the catalogue, by name. */
export async function readCatalogue(client: Queryable, options: ControlsStoreOptions = {}): Promise<Map<string, CatalogueSet>> {
  const schema = schemaName(options.schema);
  const { rows } = await client.query<SetRow>(
    `select set_name, variants, algorithm, disabled, pinned, coverage, published_at from ${schema}.tracks_sets order by set_name`,
  );
  return new Map(
    rows.map((r) => [
      r.set_name,
      {
        name: r.set_name,
        variants: r.variants,
        algorithm: r.algorithm,
        statics: { disabled: r.disabled, pinned: r.pinned, coverage: r.coverage },
        publishedAt: r.published_at instanceof Date ? r.published_at : new Date(r.published_at),
      },
    ]),
  );
}
