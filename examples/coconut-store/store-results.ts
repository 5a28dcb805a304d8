// The coconut store's tests as the results page analyses them: each set's variants, equal split, and control.
import { variantsOf } from 'tracks-ab';
import type { ResultsRow } from './db.js';
import { analyzeSet, equalSplit, type AnalysisOptions, type SetAnalysis, type SetConfig } from './stats.js';
import { DelayTracks, PRICING_CONTROL, PricingTracks } from './tracks.js';

/**
 * What the results page compares, read from the track sets themselves so the two never drift:
 * both sets split their users equally between their variants (no `weights`, full `coverage`).
 */
export const RESULT_SETS: readonly SetConfig[] = Object.freeze([
  equalSplit('delay', 'control', variantsOf(DelayTracks)),
  equalSplit('pricing', PRICING_CONTROL, variantsOf(PricingTracks)),
]);

/**
 * One analysis per store test from the database's counts (`store.resultsRows()`).
 * @example renderResults(analyzeStore(store.resultsRows()))
 */
export function analyzeStore(rows: readonly ResultsRow[], options: AnalysisOptions = {}): SetAnalysis[] {
  return RESULT_SETS.map((config) => analyzeSet(config, rows, options));
}
