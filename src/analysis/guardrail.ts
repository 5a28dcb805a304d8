// Guardrails: non-inferiority of a variant against control with a relative margin, by the interval rule.
import type { GuardrailStatus } from './metric-report-types.js';
import type { Interval } from './types.js';

/**
 * A guardrail's status from the interval of the relative lift (variant / control − 1) and a relative
 * margin m > 0, by the interval rule of non-inferiority trials (G. Piaggio, D. R. Elbourne, S. J.
 * Pocock, S. J. W. Evans and D. G. Altman, "Reporting of noninferiority and equivalence randomized
 * trials: extension of the CONSORT 2010 statement", JAMA 308, 2012, figure 1): with higher values better,
 * the interval wholly above −m is *safe* (the variant costs less than the margin), wholly below −m is
 * *failing* (it costs more), and an interval that contains −m is *inconclusive*. With lower values
 * better (latency, refunds) the same holds mirrored about +m.
 */
export function guardrailStatus(relative: Interval, margin: number, higherIsBetter: boolean): GuardrailStatus {
  if (!(margin > 0 && Number.isFinite(margin))) throw new RangeError(`margin is invalid: ${margin} (expected a relative margin > 0, 0.02 for 2 %)`);
  if (higherIsBetter) {
    if (relative.low > -margin) return 'safe';
    if (relative.high < -margin) return 'failing';
    return 'inconclusive';
  }
  if (relative.high < margin) return 'safe';
  if (relative.low > margin) return 'failing';
  return 'inconclusive';
}
