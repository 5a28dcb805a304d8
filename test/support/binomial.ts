// Exact binomial tails, for tests that bound how often something may happen by chance.

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/** P(X >= k) for X ~ Binomial(n, p), summed exactly term by term. */
export function binomialUpperTail(n: number, p: number, k: number): number {
  let total = 0;
  for (let i = Math.max(0, k); i <= n; i++) total += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, total);
}

/**
 * The largest count chance explains: the smallest k with P(X > k) <= alpha, for X ~ Binomial(n, p).
 * A count above it happens by chance with probability at most alpha.
 */
export function binomialBound(n: number, p: number, alpha: number): number {
  for (let k = 0; k <= n; k++) if (binomialUpperTail(n, p, k + 1) <= alpha) return k;
  return n;
}
