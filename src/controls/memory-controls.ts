// Runtime controls held in this process: for tests, examples and apps that change them by code.
import { compile } from '../engine/compile.js';
import { controlError, controlProblem, controlShapeProblem, type ControlTarget, type SetControl } from '../engine/controlled-set.js';
import { closestName } from '../engine/did-you-mean.js';
import { multiTarget } from '../engine/multi-rules.js';
import { TracksError } from '../engine/errors.js';
import type { AnySetClass } from '../engine/track-set.js';
import type { ControlsSource } from './controls.js';

/** Options of `new MemoryControls(initial, options)`. */
export interface MemoryControlsOptions {
  /** The app's sets: with them, `set` refuses a control naming a set or a variant they do not have. */
  sets?: readonly AnySetClass[];
  /** Told of a control a set refused when it was read (see `ControlsSource.refused`). Default: console.error. */
  onError?: (error: TracksError, setName: string) => void;
}

/** The sets a control may name, by name: every registered set, every multi set and every member of one. */
export function controlTargets(sets: readonly AnySetClass[]): Map<string, ControlTarget> {
  const targets = new Map<string, ControlTarget>();
  for (const cls of sets) {
    const compiled = compile(cls);
    if (compiled.kind === 'multi') targets.set(compiled.name, multiTarget(compiled));
    const members = compiled.kind === 'multi' ? compiled.members : [compiled];
    for (const set of members) targets.set(set.name, { name: set.name, variants: set.variants.map((v) => v.name), algorithm: set.algorithm });
  }
  return targets;
}

/** The refusal of a control for a set that `targets` does not know, with a did-you-mean. */
export function unknownSetError(setName: string, known: readonly string[]): TracksError {
  const near = closestName(setName, known);
  const hint = near ? `did you mean "${near}"? ` : '';
  return new TracksError('ERR_TRACKS_INVALID_CONTROL', `set "${setName}" is unknown (${hint}sets: ${known.join(', ') || 'none'})`);
}

/**
 * Controls in memory, changed by code: `set` replaces a set's control at once for every request
 * of this process. A control is checked whole before it is stored (and, with `sets`, against the
 * set it names), so it is never applied half-way.
 * @example
 * const controls = new MemoryControls({ pricing: { pinned: 'cheap' } }, { sets: [PricingTracks] })
 * app.use(tracks([PricingTracks], { controls }))
 * controls.set('pricing', { disabled: true })   // the kill switch, from an admin route
 */
export class MemoryControls implements ControlsSource {
  readonly #controls = new Map<string, SetControl>();
  readonly #targets: Map<string, ControlTarget> | null;
  readonly #onError: ((error: TracksError, setName: string) => void) | null;

  constructor(initial: Readonly<Record<string, SetControl>> = {}, options: MemoryControlsOptions = {}) {
    this.#targets = options.sets ? controlTargets(options.sets) : null;
    this.#onError = options.onError ?? null;
    for (const [setName, control] of Object.entries(initial)) this.set(setName, control);
  }

  /** The control in force for a set, if any. */
  get(setName: string): SetControl | undefined {
    return this.#controls.get(setName);
  }

  /** Replaces the set's control (a frozen copy is kept). Throws a `TracksError` and changes nothing when it is refused. */
  set(setName: string, control: SetControl): this {
    const target = this.#targets?.get(setName);
    if (this.#targets && !target) throw unknownSetError(setName, [...this.#targets.keys()]);
    const problem = target ? controlProblem(target, control) : controlShapeProblem(control);
    if (problem !== null) throw controlError(setName, problem);
    const { disabled, pinned, coverage, paused } = control;
    this.#controls.set(
      setName,
      Object.freeze({
        ...(disabled !== undefined && { disabled }),
        ...(pinned !== undefined && { pinned }),
        ...(coverage !== undefined && { coverage }),
        ...(paused !== undefined && paused.length > 0 && { paused: Object.freeze([...paused]) }),
      }),
    );
    return this;
  }

  /** Forgets the set's control: its statics apply again. True when there was one. */
  delete(setName: string): boolean {
    return this.#controls.delete(setName);
  }

  /** Every control in force, by set name. */
  entries(): Array<[string, SetControl]> {
    return [...this.#controls];
  }

  /** @internal Called by the middleware once per refused control version. */
  refused(error: TracksError, setName: string): void {
    if (this.#onError) this.#onError(error, setName);
    else console.error(`tracks-ab: a run-time control was refused and is ignored: ${error.message}`);
  }
}
