// A set's name (its own setName, else its class name) and the warning when a minifier could change it.
import { show, TracksError } from './errors.js';

/** `process.emitWarning`'s shape, reached through `globalThis` so the engine loads in any runtime. */
interface WarningProcess {
  emitWarning(message: string, options: { type: string; code: string }): void;
}

/** The `type` of every warning tracks-ab emits (what `process.on('warning')` sees as `name`). */
export const WARNING_TYPE = 'TracksAbWarning';

/** The code of the warning for a set without its own `setName`. */
export const NO_SET_NAME = 'TRACKS_AB_NO_SET_NAME';

/** Whether the class itself declares `setName` (an inherited one names the parent, not this class). */
export function hasOwnSetName(cls: object): boolean {
  return Object.prototype.hasOwnProperty.call(cls, 'setName');
}

/** What messages call a set before its name is validated: its own setName, else its class name. */
export function labelOf(cls: { setName?: unknown; name: string }): string {
  return hasOwnSetName(cls) && typeof cls.setName === 'string' && cls.setName !== '' ? cls.setName : cls.name || '(anonymous class)';
}

/** The set's name: its own `setName`, else its class name; throws when that is not a non-empty string. */
export function setNameOf(cls: { setName?: string; name: string }): string {
  const name = hasOwnSetName(cls) ? cls.setName : cls.name;
  if (typeof name !== 'string' || name === '') {
    throw new TracksError(
      'ERR_TRACKS_INVALID_SET',
      `track set ${show(cls)}: option setName is invalid: ${show(name)} (give the class a static setName)`,
    );
  }
  return name;
}

const warned = new WeakSet<object>();

/** Emits a warning through `process.emitWarning` where there is one, else `console.warn`. */
function emit(message: string, code: string): void {
  const host = (globalThis as { process?: Partial<WarningProcess> }).process;
  if (typeof host?.emitWarning === 'function') host.emitWarning(message, { type: WARNING_TYPE, code });
  else globalThis.console?.warn(`${WARNING_TYPE} [${code}]: ${message}`);
}

/**
 * Warns, once per class, that a set without its own `static setName` is named after its class:
 * a minifier that renames the class renames the set, which salts the hash, so users move.
 */
export function warnNoSetName(cls: { name: string }): void {
  if (warned.has(cls)) return;
  warned.add(cls);
  emit(
    `track set class ${cls.name} has no static setName, so it is named "${cls.name}" after its class; ` +
      'a minifier that renames the class would move its users to other variants. Give it a static setName.',
    NO_SET_NAME,
  );
}
