// Emits each exposure as the OpenTelemetry `feature_flag.evaluation` event, on the span of the request that read the set.
import { trace } from '@opentelemetry/api';
import { featureFlagEvaluation, type ExposureInput } from 'tracks-ab';

/**
 * An `onExposure` handler: adds the exposure to the active span (the request's span, when HTTP
 * instrumentation or the app made one) as a `feature_flag.evaluation` event. Without an
 * OpenTelemetry SDK registered there is no recording span, and this does nothing.
 *
 * With the logs API (`@opentelemetry/api-logs`), the same event goes to a logger instead:
 * `logger.emit({ eventName: name, attributes })`.
 * @example
 * app.use(tracks(sets, { onExposure: emitExposure }))
 */
export function emitExposure(event: ExposureInput): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return;
  const { name, attributes } = featureFlagEvaluation(event);
  span.addEvent(name, attributes);
}
