#!/usr/bin/env python3
# Frozen reference for the metric sums from SQL (test/postgres/metric-queries.test.ts): a seeded fixture of
# exposures, aliases and orders, and per-arm n, Σy, Σy², ratio and CUPED sums computed here with numpy,
# capping by numpy's linear percentile (the definition of PostgreSQL's percentile_cont).
# Run: python3 scripts/metric-sums-reference.py > test/fixtures/metric-sums.json
import json
from datetime import datetime, timedelta, timezone

import numpy as np

rng = np.random.default_rng(20261207)
T0 = datetime(2026, 1, 10, tzinfo=timezone.utc)
VARIANTS = ['cheap', 'control', 'dear']
DAY = 24 * 60

def iso(minutes):
    return (T0 + timedelta(minutes=int(minutes))).isoformat().replace('+00:00', 'Z')

exposures, aliases, orders = [], [], []
persons = {}  # person -> list of (minute, variant)
for i in range(80):
    user = f'u{i}'
    minute = int(rng.integers(0, 5 * DAY))
    variant = VARIANTS[int(rng.integers(0, 3))]
    key = user
    if i % 6 == 0:  # seen first anonymously, then logged in
        key = f'anon-{i}'
        aliases.append({'anonymous_id': key, 'user_key': user})
    exposures.append({'key': key, 'variant': variant, 'at': iso(minute)})
    persons.setdefault(user, []).append((minute, variant))
    if i % 17 == 3:  # exposed again later under the user key to another variant: mixed
        other = VARIANTS[(VARIANTS.index(variant) + 1) % 3]
        exposures.append({'key': user, 'variant': other, 'at': iso(minute + 30)})
        persons[user].append((minute + 30, other))
    elif i % 6 == 0:  # the same variant again under the user key: not mixed
        exposures.append({'key': user, 'variant': variant, 'at': iso(minute + 60)})
        persons[user].append((minute + 60, variant))
    count = int(rng.integers(0, 5))
    for _ in range(count):
        at = minute + int(rng.integers(-20 * DAY, 20 * DAY))
        amount = float(np.round(np.exp(rng.normal(2.5, 1.0)), 2))
        # Some orders under the anonymous id: they count for the person too.
        order_key = key if (i % 6 == 0 and rng.random() < 0.5) else user
        orders.append({'key': order_key, 'at': iso(at), 'amount': amount})
exposures.append({'key': None, 'variant': 'control', 'at': iso(10)})  # keyless: no person

alias_of = {a['anonymous_id']: a['user_key'] for a in aliases}
first = {}
mixed = set()
for person, seen in persons.items():
    first[person] = sorted(seen)[0]
    if len({v for _, v in seen}) > 1:
        mixed.add(person)
rows_of = {p: [] for p in persons}
for o in orders:
    p = alias_of.get(o['key'], o['key'])
    minute = int((datetime.fromisoformat(o['at'].replace('Z', '+00:00')) - T0).total_seconds() // 60)
    rows_of[p].append((minute, o['amount']))

def per_person(window_days, cuped_days, kind):
    out = []
    for p in sorted(persons):
        if p in mixed:
            continue
        f, variant = first[p]
        post = [a for m, a in rows_of[p] if m >= f and (window_days is None or m < f + window_days * DAY)]
        pre = [a for m, a in rows_of[p] if cuped_days is not None and f - cuped_days * DAY <= m < f]
        if kind == 'proportion':
            y, x, d = float(len(post) > 0), float(len(pre) > 0), None
        else:
            y, x = float(sum(post)), float(sum(pre))
            d = float(len(post)) if kind == 'ratio' else None
        out.append({'variant': variant, 'y': y, 'x': x, 'd': d})
    return out

def sums(kind, window_days=None, cuped_days=None, cap=None):
    people = per_person(window_days, cuped_days, kind)
    ys = np.array([q['y'] for q in people])
    xs = np.array([q['x'] for q in people])
    cap_y = cap_x = None
    if cap is not None and 'percentile' in cap:
        cap_y = float(np.percentile(ys, cap['percentile'] * 100, method='linear'))
        cap_x = float(np.percentile(xs, cap['percentile'] * 100, method='linear')) if cuped_days is not None else None
    elif cap is not None:
        cap_y = cap['absolute']
        cap_x = cap['absolute'] if cuped_days is not None else None
    arms = []
    for v in VARIANTS:
        arm = [q for q in people if q['variant'] == v]
        y = np.array([q['y'] for q in arm])
        x = np.array([q['x'] for q in arm])
        if cap_y is not None:
            y = np.minimum(y, cap_y)
        if cap_x is not None:
            x = np.minimum(x, cap_x)
        row = {'variant': v, 'n': len(arm), 'sumY': float(y.sum()), 'sumY2': float((y * y).sum())}
        if kind == 'ratio':
            d = np.array([q['d'] for q in arm])
            row.update(sumD=float(d.sum()), sumD2=float((d * d).sum()), sumYD=float((y * d).sum()))
        if cuped_days is not None:
            row.update(sumX=float(x.sum()), sumX2=float((x * x).sum()), sumXY=float((x * y).sum()))
        arms.append(row)
    return {'arms': arms, 'mixed': len(mixed), 'cap': cap_y, 'capX': cap_x}

cases = [
    {'metric': {'name': 'revenue', 'kind': 'mean', 'windowDays': 7, 'cap': {'percentile': 0.9}, 'cuped': {'days': 14}},
     'expected': sums('mean', 7, 14, {'percentile': 0.9})},
    {'metric': {'name': 'revenue_all', 'kind': 'mean'}, 'expected': sums('mean')},
    {'metric': {'name': 'revenue_capped', 'kind': 'mean', 'cap': {'absolute': 40}, 'cuped': {'days': 7}},
     'expected': sums('mean', None, 7, {'absolute': 40})},
    {'metric': {'name': 'order_value', 'kind': 'ratio', 'windowDays': 10}, 'expected': sums('ratio', 10)},
    {'metric': {'name': 'purchased', 'kind': 'proportion', 'windowDays': 7, 'cuped': {'days': 14}},
     'expected': sums('proportion', 7, 14)},
]
print(json.dumps({'exposures': exposures, 'aliases': aliases, 'orders': orders, 'cases': cases,
                  'numpy': np.__version__}, indent=1))
