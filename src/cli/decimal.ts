// Strict reading of the numbers typed on the command line: plain decimals, nothing Number() would also take.

/** Digits with an optional fraction: no sign, no exponent, no hex, binary or octal prefix, no blanks. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The value of a plain decimal (`0.25`, `25`, `.5`), or null for anything else: `Number` would read
 * `0x1` as 1, `1e-400` as 0, `''` and `' '` as 0 and `Infinity` as a number. A text with a non-zero
 * digit that underflows to 0, or one too long to be finite, is refused too.
 */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value) || (value === 0 && /[1-9]/.test(text))) return null;
  return value;
}
