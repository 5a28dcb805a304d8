// Plain-language wording of A/B results: number formats, one-line summaries, verdict phrases (plain text, not HTML).
import type { Interval, SetAnalysis, VariantStats, Verdict } from './stats.js';

/** A rate as a percentage: `0.031` → `'3.1%'` (two decimals below 1%). */
export function formatPercent(rate: number): string {
  const pct = rate * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

/** A difference of rates in percentage points, signed: `-0.012` → `'−1.2'`. */
export function formatPoints(difference: number): string {
  const points = difference * 100;
  const text = Math.abs(points) !== 0 && Math.abs(points) < 0.1 ? Math.abs(points).toFixed(2) : Math.abs(points).toFixed(1);
  if (Number(text) === 0) return '0.0';
  return `${points < 0 ? '−' : '+'}${text}`;
}

/** A rate interval: `'2.5% to 3.8%'`. */
export function formatRateInterval(interval: Interval): string {
  return `${formatPercent(interval.low)} to ${formatPercent(interval.high)}`;
}

/** A difference interval in points: `'−2.0 to −0.4 points'`. */
export function formatPointsInterval(interval: Interval): string {
  return `${formatPoints(interval.low)} to ${formatPoints(interval.high)} points`;
}

/** A p-value for the fine print: `'p = 0.03'`, `'p < 0.001'`. */
export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** How a variant is named in sentences: `'long delay'` for variant `long` of set `delay`. */
export function variantLabel(setName: string, variant: string): string {
  return `${variant} ${setName}`;
}

/** The verdict as a reader would say it. */
export function verdictPhrase(verdict: Verdict): string {
  switch (verdict) {
    case 'control':
      return 'the baseline the others are compared with';
    case 'better than control':
      return 'better than control — likely a real difference';
    case 'worse than control':
      return 'worse than control — likely a real difference';
    case 'no clear difference yet':
      return 'no clear difference yet — could be chance';
    case 'too little data':
      return 'too little data to tell yet';
  }
}

/**
 * One sentence about a variant, e.g.
 * `'long delay: 3.1% convert, 1.2 points worse than control — likely a real difference'`.
 */
export function variantSentence(set: SetAnalysis, v: VariantStats): string {
  const label = variantLabel(set.setName, v.variant);
  if (v.rate === null) return `${label}: no users yet`;
  const converts = `${label}: ${formatPercent(v.rate)} convert`;
  if (v.isControl) return `${converts} (control, the baseline)`;
  if (v.verdict === 'too little data' || v.difference === null) {
    return `${converts} so far — too little data to tell (each variant needs ${set.options.minUsers} users)`;
  }
  const size = formatPoints(v.difference.absolute).replace(/^[+−]/, '');
  const direction = v.difference.absolute > 0 ? 'better than' : 'worse than';
  const comparison = Number(size) === 0 ? 'the same as control' : `${size} points ${direction} control`;
  const meaning = v.verdict === 'no clear difference yet' ? 'could be chance, no clear difference yet' : 'likely a real difference';
  return `${converts}, ${comparison} — ${meaning}`;
}

/** The one-line summary that leads a set's section on the results page. */
export function setSummary(set: SetAnalysis): string {
  if (set.srm.flagged) {
    return `${set.setName}: results on hold — the split of users between variants is not what was configured.`;
  }
  if (set.totalUsers === 0) return `${set.setName}: no users have seen this test yet.`;
  if (set.winner) return `${variantSentence(set, set.winner)}.`;
  const worse = set.variants
    .filter((v) => v.verdict === 'worse than control' && v.difference !== null)
    .sort((a, b) => a.difference!.absolute - b.difference!.absolute)[0];
  if (worse) return `${variantSentence(set, worse)}.`;
  const others = set.variants.filter((v) => !v.isControl);
  if (others.length > 0 && others.every((v) => v.verdict === 'too little data')) {
    return `${set.setName}: too little data yet — ${set.totalUsers} ${set.totalUsers === 1 ? 'user' : 'users'} so far; each variant needs ${set.options.minUsers} before comparing.`;
  }
  return `${set.setName}: no variant is clearly different from control yet — keep the test running.`;
}
