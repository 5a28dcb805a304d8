// Reads one cookie's value from a Cookie header, as the `cookie` package's parse would, without building the others.

/** Skips spaces and tabs from `start` forward (up to `end`). */
function trimStart(header: string, start: number, end: number): number {
  while (start < end) {
    const code = header.charCodeAt(start);
    if (code !== 0x20 && code !== 0x09) break;
    start++;
  }
  return start;
}

/** Skips spaces and tabs from `end` backward (down to `start`). */
function trimEnd(header: string, start: number, end: number): number {
  while (end > start) {
    const code = header.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x09) break;
    end--;
  }
  return end;
}

/** URL-decodes a value that holds a `%`; a value that does not decode is kept as it is. */
function decode(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The value of the cookie `name` in a Cookie header, or undefined. The same answer as
 * `parse(header)[name]` of the `cookie` package (1.x): pairs split at `;` and the first `=`,
 * names and values trimmed of spaces and tabs, the first pair of a name wins, a value with `%` is
 * URL-decoded; but only the pairs' names are compared (no object, no string per pair), and only
 * the value asked for is cut out and decoded.
 */
export function readCookie(header: string, name: string): string | undefined {
  const length = header.length;
  if (length < 2) return undefined;
  let index = 0;
  do {
    const eq = header.indexOf('=', index);
    if (eq === -1) return undefined; // no more pairs
    const semicolon = header.indexOf(';', index);
    const end = semicolon === -1 ? length : semicolon;
    if (eq > end) {
      // A pair without `=`: go on from the `;` before the next `=` (as `cookie` does).
      index = header.lastIndexOf(';', eq - 1) + 1;
      continue;
    }
    const start = trimStart(header, index, eq);
    const nameEnd = trimEnd(header, start, eq);
    if (nameEnd - start === name.length && header.startsWith(name, start)) {
      const valueStart = trimStart(header, eq + 1, end);
      return decode(header.slice(valueStart, trimEnd(header, valueStart, end)));
    }
    index = end + 1;
  } while (index < length);
  return undefined;
}
