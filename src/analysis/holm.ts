// Holm's step-down correction of p-values for several comparisons.

/**
 * Holm's step-down adjusted p-values (S. Holm, "A simple sequentially rejective multiple test
 * procedure", Scandinavian Journal of Statistics 6, 1979). With the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎,
 * the adjusted p₍ᵢ₎ is max over j ≤ i of min(1, (m - j + 1) p₍ⱼ₎); rejecting where it is below α controls
 * the family-wise error rate at α, uniformly more powerful than Bonferroni.
 * `null` entries (comparisons that do not exist yet, such as an arm without users) are not counted in m
 * and stay null.
 * @example
 * holmAdjust([0.01, 0.04, null, 0.03]) // [0.03, 0.06, null, 0.06]
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues.flatMap((p, index) => (p === null ? [] : [{ p, index }]));
  for (const { p } of present) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value is invalid: ${p}`);
  // A stable sort keeps ties in input order, so equal p-values get equal adjusted values anyway.
  present.sort((a, b) => a.p - b.p);
  const m = present.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  present.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * The significance level Holm's procedure gives each comparison, so that an interval at confidence
 * 1 - level excludes no effect exactly when the Holm-adjusted p-value is below α (for intervals that
 * agree with their p-values). In p order, step i is tested at α / (m - i + 1) while every earlier step
 * rejected; from the first step that does not reject, every later comparison keeps that step's level
 * (its p is at least as large, so it does not reject either). Null entries stay null.
 */
export function holmLevels(pValues: readonly (number | null)[], alpha: number): (number | null)[] {
  const present = pValues.flatMap((p, index) => (p === null ? [] : [{ p, index }]));
  present.sort((a, b) => a.p - b.p);
  const m = present.length;
  const levels: (number | null)[] = pValues.map(() => null);
  let stopped: number | null = null;
  present.forEach(({ p, index }, rank) => {
    const level = stopped ?? alpha / (m - rank);
    if (stopped === null && !(p < level)) stopped = level;
    levels[index] = level;
  });
  return levels;
}
