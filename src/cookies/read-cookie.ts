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

/** True for a name that holds no `;`, `=`, space or tab (every name the options accept): `findByName` can look for it. */
function searchable(name: string): boolean {
  if (name === '') return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x3b || code === 0x3d || code === 0x20 || code === 0x09) return false;
  }
  return true;
}

/**
 * The value of the cookie `name` in a Cookie header, or undefined. The same answer as
 * `parse(header)[name]` of the `cookie` package (1.x): pairs split at `;` and the first `=`,
 * names and values trimmed of spaces and tabs, the first pair of a name wins, a value with `%` is
 * URL-decoded; but no object and no string per pair is made, and only the value asked for is cut
 * out and decoded.
 */
export function readCookie(header: string, name: string): string | undefined {
  if (header.length < 2) return undefined;
  return searchable(name) ? findByName(header, name) : scanPairs(header, name);
}

/**
 * `readCookie` for a searchable name: the header searched for the name itself (one string search,
 * however many cookies the browser sends), each place it occurs taken as the pair's only if
 * nothing but spaces and tabs stand between it and the `;` before it (or the header's start) and
 * between it and an `=` after it. The first such place is the first pair of that name: a pair's
 * name is where its text begins, and a name without `;` or `=` cannot span two pairs or end
 * past the pair's first `=`.
 */
function findByName(header: string, name: string): string | undefined {
  const length = header.length;
  for (let at = header.indexOf(name); at !== -1; at = header.indexOf(name, at + 1)) {
    const eq = trimStart(header, at + name.length, length);
    if (eq === length || header.charCodeAt(eq) !== 0x3d) continue;
    const before = trimEnd(header, 0, at);
    if (before !== 0 && header.charCodeAt(before - 1) !== 0x3b) continue;
    const semicolon = header.indexOf(';', eq + 1);
    const end = semicolon === -1 ? length : semicolon;
    const valueStart = trimStart(header, eq + 1, end);
    return decode(header.slice(valueStart, trimEnd(header, valueStart, end)));
  }
  return undefined;
}

/** `readCookie` for any other name: pair by pair, comparing each pair's trimmed name. */
function scanPairs(header: string, name: string): string | undefined {
  const length = header.length;
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
