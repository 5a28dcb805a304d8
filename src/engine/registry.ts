// The sets one middleware serves: compiled once, indexed by class, name and masked name.
import { compile, type CompiledMulti, type CompiledSet, type CompiledTrackSet } from './compile.js';
import { show, TracksError } from './errors.js';
import type { AnySetClass } from './track-set.js';

/** Lookup tables for the registered sets and the members of registered multi sets. */
export interface Registry {
  /** Every registered class and every member of a registered multi set. */
  readonly byClass: ReadonlyMap<AnySetClass, CompiledTrackSet>;
  /** Sets and multi sets by masked name (what the cookie stores). */
  readonly byMasked: ReadonlyMap<string, CompiledTrackSet>;
  /** Sets (not multi sets) by name (what the QA override names). */
  readonly setsByName: ReadonlyMap<string, CompiledSet>;
  /** The multi set a member set belongs to. */
  readonly parentOf: ReadonlyMap<CompiledSet, CompiledMulti>;
  /** The registered sets and multi sets, as listed (members only through their multi set). */
  readonly owners: readonly CompiledTrackSet[];
}

/** How many registered sets `findRegistered` compares before it asks the map. */
const SCANNED_OWNERS = 8;

/**
 * The compiled set of `cls`, or undefined. The first few registered sets are found by comparing
 * references (hashing the class for `byClass` costs more, once a `get`); the others, and members of
 * multi sets, in the map.
 */
export function findRegistered(registry: Registry, cls: AnySetClass): CompiledTrackSet | undefined {
  const owners = registry.owners;
  const scanned = owners.length < SCANNED_OWNERS ? owners.length : SCANNED_OWNERS;
  for (let i = 0; i < scanned; i++) {
    const owner = owners[i]!;
    if (owner.cls === cls) return owner;
  }
  return registry.byClass.get(cls);
}

/** The compiled set of `set`; a set not registered is the caller's mistake, thrown as `ERR_TRACKS_UNKNOWN_SET`. */
export function registered(registry: Registry, set: AnySetClass): CompiledTrackSet {
  const compiled = findRegistered(registry, set);
  if (compiled) return compiled;
  const name = typeof set === 'function' ? ((set as { setName?: string }).setName ?? set.name) : show(set);
  throw new TracksError('ERR_TRACKS_UNKNOWN_SET', `set "${name}" is not registered: add it to the list given to tracks([...])`);
}

function registryError(message: string): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_OPTION', `option sets is invalid: ${message}`);
}

/** Compiles and indexes the sets; any ambiguity is an error at start-up. */
export function buildRegistry(sets: readonly AnySetClass[]): Registry {
  if (!Array.isArray(sets) || sets.length === 0) throw registryError(`${show(sets)} (list at least one track set)`);
  const byClass = new Map<AnySetClass, CompiledTrackSet>();
  const byMasked = new Map<string, CompiledTrackSet>();
  const byName = new Map<string, CompiledTrackSet>();
  const setsByName = new Map<string, CompiledSet>();
  const parentOf = new Map<CompiledSet, CompiledMulti>();
  const owners: Array<CompiledTrackSet> = [];

  const add = (compiled: CompiledTrackSet, parent: CompiledMulti | null): void => {
    if (byClass.has(compiled.cls)) {
      const where = parent ? `inside "${parent.name}" and elsewhere` : 'twice';
      throw registryError(`set "${compiled.name}" is registered ${where}: register a set once, alone or through one MultiTrackSet`);
    }
    const sameName = byName.get(compiled.name);
    if (sameName) throw registryError(`two different sets are named "${compiled.name}": give one a distinct static setName`);
    const sameMask = byMasked.get(compiled.masked);
    if (sameMask) throw registryError(`sets "${sameMask.name}" and "${compiled.name}" have the same masked name ${compiled.masked}: rename one`);
    byClass.set(compiled.cls, compiled);
    byName.set(compiled.name, compiled);
    byMasked.set(compiled.masked, compiled);
    if (compiled.kind === 'set') setsByName.set(compiled.name, compiled);
    if (compiled.kind === 'set' && parent) parentOf.set(compiled, parent);
  };

  for (const cls of sets as readonly AnySetClass[]) {
    const compiled = compile(cls);
    add(compiled, null);
    owners.push(compiled);
    if (compiled.kind === 'multi') for (const member of compiled.members) add(member, compiled);
  }
  return { byClass, byMasked, setsByName, parentOf, owners };
}
