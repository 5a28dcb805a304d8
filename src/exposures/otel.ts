// An exposure as the OpenTelemetry `feature_flag.evaluation` event (semantic conventions v1.44), without an OpenTelemetry dependency.
import type { Reason } from '../engine/track-set.js';
import type { ExposureInput } from './exposure-rows.js';

/** The event name the semantic conventions fix for a flag evaluation. */
export const FEATURE_FLAG_EVALUATION = 'feature_flag.evaluation';

/** The `feature_flag.result.reason` values of the semantic conventions (v1.44, `feature_flag` registry). */
export type FeatureFlagReason = 'cached' | 'default' | 'disabled' | 'error' | 'split' | 'stale' | 'static' | 'targeting_match' | 'unknown';

/**
 * Our reasons as the spec's, each where its definition fits:
 * - `hash`, `random` → `split` ("the result of pseudorandom assignment");
 * - `sticky` → `cached` ("retrieved from cache": the signed cookie or the store remembered it);
 * - `forced` → `targeting_match` (a QA override targets this one visitor);
 * - `pinned` → `static` (everyone gets the pinned variant: "no dynamic evaluation");
 * - `disabled` → `disabled` (the kill switch);
 * - `ineligible`, `coverage`, `excluded`, `bot` → `default` (the user falls back to control: "dynamic
 *   evaluation yielded no result" for them);
 * - `unidentified` (a `peek` of a visitor with no identity yet) → `unknown`;
 * - `error` → `error`.
 * Only `hash`, `random` and `sticky` are exposures; the rest are mapped for callers that report every assignment.
 */
export const OTEL_REASONS: Readonly<Record<Reason, FeatureFlagReason>> = Object.freeze({
  hash: 'split',
  random: 'split',
  sticky: 'cached',
  forced: 'targeting_match',
  pinned: 'static',
  disabled: 'disabled',
  ineligible: 'default',
  coverage: 'default',
  excluded: 'default',
  bot: 'default',
  unidentified: 'unknown',
  error: 'error',
});

/** The attributes of a `feature_flag.evaluation` event for one exposure (a type alias, so it fits OpenTelemetry's `Attributes`). */
export type FeatureFlagEvaluationAttributes = {
  /** The set's name. */
  'feature_flag.key': string;
  /** The variant's name. */
  'feature_flag.result.variant': string;
  /** Our reason in the spec's terms ({@link OTEL_REASONS}). */
  'feature_flag.result.reason': FeatureFlagReason;
  /** Always `tracks-ab`. */
  'feature_flag.provider.name': 'tracks-ab';
  /** The key (user id or anonymous id); absent for a keyless exposure. */
  'feature_flag.context.id'?: string;
  /** The MultiTrackSet the set was chosen through; absent otherwise. */
  'feature_flag.set.id'?: string;
  /** Our own reason, unmapped (`hash`, `sticky`…): the spec's value loses the difference between some. */
  'tracks_ab.reason': Reason;
  /** The run id, to join the event with the exposure rows and later events. */
  'tracks_ab.run_id'?: string;
};

/** An event to emit: pass `name` and `attributes` to `span.addEvent` or to a logger's `emit`. */
export interface FeatureFlagEvaluation {
  readonly name: typeof FEATURE_FLAG_EVALUATION;
  readonly attributes: FeatureFlagEvaluationAttributes;
}

/**
 * Maps an exposure (the middleware's `onExposure` event, or any {@link ExposureInput}) to the
 * `feature_flag.evaluation` event of the OpenTelemetry semantic conventions v1.44.
 *
 * @example
 * import { trace } from '@opentelemetry/api';
 * onExposure: (e) => {
 *   const { name, attributes } = featureFlagEvaluation(e);
 *   trace.getActiveSpan()?.addEvent(name, attributes);
 * }
 */
export function featureFlagEvaluation(event: ExposureInput): FeatureFlagEvaluation {
  const attributes: FeatureFlagEvaluationAttributes = {
    'feature_flag.key': event.setName,
    'feature_flag.result.variant': event.variant,
    'feature_flag.result.reason': OTEL_REASONS[event.reason] ?? 'unknown',
    'feature_flag.provider.name': 'tracks-ab',
    'tracks_ab.reason': event.reason,
  };
  if (event.key !== null) attributes['feature_flag.context.id'] = event.key;
  if (event.multiSetName !== null) attributes['feature_flag.set.id'] = event.multiSetName;
  if (event.runId !== null) attributes['tracks_ab.run_id'] = event.runId;
  return { name: FEATURE_FLAG_EVALUATION, attributes };
}
