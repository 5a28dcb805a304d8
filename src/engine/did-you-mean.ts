// Spelling suggestions for names a user types: an edit distance and the closest known name.

/**
 * The number of single-character edits that turn `a` into `b`: insertions, deletions,
 * substitutions and swaps of two adjacent characters each count one (the optimal string
 * alignment form of the Damerau-Levenshtein distance). Case-sensitive.
 * @example editDistance('weigth', 'weight') // 1: one swap
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows of the dynamic-programming table: the swap looks two rows back.
  let older: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, older[j - 2]! + 1);
      current.push(best);
    }
    older = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * How many edits a misspelling of `name` may have and still be recognised: two, or a third of the
 * name's length when that is less, so that short names (`track`) do not swallow unrelated words.
 */
export function maxEdits(name: string): number {
  return Math.min(2, Math.floor(name.length / 3));
}

/**
 * The candidate that `name` most likely misspells: the nearest, ignoring case, within
 * {@link maxEdits} of it; the first listed wins a tie. Null when none is near, or when `name` is
 * itself one of the candidates.
 * @example closestName('disable', ['disabled', 'pinned']) // 'disabled'
 */
export function closestName(name: string, candidates: readonly string[]): string | null {
  if (candidates.includes(name)) return null;
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= maxEdits(candidate) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
