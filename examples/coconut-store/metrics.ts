// The coconut store's metrics as code: what each test is decided on, read from the store's own purchases.
import { defineMetric, type Metric } from 'tracks-ab';

/** The days of purchases before a shopper's first visit in a test that CUPED reads as the covariate. */
export const PRE_PERIOD_DAYS = 28;

/**
 * Revenue per visitor: the dollars a shopper spent at or after their first visit in the test (zero
 * for those who bought nothing), over every shopper. CUPED on (the same spend over the 28 days
 * before), capped at $200 a shopper so a bulk buyer cannot decide the test. The pricing test's
 * primary metric; a guardrail of the delay test (no more than 5 % below control).
 */
export const REVENUE_PER_VISITOR: Metric = defineMetric({
  name: 'revenue_per_visitor',
  description: 'dollars spent per shopper in the test',
  kind: 'mean',
  source: { sql: 'select user_id, created_at, price from purchases' },
  cap: { absolute: 200 },
  cuped: { days: PRE_PERIOD_DAYS },
  sets: { pricing: 'primary', delay: { role: 'guardrail', margin: 0.05 } },
});

/** Conversion: did the shopper buy at all, at or after their first visit. The delay test's primary metric; secondary in pricing. */
export const CONVERSION: Metric = defineMetric({
  name: 'conversion',
  description: 'share of shoppers who bought',
  kind: 'proportion',
  source: { sql: 'select user_id, created_at from purchases' },
  sets: { delay: 'primary', pricing: 'secondary' },
});

/** Every metric of the store, as `tracks-ab report --sets examples/coconut-store/tracks.ts` reads them (the `metrics` export). */
export const METRICS: readonly Metric[] = [REVENUE_PER_VISITOR, CONVERSION];
