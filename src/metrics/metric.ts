// The shape of a metric declared as code beside the sets: what it measures, from which SQL, and what it is for in each set.

/** How a metric reads a person: did they do it, a value summed per person, or a ratio of two sums per person. */
export type MetricKind = 'proportion' | 'mean' | 'ratio';

/** What a metric is for in one set's decision. */
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

/**
 * The app's rows a metric reads, as a query of its own returning, in this order: the user key (text:
 * the key the middleware used, a user id or an anonymous id), the time (timestamptz), and for `mean`
 * and `ratio` the value (numeric), and for `ratio` the denominator (numeric). Column names do not
 * matter: the query is wrapped as a CTE. Placeholders `$1…$n` take `params`; the text is the app's
 * code, never user input.
 * @example { sql: 'select user_id, paid_at, amount from orders where status = $1', params: ['paid'] }
 */
export interface MetricSource {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** Outliers capped per person before the sums: at a fixed value, or at the pooled percentile of every arm (`percentile_cont`). */
export type MetricCap = { readonly absolute: number } | { readonly percentile: number };

/** The pre-period CUPED reads: the same metric over this many days before the person's first exposure. */
export interface MetricCuped {
  readonly days: number;
}

/** A metric's part in one set: primary and secondary are compared; a guardrail must not be worse than `margin` (relative). */
export type MetricUse = MetricRole | { readonly role: 'primary' | 'secondary' } | { readonly role: 'guardrail'; readonly margin: number };

/** A metric as the app declares it (see `defineMetric`). */
export interface MetricDeclaration {
  /** Stable name: `revenue_per_visitor`; letters, digits, `_`, `-`, `.`. */
  readonly name: string;
  readonly kind: MetricKind;
  readonly source: MetricSource;
  /** Only rows within this many days after the person's first exposure count (default: every row after it). */
  readonly windowDays?: number;
  /** Default true: more is better (revenue); false for refunds, latency. */
  readonly higherIsBetter?: boolean;
  /** Capping of each person's value (for a ratio, its numerator) before the sums. */
  readonly cap?: MetricCap;
  /**
   * The smallest relative change that matters (0.02: 2 %). When a variant's relative change to
   * control lies within ±minimumEffect (its always-valid interval), the verdict is that they are
   * alike (`same`). Default: none (no such verdict).
   */
  readonly minimumEffect?: number;
  /** CUPED: the same metric over a pre-period as the covariate. */
  readonly cuped?: MetricCuped;
  /** The sets it is read for, by set name, and its role in each. */
  readonly sets: Readonly<Record<string, MetricUse>>;
  /** One line for reports. */
  readonly description?: string;
}

/** A set's use of a metric, resolved. */
export interface MetricSetRole {
  readonly role: MetricRole;
  /** Guardrails: the relative non-inferiority margin (0.02: at most 2 % worse than control); null otherwise. */
  readonly margin: number | null;
}

/** A checked metric: defaults filled, frozen. */
export interface Metric {
  readonly name: string;
  readonly kind: MetricKind;
  readonly source: { readonly sql: string; readonly params: readonly unknown[] };
  readonly windowDays: number | null;
  readonly higherIsBetter: boolean;
  readonly cap: MetricCap | null;
  readonly cuped: MetricCuped | null;
  readonly minimumEffect: number | null;
  readonly sets: Readonly<Record<string, MetricSetRole>>;
  readonly description: string | null;
}
