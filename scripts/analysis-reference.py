#!/usr/bin/python3
"""Reference values for tracks-ab/analysis, computed independently with SciPy and statsmodels.

Writes test/fixtures/analysis-reference.json (results tables) and test/fixtures/analysis-special.json
(the normal and chi-square functions). The tests read those frozen files and need no Python.
Run with Debian's python3-scipy and python3-statsmodels:  /usr/bin/python3 scripts/analysis-reference.py

Every figure comes from a library routine or, where no library has the method, from the published
formula written out here afresh (never from the TypeScript code):
- Wilson interval:        statsmodels.stats.proportion.proportion_confint(method='wilson')
- Newcombe interval:      statsmodels.stats.proportion.confint_proportions_2indep(method='newcomb', compare='diff')
- pooled score test:      statsmodels.stats.proportion.proportions_ztest (pooled variance), cross-checked with
                          scipy.stats.chi2_contingency(correction=False); p = 1 when the pooled rate is 0 or 1
- Holm:                   statsmodels.stats.multitest.multipletests(method='holm')
- sample ratio:           scipy.stats.chisquare(f_obs, f_exp)
- sequential interval:    Waudby-Smith et al. (2024), the asymptotic CS with the normal-mixture boundary,
                          half-width sigma * sqrt(2 (t rho^2 + 1) / (t^2 rho^2) * log(sqrt(t rho^2 + 1) / alpha)),
                          rho^2 = (-2 log alpha + log(-2 log alpha + 1)) / t*, sigma^2 = t * SE(delta)^2 with
                          the variance under each candidate difference delta (pooled at 0), the set's ends and
                          the always-valid p-value by root-finding (scipy.optimize.brentq)
- planning:               Fleiss, Levin & Paik (2003) eq. 4.14 solved with scipy.optimize.brentq; the fixed-horizon
                          sample size is checked against statsmodels' power_proportions_2indep
"""
import json
import math
import os
import warnings

import mpmath
import numpy as np
from scipy import optimize, special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

warnings.simplefilter('ignore')
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
ALPHA = 0.05
TUNING = 5000
POWER = 0.8
rng = np.random.default_rng(20240612)


def wilson(x, n):
    if n == 0:
        return None
    low, high = proportion_confint(x, n, alpha=ALPHA, method='wilson')
    return {'low': float(low), 'high': float(high)}


def newcombe(x1, n1, x0, n0):
    if n1 == 0 or n0 == 0:
        return None
    low, high = confint_proportions_2indep(x1, n1, x0, n0, method='newcomb', compare='diff', alpha=ALPHA)
    return {'difference': x1 / n1 - x0 / n0, 'low': float(low), 'high': float(high)}


def pooled_p(x1, n1, x0, n0):
    if n1 == 0 or n0 == 0:
        return None
    if x1 + x0 == 0 or x1 + x0 == n1 + n0:
        return 1.0
    _, p = proportions_ztest([x1, x0], [n1, n0])
    # Pearson's chi-square of the 2x2 table is the same test: a cross-check of the library call.
    chi = stats.chi2_contingency([[x1, n1 - x1], [x0, n0 - x0]], correction=False)
    assert abs(chi[1] - p) <= 1e-9 * max(p, 1e-300) or abs(chi[1] - p) < 1e-14, (p, chi[1])
    return float(p)


def se_under(x1, n1, x0, n0, delta):
    """SE of p1 - p0 with the rates moved to differ by delta while keeping the pooled count (clipped to [0, 1])."""
    n = n1 + n0
    pooled = (x1 + x0) / n
    q0 = min(max(pooled - n1 * delta / n, max(0.0, -delta)), min(1.0, 1.0 - delta))
    q1 = q0 + delta
    return math.sqrt(max(0.0, q1 * (1 - q1) / n1 + q0 * (1 - q0) / n0))


def rho2(alpha, tuning):
    return (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning


def cs_multiple(t, alpha, r2):
    # Waudby-Smith et al.: sigma * sqrt(2 (t r2 + 1) / (t^2 r2) * log(sqrt(t r2 + 1) / alpha)) with sigma = SE * sqrt(t).
    return math.sqrt(t) * math.sqrt(2 * (t * r2 + 1) / (t * t * r2) * math.log(math.sqrt(t * r2 + 1) / alpha))


def sequential(x1, n1, x0, n0):
    if n1 == 0 or n0 == 0:
        return None
    t = n1 + n0
    d = x1 / n1 - x0 / n0
    r2 = rho2(ALPHA, TUNING)
    c = cs_multiple(t, ALPHA, r2)
    # The set {delta : |d - delta| <= c SE(delta)}: its ends by root-finding on each side of d.
    g = lambda delta: abs(d - delta) - c * se_under(x1, n1, x0, n0, delta)

    def end(outside):
        if g(outside) <= 0:
            return outside
        # Clipped rates can leave gaps in the set: its hull's end is the outermost point inside. Scan
        # outward from d over 200,000 log-spaced distances, then find the root just beyond the last one in.
        span = abs(outside - d)
        distances = np.geomspace(1e-13 * span, span, 200000)
        points = d + math.copysign(1.0, outside - d) * distances
        n = n1 + n0
        pooled = (x1 + x0) / n
        q0 = np.minimum(np.maximum(pooled - n1 * points / n, np.maximum(0.0, -points)), np.minimum(1.0, 1.0 - points))
        q1 = q0 + points
        se = np.sqrt(np.maximum(0.0, q1 * (1 - q1) / n1 + q0 * (1 - q0) / n0))
        inside = np.nonzero(np.abs(d - points) <= c * se)[0]
        if len(inside) == 0:
            return d
        last = int(inside[-1])
        return optimize.brentq(g, *sorted((points[last], points[last + 1])), xtol=1e-17, rtol=8.9e-16, maxiter=500)

    low, high = end(-1.0), end(1.0)
    # The always-valid p-value: the level a at which c(a) SE(0) = |d| (c falls as a grows).
    se0 = se_under(x1, n1, x0, n0, 0.0)
    f = lambda a: cs_multiple(t, a, r2) * se0 - abs(d)
    if se0 == 0 or f(1.0) >= 0:
        p = 1.0
    elif f(1e-300) <= 0:
        p = 0.0
    else:
        p = math.exp(optimize.brentq(lambda la: f(math.exp(la)), math.log(1e-300), 0.0, xtol=1e-14, rtol=1e-15, maxiter=500))
    return {'difference': d, 'low': low, 'high': high, 'pValue': p}


def fleiss_margin(p0, delta, n0, n1, c, zb):
    p1 = p0 + delta
    pbar = (n0 * p0 + n1 * p1) / (n0 + n1)
    return abs(delta) - c * math.sqrt(pbar * (1 - pbar) * (1 / n0 + 1 / n1)) - zb * math.sqrt(p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)


def seq_critical(t, alpha):
    tr = t * rho2(ALPHA, TUNING)
    return math.sqrt((tr + 1) / tr * math.log((tr + 1) / alpha**2))


def mde(p0, n0, n1, alpha, seq):
    c = seq_critical(n0 + n1, alpha) if seq else stats.norm.ppf(1 - alpha / 2)
    zb = stats.norm.ppf(POWER)
    sign = 1 if p0 <= 0.5 else -1
    room = 1 - p0 if sign > 0 else p0
    if fleiss_margin(p0, sign * room, n0, n1, c, zb) < 0:
        return None
    return optimize.brentq(lambda d: fleiss_margin(p0, sign * d, n0, n1, c, zb), 1e-300, room, xtol=1e-17, rtol=1e-15)


def required(p0, effect, ratio, alpha, seq):
    p1 = p0 + effect
    if not (0 <= p1 <= 1):
        return None
    zb = stats.norm.ppf(POWER)

    def gap(n0):
        c = seq_critical(n0 * (1 + ratio), alpha) if seq else stats.norm.ppf(1 - alpha / 2)
        return fleiss_margin(p0, effect, n0, n0 * ratio, c, zb)

    hi = 1.0
    while gap(hi) < 0:
        hi *= 2
    n0 = optimize.brentq(gap, hi / 2 if hi > 1 else 1e-9, hi, xtol=1e-10, rtol=1e-14) if gap(hi / 2) < 0 or hi == 1 else hi / 2
    if not seq:
        # statsmodels' power at the computed size, for the one tail that eq. 4.14 counts, is 0.8.
        side = 'larger' if effect > 0 else 'smaller'
        power = power_proportions_2indep(effect, p0, n0 * ratio, ratio=1 / ratio, alpha=alpha / 2, alternative=side, return_results=False)
        assert abs(power - POWER) < 1e-6, (p0, effect, ratio, power)
    return {'control': math.ceil(n0), 'variant': math.ceil(n0 * ratio), 'root': n0}


def table(arms, weights):
    shares = [w / sum(weights) for w in weights]
    x0, n0 = arms[0]
    comparisons = []
    for x1, n1 in arms[1:]:
        comparisons.append({'newcombe': newcombe(x1, n1, x0, n0), 'pValue': pooled_p(x1, n1, x0, n0), 'sequential': sequential(x1, n1, x0, n0)})
    present = [i for i, c in enumerate(comparisons) if c['pValue'] is not None]
    m = max(1, len(present))
    if present:
        for name, key in (('holm', lambda c: c['pValue']), ('sequentialHolm', lambda c: c['sequential']['pValue'])):
            adjusted = multipletests([key(comparisons[i]) for i in present], method='holm')[1]
            for i, a in zip(present, adjusted):
                comparisons[i][name] = float(a)
    for c in comparisons:
        c.setdefault('holm', None)
        c.setdefault('sequentialHolm', None)
    users = [n for _, n in arms]
    total = sum(users)
    if total > 0 and len(arms) > 1:
        chi = stats.chisquare(users, f_exp=[s * total for s in shares])
        srm = {'statistic': float(chi.statistic), 'pValue': float(chi.pvalue)}
    else:
        srm = {'statistic': 0.0, 'pValue': 1.0}
    planning = []
    for (x1, n1), share in zip(arms[1:], shares[1:]):
        if n0 == 0 or n1 == 0:
            planning.append(None)
            continue
        base = (x0 + 1) / (n0 + 2) if x0 in (0, n0) else x0 / n0
        effect = 0.01 if base <= 0.5 else -0.01
        ratio = share / shares[0]
        planning.append(
            {
                'baseline': base,
                'alpha': ALPHA / m,
                'ratio': ratio,
                'effect': effect,
                'mde': mde(base, n0, n1, ALPHA / m, False),
                'sequentialMde': mde(base, n0, n1, ALPHA / m, True),
                'required': required(base, effect, ratio, ALPHA / m, False),
                'sequentialRequired': required(base, effect, ratio, ALPHA / m, True),
            }
        )
    return {
        'arms': [{'converted': int(x), 'users': int(n)} for x, n in arms],
        'weights': weights,
        'shares': shares,
        'wilson': [wilson(x, n) for x, n in arms],
        'comparisons': comparisons,
        'sampleRatio': srm,
        'planning': planning,
    }


def random_table(i):
    k = int(rng.integers(2, 13))
    style = i % 6
    weights = [1] * k if style in (0, 1, 2) else [int(w) for w in rng.integers(1, 101, size=k)]
    if i % 11 == 0:
        weights = [80, 20] if k == 2 else [80] + [20] * (k - 1)
    total = int(np.exp(rng.uniform(np.log(4), np.log(3e6))))
    shares = np.array(weights) / sum(weights)
    if i % 7 == 3:
        # A sample-ratio mismatch: one arm loses a fifth of its users.
        shares = shares.copy()
        shares[rng.integers(0, k)] *= 0.8
        shares /= shares.sum()
    users = rng.multinomial(total, shares)
    if i % 13 == 5:
        users[rng.integers(1, k)] = 0  # an arm without users yet
    base = [0.0, 1.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.3, 0.5, 0.8, 0.99][i % 12]
    if i % 12 == 0 and i % 24 == 12:
        base = float(rng.uniform(0, 0.2))
    arms = []
    for n in users:
        rate = base if rng.random() < 0.6 else min(1.0, max(0.0, base * float(rng.uniform(0.5, 1.5)) + float(rng.uniform(-0.005, 0.005))))
        if base in (0.0, 1.0) and rng.random() < 0.7:
            rate = base
        arms.append((int(rng.binomial(n, rate)), int(n)))
    return table(arms, weights)


FIXED = [
    # 4/100 against 0/100: the case the unpooled Wald test called a winner.
    ([(0, 100), (4, 100)], [1, 1]),
    ([(0, 100), (100, 100)], [1, 1]),
    ([(100, 100), (0, 100)], [1, 1]),
    ([(0, 1), (1, 1)], [1, 1]),
    ([(0, 1), (0, 1)], [1, 1]),
    ([(5, 5), (5, 5)], [1, 1]),
    ([(0, 0), (3, 10)], [1, 1]),
    ([(3, 10), (0, 0), (2, 10)], [1, 1, 1]),
    # The README's CheckoutTracks, 80/20, with a fair split.
    ([(160, 8012), (61, 1988)], [80, 20]),
    ([(40, 9000), (5, 1000)], [90, 10]),
    ([(45, 4500), (5, 500)], [90, 10]),
    ([(5000, 1000000), (5210, 1000000)], [1, 1]),
    ([(12, 1203), (15, 1188), (9, 1220), (20, 1190), (11, 1199)], [1, 1, 1, 1, 1]),
]


def special_values():
    mpmath.mp.dps = 50
    xs = [-38.4, -37.5, -30, -25, -20, -15, -10, -8.3, -7, -5, -4, -3, -2.5, -2, -1.96, -1.5, -1, -0.7, -0.5, -0.2, -1e-3, -1e-9, 0.0]
    xs += [-x for x in xs[:-1]]
    xs += [float(x) for x in rng.uniform(-9, 9, size=60)]
    ps = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-12, 1e-8, 1e-5, 1e-4, 1e-3, 0.005, 0.01, 0.02, 0.02425, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
    ps += [0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 1 - 1e-5, 1 - 1e-8, 1 - 1e-12]
    ps += [float(p) for p in rng.uniform(0, 1, size=40)]
    ex = [0.0, 1e-10, 0.1, 0.5, 0.9, 1.0, 1.2, 1.22, 1.23, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 26.5, -0.5, -2, -5]
    chi = []
    for df in [1, 2, 3, 4, 5, 7, 11, 15, 20, 30, 50]:
        for x in [1e-8, 0.01, 0.1, 0.5, 1, 2, 3.84, 5, 10, 20, 40, 80, 150, 300, 700, 1400]:
            chi.append([x, df])
    ncdf = lambda x: float(mpmath.ncdf(x))
    return {
        'normalCdf': [{'x': x, 'scipy': float(stats.norm.cdf(x)), 'mpmath': ncdf(x)} for x in xs],
        'normalSf': [{'x': x, 'scipy': float(stats.norm.sf(x)), 'mpmath': float(1 - mpmath.ncdf(x)) if x < 0 else float(mpmath.ncdf(-x))} for x in xs],
        'normalQuantile': [{'p': p, 'scipy': float(stats.norm.ppf(p))} for p in ps],
        'erfc': [{'x': x, 'scipy': float(special.erfc(x)), 'mpmath': float(mpmath.erfc(x))} for x in ex],
        'chiSquareSf': [
            {'x': x, 'df': df, 'scipy': float(stats.chi2.sf(x, df)), 'mpmath': float(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True))}
            for x, df in chi
        ],
    }


def main():
    tables = [table(arms, weights) for arms, weights in FIXED]
    i = 0
    while len(tables) < 330:
        tables.append(random_table(i))
        i += 1
    reference = {
        'about': 'Generated by scripts/analysis-reference.py with SciPy and statsmodels; do not edit by hand.',
        'alpha': ALPHA,
        'tuningUsers': TUNING,
        'power': POWER,
        'tables': tables,
    }
    with open(os.path.join(ROOT, 'test/fixtures/analysis-reference.json'), 'w') as f:
        json.dump(reference, f, separators=(',', ':'))
        f.write('\n')
    with open(os.path.join(ROOT, 'test/fixtures/analysis-special.json'), 'w') as f:
        json.dump(special_values(), f, separators=(',', ':'))
        f.write('\n')
    print(f'{len(tables)} tables, {sum(len(t["arms"]) for t in tables)} arms')


if __name__ == '__main__':
    main()
