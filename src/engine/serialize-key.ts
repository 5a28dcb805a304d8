// Turns any JSON-like key into the canonical string that is hashed.
import { show } from './errors.js';

/**
 * Serialises a key canonically:
 * - a string is itself (so the empty string is a key);
 * - a finite number is its shortest round-trip decimal (`42` and `'42'` are the same key, as in
 *   tracks 0.1.x, where `str(42) == '42'`); a bigint is its decimal digits;
 * - `true` / `false` are `'true'` / `'false'`;
 * - arrays and plain objects are JSON with object keys sorted by code unit, so key order never
 *   matters; `toJSON` (a `Date`, say) is honoured; `undefined` members of objects are skipped;
 *   `undefined` items and holes of arrays are `null`, as in JSON.
 *
 * Functions, symbols, non-finite numbers and cycles (a `toJSON` returning its own object included)
 * cannot be serialised and throw a `TypeError` with code `ERR_TRACKS_INVALID_KEY`.
 * `null` and `undefined` are "no key" and are handled by the caller, never passed here.
 */
export function serializeKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') {
    if (!Number.isFinite(key)) throw keyError(key, 'it is not a finite number');
    return String(key);
  }
  return nested(key, []);
}

function nested(value: unknown, path: object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw keyError(value, 'it holds a number that is not finite');
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (path.includes(value)) throw keyError(value, 'it contains a cycle');
      const withJson = value as { toJSON?: () => unknown };
      // On the path while toJSON's result is serialised, so a toJSON returning `this` is a cycle.
      path.push(value);
      let out: string;
      if (typeof withJson.toJSON === 'function') {
        out = nested(withJson.toJSON(), path);
      } else if (Array.isArray(value)) {
        // Array.from visits holes as undefined, so [1, , 3] is [1,null,3] as in JSON.
        out = '[' + Array.from(value, (item: unknown) => (item === undefined ? 'null' : nested(item, path))).join(',') + ']';
      } else {
        const record = value as Record<string, unknown>;
        const names = Object.keys(record)
          .filter((name) => record[name] !== undefined)
          .sort();
        out = '{' + names.map((name) => JSON.stringify(name) + ':' + nested(record[name], path)).join(',') + '}';
      }
      path.pop();
      return out;
    }
    default:
      throw keyError(value, `a ${typeof value} cannot be serialised`);
  }
}

function keyError(value: unknown, why: string): TypeError {
  const error = new TypeError(`key ${show(value)} is invalid: ${why}`) as TypeError & { code: string };
  error.code = 'ERR_TRACKS_INVALID_KEY';
  return error;
}
