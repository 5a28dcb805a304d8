// The one vocabulary of option checks: every parser of the library refuses a mistake with the same words and code.
import { show, TracksError } from './errors.js';

/** `option cookie.maxAge is invalid: -1 (expected …)`, code `ERR_TRACKS_INVALID_OPTION`. */
export function invalidOption(option: string, value: unknown, hint = ''): TracksError {
  return new TracksError('ERR_TRACKS_INVALID_OPTION', `option ${option} is invalid: ${show(value)}${hint ? ` (${hint})` : ''}`);
}

/** The option's full name under `prefix` (`cookie` + `maxAge` → `cookie.maxAge`; no prefix: the name). */
export function optionName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** True for an object that is not an array (options, cookie options, a store's cache options…). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an options object, or a TracksError naming `option` with `hint`. */
export function optionsObject(option: string, value: unknown, hint = 'expected an object'): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidOption(option, value, hint);
  return value;
}

/**
 * Refuses any own property of `value` that `known` does not have as an OWN property (so that
 * `{ toString: 1 }` is unknown, not inherited from Object.prototype). `known` is best written as a
 * `{ [K in keyof Required<Options>]: true }` map, which makes the compiler list every option.
 */
export function checkKnownOptions(prefix: string, value: object, known: object): void {
  for (const name of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(known, name)) {
      throw new TracksError('ERR_TRACKS_INVALID_OPTION', `option ${optionName(prefix, name)} is unknown (known: ${Object.keys(known).join(', ')})`);
    }
  }
}

/** Bounds of a numeric option. */
export interface NumberRule {
  /** Smallest value allowed (inclusive); default: any positive number (exclusive 0). */
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** Says what the number counts, for the message: `ms`, `entries`. */
  readonly unit?: string;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.min === undefined && rule.max === undefined)
    return `expected a positive ${rule.integer ? 'integer' : 'number'}${rule.unit ? ` of ${rule.unit}` : ''}`;
  const bounds = [rule.min === undefined ? '' : `at least ${rule.min}`, rule.max === undefined ? '' : `at most ${rule.max}`]
    .filter(Boolean)
    .join(', ');
  // `a number of at least 1`; with a unit, `a number of ms, at least 10`.
  return `expected ${kind} of ${rule.unit ? `${rule.unit}, ` : ''}${bounds}`;
}

/**
 * A numeric option: `fallback` when undefined, else a finite number within the rule (a positive
 * number by default). NaN, Infinity, strings and numbers out of range are refused.
 */
export function numberOption(option: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.min === undefined ? value > 0 : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) throw invalidOption(option, value, describeRule(rule));
  return value;
}

/** A boolean option: `fallback` when undefined, else true or false. */
export function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(option, value, 'expected true or false');
  return value;
}

/** A function option (a hook): undefined stays undefined, else it must be a function. */
export function functionOption<F extends (...args: never[]) => unknown>(option: string, value: unknown, hint = 'expected a function'): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidOption(option, value, hint);
  return value as F;
}
