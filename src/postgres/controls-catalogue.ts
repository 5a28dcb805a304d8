// The catalogue of sets: each app records its registered sets, so a tool without the app's classes can check a control.
import { holdPGliteFolder } from './pglite-holder.js';
import type { ControlTarget } from '../engine/controlled-set.js';
import type { AnySetClass, Algorithm } from '../engine/track-set.js';
import { compile, type CompiledMulti, type CompiledSet } from '../engine/compile.js';
import { multiTarget } from '../engine/multi-rules.js';
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
  /** The variant reports compare the others with (`static controlVariant`, or the automatic control), or null. */
  readonly controlVariant: string | null;
  readonly publishedAt: Date;
}

interface SetRow {
  set_name: string;
  variants: string[];
  algorithm: Algorithm;
  disabled: boolean;
  pinned: string | null;
  coverage: number;
  members: string[] | null;
  control_variant: string | null;
  published_at: Date | string;
}

/** Every set among `sets`: each SimpleTrackSet and ParamTrackSet, each MultiTrackSet and each of its members. */
function allSets(sets: readonly AnySetClass[]): Array<CompiledSet | CompiledMulti> {
  const found = new Map<string, CompiledSet | CompiledMulti>();
  for (const cls of sets) {
    const compiled = compile(cls);
    found.set(compiled.name, compiled);
    if (compiled.kind === 'multi') for (const set of compiled.members) found.set(set.name, set);
  }
  return [...found.values()];
}

/** The catalogue row of a set: a multi set's variants are its `<member>:<variant>` pairs, its members listed. */
function rowOf(set: CompiledSet | CompiledMulti): unknown[] {
  if (set.kind === 'multi') {
    const target = multiTarget(set);
    return [set.name, target.variants, set.algorithm, false, null, 1, target.members, null];
  }
  const variants = set.variants.map((v) => v.name);
  return [set.name, variants, set.algorithm, set.cls.disabled, set.cls.pinned ?? null, set.cls.coverage, null, set.baseline?.name ?? null];
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
  holdPGliteFolder(client);
  const schema = schemaName(options.schema);
  const compiled = allSets(sets);
  const sql = `insert into ${schema}.tracks_sets (set_name, variants, algorithm, disabled, pinned, coverage, members, control_variant, published_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, now())
    on conflict (set_name) do update set variants = excluded.variants, algorithm = excluded.algorithm, disabled = excluded.disabled,
      pinned = excluded.pinned, coverage = excluded.coverage, members = excluded.members, control_variant = excluded.control_variant,
      published_at = excluded.published_at`;
  await inTransaction(client, async (tx) => {
    for (const set of compiled) await tx.query(sql, rowOf(set));
  });
}

/** Every set in the catalogue, by name. */
export async function readCatalogue(client: Queryable, options: ControlsStoreOptions = {}): Promise<Map<string, CatalogueSet>> {
  const schema = schemaName(options.schema);
  const { rows } = await client.query<SetRow>(
    `select set_name, variants, algorithm, disabled, pinned, coverage, members, control_variant, published_at from ${schema}.tracks_sets order by set_name`,
  );
  return new Map(
    rows.map((r) => [
      r.set_name,
      {
        name: r.set_name,
        variants: r.variants,
        algorithm: r.algorithm,
        ...(r.members !== null && { members: r.members }),
        statics: { disabled: r.disabled, pinned: r.pinned, coverage: r.coverage },
        controlVariant: r.control_variant,
        publishedAt: r.published_at instanceof Date ? r.published_at : new Date(r.published_at),
      },
    ]),
  );
}
