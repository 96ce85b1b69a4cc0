#!/usr/bin/env python3
"""Writes test/fixtures/python/set-order.json: CPython's hashes and set orders with hash
randomization off, for test/unit/datalog/python-set.test.ts.

Run with the Python the original's answers were recorded with (3.11) and PYTHONHASHSEED=0:
    PYTHONHASHSEED=0 N=120 python3 scripts/python-set-vectors.py > test/fixtures/python/set-order.json
"""
import json
import os
import random


class V:
    """Hashes and compares like congress.datalog.compile.Variable."""
    def __init__(self, n):
        self.name = n

    def __hash__(self):
        return hash(('Variable', hash(self.name)))

    def __eq__(self, o):
        return isinstance(o, V) and self.name == o.name


def main():
    assert os.environ.get("PYTHONHASHSEED") == "0", "run with PYTHONHASHSEED=0"
    r = random.Random(7)
    pool = ['x', 'y', 'z', 'w', 'a0', 'a1', 'o0', 'x_01', 'x_110', 'é', 'ĳ', '日本', '𝔘x', 'Variable',
            'v', 'u', 'vm', 'net'] + ['v%d' % i for i in range(80)]
    out = {'note': 'CPython with PYTHONHASHSEED=0: hash(s), hash(Variable(s)), and for each case '
                   'the orders of set(a), the union of the sets of b, a - b and a.copy(); made by '
                   'scripts/python-set-vectors.py',
           'hashes': [[s, str(hash(s)), str(hash(V(s)))] for s in pool + ['']], 'sets': []}
    for n in range(int(os.environ.get('N', '120'))):
        kind = 'V' if n % 2 else 'S'
        mk = (lambda xs: set(V(x) for x in xs)) if kind == 'V' else set
        name = (lambda e: e.name) if kind == 'V' else (lambda e: e)
        a_list = [r.choice(pool) for _ in range(r.choice([1, 2, 3, 5, 9, 12, 20, 40, 70]))]
        b_lists = [[r.choice(pool) for _ in range(r.choice([0, 1, 2, 4, 8, 30]))]
                   for _ in range(r.choice([1, 2, 3]))]
        a = mk(a_list)
        b = set()
        for bl in b_lists:
            b |= mk(bl)
        out['sets'].append({'kind': kind, 'a': a_list, 'b': b_lists, 'set_a': [name(e) for e in a],
                            'union_b': [name(e) for e in b], 'diff': [name(e) for e in a - b],
                            'copy': [name(e) for e in a.copy()]})
    print(json.dumps(out, ensure_ascii=False))


if __name__ == '__main__':
    main()
