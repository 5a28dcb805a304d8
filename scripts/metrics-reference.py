#!/usr/bin/python3
"""Reference values for the metric statistics of tracks-ab/analysis, computed independently with SciPy and statsmodels.

Writes test/fixtures/metrics-reference.json: seeded per-person data sets (proportions, skewed revenue, ratios,
CUPED covariates), stored as the per-arm sums the database hands the analysis, with every figure computed from
the persons' values. The tests read that frozen file and need no Python.
Run with Debian's python3-scipy and python3-statsmodels:  /usr/bin/python3 scripts/metrics-reference.py

Every figure comes from a library routine or, where no library has the method, from the published formula
written out here afresh (never from the TypeScript code), cross-checked numerically:
- per-arm mean, variance, t interval: numpy mean/var(ddof=1); statsmodels DescrStatsW (mean, std_mean), the
                          quantile by brentq on scipy.stats.t.sf (scipy 1.10's t.ppf/isf are off by up to 2e-9
                          against mpmath), checked against DescrStatsW.tconfint_mean to 1e-7
- ratio per arm:          delta method, Var(R) = (s_yy - 2R s_yd + R^2 s_dd) / (n dbar^2) (Deng, Knoblich & Lu 2018),
                          cross-checked by a numeric Jacobian of mu_y/mu_d against numpy's covariance matrix
- Welch difference:       scipy.stats.ttest_ind(equal_var=False) for t and p; statsmodels CompareMeans
                          (usevar='unequal') for the interval and degrees of freedom; ratios: the same formula with
                          delta-method variances, quantiles and tails from scipy.stats.t
- relative lift:          (m1 - m0)/|m0| (m1/m0 - 1 for m0 > 0; the sign of the difference when m0 < 0, as
                          GrowthBook's gbstats), delta method V1/m0^2 + m1^2 V0/m0^4, cross-checked by a numeric
                          Jacobian of (m1 - m0)/|m0|
- Holm:                   statsmodels multipletests(method='holm')
- CUPED:                  statsmodels OLS of y on x and one dummy per arm: theta = the x coefficient, the adjusted
                          difference = the arm coefficient; variance reduction = 1 - SSR(y ~ x + arms)/SSR(y ~ arms);
                          Welch on y - theta x by scipy/statsmodels; balance: scipy.stats.f_oneway on x
- sequential (means):     Waudby-Smith et al. (2024) asymptotic CS with the normal-mixture boundary, SE the larger
                          of the unpooled and pooled standard errors, as docs/analysis.md states
- percentiles:            numpy.percentile(method='linear'), which is PostgreSQL's percentile_cont
- Student t and F:        scipy.stats.t.sf (quantiles as its root) and scipy.stats.f.sf
"""
import json
import math
import os
import warnings

import numpy as np
import statsmodels.api as sm
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

warnings.simplefilter('ignore')
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
ALPHA = 0.05
TUNING = 5000
rng = np.random.default_rng(20261207)


def rho2(alpha, tuning):
    return (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning


def interval(low, high):
    return {'low': float(low), 'high': float(high)}


def ratio_unit_variance(y, d):
    """n * Var(R) by the delta method, written out, and checked against a numeric Jacobian."""
    n = len(y)
    r = y.sum() / d.sum()
    dbar = d.mean()
    c = np.cov(np.vstack([y, d]), ddof=1)
    formula = max(0.0, c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (dbar * dbar)
    my, md = y.mean(), d.mean()
    hy, hd = 1e-6 * max(abs(my), 1e-9), 1e-6 * abs(md)
    grad = np.array([((my + hy) / md - (my - hy) / md) / (2 * hy), (my / (md + hd) - my / (md - hd)) / (2 * hd)])
    jacobian = grad @ c @ grad
    scale = (c[0, 0] + r * r * c[1, 1]) / (dbar * dbar)
    assert abs(jacobian - formula) <= 1e-5 * (abs(formula) + scale) + 1e-300, (jacobian, formula)
    # A variance that is rounding noise (y = R d for every person) is left out: sums and values disagree on it.
    return (float(formula) if formula > 1e-12 * scale else None), float(r), n


def lift(m1, v1, m0, v0):
    if m0 == 0:
        return None
    formula = v1 / m0**2 + m1**2 * v0 / m0**4
    g = lambda a, b: (a - b) / abs(b)
    h1, h0 = 1e-6 * max(abs(m1), 1e-9), 1e-6 * abs(m0)
    d1 = (g(m1 + h1, m0) - g(m1 - h1, m0)) / (2 * h1)
    d0 = (g(m1, m0 + h0) - g(m1, m0 - h0)) / (2 * h0)
    assert abs(d1 * d1 * v1 + d0 * d0 * v0 - formula) <= 1e-5 * formula + 1e-300
    return (m1 - m0) / abs(m0), math.sqrt(formula)


def estimates(kind, arm):
    """(estimate, variance of the estimate, unit variance, n) of one arm, or None."""
    y = arm['y']
    n = len(y)
    if n < 2:
        return None
    if kind == 'ratio':
        if arm['d'].sum() == 0:
            return None
        unit, r, _ = ratio_unit_variance(y, arm['d'])
        return None if unit is None else (r, unit / n, unit, n)
    unit = float(np.var(y, ddof=1))
    return float(np.mean(y)), unit / n, unit, n


def t_isf(q, df):
    # scipy 1.10's t.isf is off by up to 2e-9 (checked against mpmath); its t.sf is accurate.
    return optimize.brentq(lambda t: stats.t.sf(t, df) - q, 0, 1e12, xtol=1e-300, rtol=1e-15, maxiter=500)


def welch_written(e1, e0):
    d = e1[0] - e0[0]
    v = e1[1] + e0[1]
    se = math.sqrt(v)
    df = v * v / (e1[1] ** 2 / (e1[3] - 1) + e0[1] ** 2 / (e0[3] - 1))
    q = t_isf(ALPHA / 2, df)
    return {'difference': d, 'low': d - q * se, 'high': d + q * se, 'df': df, 'pValue': float(2 * stats.t.sf(abs(d) / se, df))}


def welch_library(y1, y0):
    t, p = stats.ttest_ind(y1, y0, equal_var=False)
    cm = CompareMeans(DescrStatsW(y1), DescrStatsW(y0))
    _, p2, df = cm.ttest_ind(usevar='unequal')
    assert abs(p - p2) <= 1e-12 * max(p, 1e-300) + 1e-300
    # The interval from statsmodels' standard error and the accurate quantile; its own tconfint_diff
    # goes through t.ppf and agrees to about 1e-9 only.
    d, se = y1.mean() - y0.mean(), cm.std_meandiff_separatevar
    low, high = d - t_isf(ALPHA / 2, df) * se, d + t_isf(ALPHA / 2, df) * se
    sm_low, sm_high = cm.tconfint_diff(alpha=ALPHA, usevar='unequal')
    assert abs(sm_low - low) <= 1e-7 * (1 + abs(low)) and abs(sm_high - high) <= 1e-7 * (1 + abs(high))
    return {'difference': float(y1.mean() - y0.mean()), 'low': float(low), 'high': float(high), 'df': float(df), 'pValue': float(p)}


def sequential(e1, e0):
    users = e1[3] + e0[3]
    dof = users - 2
    pooled = ((e1[3] - 1) * e1[2] + (e0[3] - 1) * e0[2]) / dof
    se = math.sqrt(max(e1[1] + e0[1], pooled * (1 / e1[3] + 1 / e0[3])))
    r2 = rho2(ALPHA, TUNING)
    tr = users * r2
    c = math.sqrt((tr + 1) / tr * math.log((tr + 1) / ALPHA**2))
    d = e1[0] - e0[0]
    if se == 0:
        return None
    z = d / se
    p = min(1.0, math.sqrt(tr + 1) * math.exp(-z * z * tr / (2 * (tr + 1))))
    return {'low': d - c * se, 'high': d + c * se, 'pValue': p, 'critical': c}


def person_values(kind, n, style):
    """One arm's persons: y (and d for ratios) and a pre-period covariate x correlated with y."""
    taste = np.exp(0.8 * rng.standard_normal(n))
    if kind == 'proportion':
        rate = [0.02, 0.1, 0.5, 0.97][style % 4]
        y = (rng.uniform(size=n) < rate * np.minimum(taste, 1 / rate)).astype(float)
        x = (rng.uniform(size=n) < rate * np.minimum(taste, 1 / rate)).astype(float)
        return {'y': y, 'x': x}
    buy = [0.03, 0.2, 0.6, 1.0][style % 4]
    spend = lambda: np.where(rng.uniform(size=n) < np.minimum(buy * taste, 1), 20 * taste * np.exp(rng.normal(0, 1.2, n)), 0.0)
    y, x = spend(), spend()
    if style % 5 == 4:
        y = y - 10 * (rng.uniform(size=n) < 0.1)  # refunds: values of both signs
    out = {'y': y, 'x': x}
    if kind == 'ratio':
        d = np.where(y != 0, 1 + rng.poisson(0.7, n), rng.poisson(0.05, n)).astype(float)
        out['d'] = d
    return out


def sums(kind, variant, arm):
    y = arm['y']
    s = {'variant': variant, 'n': len(y), 'sumY': float(math.fsum(y)), 'sumY2': float(math.fsum(y * y)), 'nonZero': int((y != 0).sum())}
    if kind == 'ratio':
        d = arm['d']
        s.update({'sumD': float(math.fsum(d)), 'sumD2': float(math.fsum(d * d)), 'sumYD': float(math.fsum(y * d))})
    x = arm['x']
    s.update({'sumX': float(math.fsum(x)), 'sumX2': float(math.fsum(x * x)), 'sumXY': float(math.fsum(x * y))})
    return s


def cuped(arms):
    y = np.concatenate([a['y'] for a in arms])
    x = np.concatenate([a['x'] for a in arms])
    dummies = np.zeros((len(y), len(arms)))
    start = 0
    for i, a in enumerate(arms):
        dummies[start:start + len(a['y']), i] = 1
        start += len(a['y'])
    full = sm.OLS(y, np.column_stack([x, dummies])).fit()
    base = sm.OLS(y, dummies).fit()
    theta = float(full.params[0])
    xbar = float(x.mean())
    adjusted = [a['y'] - theta * (a['x'] - xbar) for a in arms]
    return {
        'theta': theta,
        'armCoefficients': [float(c) for c in full.params[1:]],
        'varianceReduction': float(1 - full.ssr / base.ssr),
        'balancePValue': float(stats.f_oneway(*[a['x'] for a in arms]).pvalue),
        'adjusted': adjusted,
    }


def table(kind, sizes, style, with_cuped):
    arms = [person_values(kind, n, style) for n in sizes]
    names = ['control'] + [f'v{i}' for i in range(1, len(sizes))]
    fit = cuped(arms) if with_cuped else None
    per_arm = []
    for a in arms:
        e = estimates(kind, a)
        if e is None:
            per_arm.append(None)
            continue
        ds = DescrStatsW(a['y'])
        if kind == 'ratio':
            q = t_isf(ALPHA / 2, e[3] - 1)
            low, high = e[0] - q * math.sqrt(e[1]), e[0] + q * math.sqrt(e[1])
        else:
            q = t_isf(ALPHA / 2, e[3] - 1)
            low, high = ds.mean - q * ds.std_mean, ds.mean + q * ds.std_mean
            sm_low, sm_high = ds.tconfint_mean(alpha=ALPHA)
            assert abs(sm_low - low) <= 1e-7 * (1 + abs(low)) and abs(sm_high - high) <= 1e-7 * (1 + abs(high))
        per_arm.append({'mean': e[0], 'variance': e[2], 'interval': interval(low, high)})
    comparisons = []
    arm_e = [estimates(kind, a) for a in arms]
    if fit:
        arm_e = [(float(ad.mean()), float(np.var(ad, ddof=1)) / len(ad), float(np.var(ad, ddof=1)), len(ad)) for ad in fit['adjusted']]
    for i in range(1, len(arms)):
        e1, e0 = arm_e[i], arm_e[0]
        # No variance in either arm: the test is degenerate (the analysis gives p 1 or 0); nothing to compare.
        if e1 is None or e0 is None or e1[1] == 0 or e0[1] == 0:
            comparisons.append(None)
            continue
        if kind != 'ratio':
            y1 = fit['adjusted'][i] if fit else arms[i]['y']
            y0 = fit['adjusted'][0] if fit else arms[0]['y']
            w = welch_library(y1, y0)
            written = welch_written(e1, e0)
            assert abs(w['df'] - written['df']) <= 1e-9 * w['df'] and abs(w['low'] - written['low']) <= 1e-9 * (1 + abs(w['low']))
        else:
            w = welch_written(e1, e0)
        lf = lift(e1[0], e1[1], e0[0], e0[1])
        rel = None
        if lf is not None:
            q = t_isf(ALPHA / 2, w['df'])
            rel = {'lift': lf[0], 'low': lf[0] - q * lf[1], 'high': lf[0] + q * lf[1], 'standardError': lf[1]}
        comp = {'welch': w, 'relative': rel, 'sequential': sequential(e1, e0) if kind != 'proportion' or fit else None}
        if fit:
            comp['olsDifference'] = fit['armCoefficients'][i] - fit['armCoefficients'][0]
        comparisons.append(comp)
    present = [i for i, c in enumerate(comparisons) if c is not None]
    if present:
        adjusted = multipletests([comparisons[i]['welch']['pValue'] for i in present], method='holm')[1]
        for i, p in zip(present, adjusted):
            comparisons[i]['holm'] = float(p)
    pooled = np.concatenate([a['y'] for a in arms])
    return {
        'kind': kind,
        'cuped': bool(with_cuped),
        'arms': [sums(kind, n, a) for n, a in zip(names, arms)],
        'perArm': per_arm,
        'comparisons': comparisons,
        'cupedFit': {k: fit[k] for k in ('theta', 'varianceReduction', 'balancePValue')} if fit else None,
        'percentiles': [{'q': q, 'value': float(np.percentile(pooled, q * 100, method='linear'))} for q in (0.5, 0.9, 0.95, 0.99, 0.999)],
    }


def special():
    rows = []
    for df in [1, 1.5, 2, 3, 4.7, 9, 30, 120.5, 1000, 12345.6, 1e5, 1e6, 3e7]:
        for t in [0, 0.01, 0.5, 1, 1.96, 2.5, 4, 8, 15, 40]:
            rows.append({'t': t, 'df': df, 'twoSided': float(2 * stats.t.sf(t, df))})
    quantiles = [{'q': q, 'df': df, 't': float(t_isf(q, df))} for df in [1, 2, 3.5, 10, 99.9, 1e3, 1e5, 1e7] for q in [0.4, 0.1, 0.025, 0.005, 1e-4, 1e-8]]
    fs = [{'f': f, 'd1': d1, 'd2': d2, 'sf': float(stats.f.sf(f, d1, d2))} for d1 in [1, 2, 3, 11] for d2 in [5, 50, 4000, 1e6] for f in [0.2, 1, 3, 10]]
    return {'studentTwoSided': rows, 'studentUpperQuantile': quantiles, 'fisherSf': fs}


def main():
    tables = []
    size_sets = [[2, 2], [3, 5], [50, 50], [400, 100], [1000, 1000], [4000, 500], [300, 250, 280], [900, 100, 100, 100], [5000, 5000]]
    i = 0
    for kind in ('mean', 'ratio', 'proportion'):
        for sizes in size_sets:
            for style in range(5):
                with_cuped = kind != 'ratio' and (style + i) % 2 == 0 and min(sizes) >= 3
                tables.append(table(kind, sizes, style, with_cuped))
                i += 1
    for t in tables:
        for c in t['comparisons']:
            if c and c.get('welch'):
                for key in ('pValue',):
                    assert 0 <= c['welch'][key] <= 1
    out = {'alpha': ALPHA, 'tuningUsers': TUNING, 'tables': tables, 'special': special()}
    path = os.path.join(ROOT, 'test/fixtures/metrics-reference.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {len(tables)} tables to {path}')


if __name__ == '__main__':
    main()
