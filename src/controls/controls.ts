// The runtime-controls contract the middleware reads, and the one step that applies a control to a set.
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import { multiRulesUnder, OPEN_MULTI, type MultiRules } from '../engine/multi-rules.js';
import { rulesUnder, type ControlsView, type SetControl } from '../engine/controlled-set.js';
import { TracksError } from '../engine/errors.js';

export type { ControlsView, SetControl };

/**
 * A source of run-time controls for the middleware (`tracks(sets, { controls })`) and for
 * `assign(Set, { key, controls })`. `get` is called on the request path: it answers from memory,
 * synchronously, never with I/O; a source that reads a database refreshes its snapshot in the
 * background (`postgresControls` in `tracks-ab/postgres`). Implementations: `MemoryControls`,
 * `postgresControls`, or any object with `get(setName)`.
 */
export interface ControlsSource extends ControlsView {
  /**
   * Told once per control (per version of it) that this process's set cannot take: a variant
   * the set does not have, a malformed control. The control is ignored: the set follows its
   * statics. Without it, `console.error` is used.
   */
  refused?(error: TracksError, setName: string): void;
}

// The engine caches one error per (control, set): reporting it once reports each version once. A
// source that fails otherwise (a throwing `get`, a control that is no object) is reported once.
const reported = new WeakSet<object>();

function report(source: ControlsSource, error: TracksError, setName: string, once: object = error): void {
  if (reported.has(once)) return;
  reported.add(once);
  try {
    if (source.refused) source.refused(error, setName);
    else console.error(`tracks-ab: a run-time control was refused and is ignored: ${error.message}`);
  } catch {
    // A throwing hook must not fail the request: the control is ignored either way.
  }
}

/**
 * The rules `set` follows now: the set itself without a source or a control for it, else the set
 * as the control in force changes it (derived once per control version). A control the set
 * cannot take is reported and ignored, and so is a source whose `get` throws.
 */
export function rulesInForce(source: ControlsSource | null, set: CompiledSet): CompiledSet {
  // Small, so V8 inlines it per set read; the work with a source in a function of its own.
  return source === null ? set : rulesFromSource(source, set);
}

function rulesFromSource(source: ControlsSource, set: CompiledSet): CompiledSet {
  let control: SetControl | null | undefined;
  try {
    control = source.get(set.name);
  } catch (error) {
    report(source, new TracksError('ERR_TRACKS_INVALID_CONTROL', `controls source get("${set.name}") threw: ${String(error)}`), set.name, source);
    return set;
  }
  const rules = rulesUnder(set, control);
  if (!(rules instanceof TracksError)) return rules;
  report(source, rules, set.name, typeof control === 'object' ? rules : source);
  return set;
}

/**
 * The rules a multi set follows now as a whole (disabled, pinned to a member's variant, paused
 * members); open without a source or a control. A refused control is reported and ignored.
 */
export function multiRulesInForce(source: ControlsSource | null, multi: CompiledMulti): MultiRules {
  if (source === null) return OPEN_MULTI;
  let control: SetControl | null | undefined;
  try {
    control = source.get(multi.name);
  } catch (error) {
    report(source, new TracksError('ERR_TRACKS_INVALID_CONTROL', `controls source get("${multi.name}") threw: ${String(error)}`), multi.name, source);
    return OPEN_MULTI;
  }
  const rules = multiRulesUnder(multi, control);
  if (!(rules instanceof TracksError)) return rules;
  report(source, rules, multi.name, typeof control === 'object' ? rules : source);
  return OPEN_MULTI;
}
