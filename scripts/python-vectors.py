#!/usr/bin/env python3
"""Writes test/fixtures/python-compat.json: the variants tracks 0.1.x gave, recomputed from the
algorithm's description (not from the library's code) so tracks-ab's 'python' mode can be checked.

The algorithm, as tracks 0.1.x applied it:
- a set's tracks are 'control' (when add_control_track) then, for a SimpleTrackSet, its variants in
  the order of their Python method names `<variant>_track`; for a ParamTrackSet, one track per
  entry of params, in list order;
- a user gets tracks[int(md5((name + ':' + str(key)).encode('utf-8')).hexdigest(), 16) % len(tracks)];
- a MultiTrackSet is named by its sets' names joined by '/', lists each eligible set `weight`
  times in declared order, and picks list[md5 int of (multi name + ':' + str(key)) % len(list)];
  the chosen set then assigns the user with its own name as above;
- a masked name is md5(name).hexdigest()[:7].

Run: python3 scripts/python-vectors.py   (rewrites the fixture; the output is deterministic)
"""
import hashlib
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'python-compat.json')


def md5_int(text):
    return int(hashlib.md5(text.encode('utf-8')).hexdigest(), 16)


def masked_name(name):
    return hashlib.md5(name.encode('utf-8')).hexdigest()[:7]


def simple_tracks(variants, add_control):
    methods = sorted(variant + '_track' for variant in variants)
    ordered = [method[:-len('_track')] for method in methods]
    return (['control'] if add_control else []) + ordered


def param_tracks(names, add_control):
    return (['control'] if add_control else []) + list(names)


def pick(name, tracks, key):
    return tracks[md5_int(name + ':' + str(key)) % len(tracks)]


def key_json(key):
    # JSON numbers above 2**53 lose digits in JavaScript: those keys travel as decimal strings.
    if isinstance(key, int) and abs(key) > 2 ** 53 - 1:
        return {'bigint': str(key)}
    return key


STRING_KEYS = (
    ['', 'alice@example.com', 'josé', '用户-7', '🙂', 'a:b', ' spaced ', 'Ron', 'Jerry', '42x']
    + ['user-%d' % i for i in range(40)]
)
INT_KEYS = [0, 1, 7, 10, 42, -3, -100, 999, 10 ** 6, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, 2 ** 64, 10 ** 21 + 7]
KEYS = STRING_KEYS + INT_KEYS


def set_entry(name, kind, declared, add_control, weight=100):
    tracks = simple_tracks(declared, add_control) if kind == 'simple' else param_tracks(declared, add_control)
    return {
        'name': name,
        'kind': kind,
        'variants': declared,
        'addControlTrack': add_control,
        'weight': weight,
        'order': tracks,
        'cases': [{'key': key_json(key), 'variant': pick(name, tracks, key)} for key in KEYS],
    }


def multi_entry(sets, ineligible):
    name = '/'.join(s['name'] for s in sets)
    slots = []
    for s in sets:
        if s['name'] not in ineligible:
            slots.extend([s] * s['weight'])
    cases = []
    for key in KEYS:
        chosen = slots[md5_int(name + ':' + str(key)) % len(slots)]
        cases.append({'key': key_json(key), 'set': chosen['name'], 'variant': pick(chosen['name'], chosen['order'], key)})
    return {'name': name, 'sets': [s['name'] for s in sets], 'ineligible': sorted(ineligible), 'cases': cases}


def render(value, depth=0):
    """JSON with one line per innermost object or list, so the fixture reads as a table."""
    def flat(v):
        return not isinstance(v, (dict, list)) or (isinstance(v, dict) and 'bigint' in v)
    members = list(value.values()) if isinstance(value, dict) else value
    if flat(value) or all(flat(v) for v in members):
        return json.dumps(value, ensure_ascii=False, separators=(', ', ': '))
    pad = '  ' * (depth + 1)
    if isinstance(value, dict):
        body = [pad + json.dumps(k, ensure_ascii=False) + ': ' + render(v, depth + 1) for k, v in value.items()]
        return '{\n' + ',\n'.join(body) + '\n' + '  ' * depth + '}'
    body = [pad + render(v, depth + 1) for v in value]
    return '[\n' + ',\n'.join(body) + '\n' + '  ' * depth + ']'


def main():
    pricing = set_entry('pricing', 'simple', ['expensive', 'cheap'], True, weight=1000)
    super_name = set_entry('super_name', 'simple', ['changed_name'], True)
    # Sorting by `<variant>_track` differs from sorting by name: 'a_b_track' < 'a_track' and
    # 'a0_track' < 'aB_track' < 'a_track', while 'a' < 'a0' < 'aB' < 'a_b' by name.
    ordering = set_entry('ordering', 'simple', ['a', 'a_b', 'aB', 'a0', 'b'], False)
    delay = set_entry('delay', 'simple', ['short', 'long'], True)
    precio = set_entry('précio', 'simple', ['haut', 'bas'], True)
    price_delta = set_entry(
        'price_delta', 'param', ['price_adjusted_by_%d' % n for n in range(-2, 3)], False)
    discount = set_entry('discount', 'param', ['ten_percent', 'twenty_percent'], True)
    sets = [pricing, super_name, ordering, delay, precio, price_delta, discount]

    multis = [
        multi_entry([pricing, super_name], set()),
        multi_entry([pricing, super_name], {'super_name'}),
        multi_entry([delay, pricing, super_name], {'pricing'}),
    ]

    names = sorted({s['name'] for s in sets} | {v for s in sets for v in s['order']} | {m['name'] for m in multis})
    masked = [{'name': name, 'masked': masked_name(name)} for name in names]

    fixture = {
        'description': 'Assignments of tracks 0.1.x (md5 of name:key modulo the tracks), written by '
                       'scripts/python-vectors.py from the algorithm description. A key {"bigint": "..."} '
                       'is an integer beyond 2**53, passed as a BigInt.',
        'sets': sets,
        'multi': multis,
        'masked': masked,
    }
    with open(OUT, 'w', encoding='utf-8') as out:
        out.write(render(fixture) + '\n')


if __name__ == '__main__':
    main()
