// Scales shared by the console's charts: round tick steps, symmetric bounds around zero, short labels, fixed decimals.

/** A coordinate with one decimal, as SVG attributes take it. */
export function coordinate(value: number): string {
  return value.toFixed(1);
}

/** A label cut to `max` characters with an ellipsis, so a long variant name cannot push a chart apart. */
export function shorten(text: string, max = 22): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A round step for about `ticks` ticks over `span` (1, 2 or 5 times a power of ten). */
export function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/** Symmetric bounds around 0 that hold every finite value (at least `floor`), at most `cap` (1 = ±100 points). */
export function symmetricBounds(values: readonly number[], cap = Number.POSITIVE_INFINITY, floor = 0.01): number {
  const biggest = Math.max(floor, ...values.filter((v) => Number.isFinite(v)).map((v) => Math.abs(v)));
  const step = niceStep(biggest, 2);
  return Math.min(cap, Math.ceil(biggest / step) * step);
}

/** Ticks from -bound to bound at a round step, about `count` of them, 0 among them. */
export function ticksOf(bound: number, count: number): number[] {
  const step = niceStep(2 * bound, count);
  const ticks: number[] = [];
  for (let t = -Math.floor(bound / step) * step; t <= bound + 1e-12; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** Colours of a verdict: green better, red worse, amber on hold, blue not decided yet. */
export const VERDICT_COLOURS: Readonly<Record<string, string>> = { better: '#1a7f37', worse: '#cf222e', 'on-hold': '#9a6700' };

/** The colour of anything not yet decided. */
export const NEUTRAL = '#4d7cc7';

/** Arm colours for charts that draw every arm (control first, in grey). */
export const ARM_COLOURS: readonly string[] = [
  '#8c959f',
  '#4d7cc7',
  '#bf8700',
  '#8250df',
  '#1a7f37',
  '#cf222e',
  '#0969da',
  '#bc4c00',
  '#6e7781',
  '#116329',
  '#a40e26',
];
