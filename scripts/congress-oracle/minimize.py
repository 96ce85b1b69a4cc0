#!/usr/bin/env python3
"""Shrinks a diverging case to a minimal one that still diverges (greedy delta debugging).

Usage: minimize.py CASE.json [--name NAME] > minimal.json

CASE.json holds one case or a list (then --name picks one). Each pass builds every
variant with one list element (rule, fact row, query, ...) removed, runs them all in
one batch through oracle-compare (both engines), and keeps the first variant that
still diverges without the original crashing. Bounded: at most 40 passes, 10 minutes.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COMPARE = os.path.join(REPO, 'dist', 'scripts', 'oracle-compare.js')
MAX_PASSES = 40
DEADLINE_S = 600


def paths(case):
    """Every removable element: (field, index) or (field, key, index) for fact/data rows."""
    out = []
    for field in ('rules', 'queries', 'rows', 'deletes', 'delete_policies', 'simulate', 'datasource_updates'):
        for i in range(len(case.get(field) or [])):
            out.append((field, i))
    facts = case.get('facts')
    if isinstance(facts, list):
        for i in range(len(facts)):
            out.append(('facts', i))
    elif isinstance(facts, dict):
        for k, rows in facts.items():
            for i in range(len(rows)):
                out.append(('facts', k, i))
            out.append(('facts', k))
    for name, spec in (case.get('datasources') or {}).items():
        out.append(('datasources', name))
        for t, rows in (spec.get('data') or {}).items():
            for i in range(len(rows)):
                out.append(('data', name, t, i))
    for k in list((case.get('policies') or {}).keys()):
        out.append(('policies', k))
    return out


def without(case, p):
    c = copy.deepcopy(case)
    if p[0] == 'facts' and len(p) == 3:
        del c['facts'][p[1]][p[2]]
    elif p[0] == 'facts' and isinstance(p[1], str):
        del c['facts'][p[1]]
    elif p[0] == 'data':
        del c['datasources'][p[1]]['data'][p[2]][p[3]]
    elif p[0] in ('datasources', 'policies'):
        del c[p[0]][p[1]]
    else:
        del c[p[0]][p[1]]
    return c


def diverging(cases):
    """Names of the cases that diverge while the original gave a real answer."""
    with tempfile.TemporaryDirectory() as d:
        cf = os.path.join(d, 'c.json')
        rf = os.path.join(d, 'r.json')
        with open(cf, 'w', encoding='utf-8') as f:
            json.dump(cases, f, ensure_ascii=False)
        subprocess.run(['node', COMPARE, cf, '--out', rf], check=True, stdout=subprocess.DEVNULL, timeout=300)
        with open(rf, encoding='utf-8') as f:
            report = json.load(f)
    return {r['name'] for r in report if r['mismatches'] and not r['originalCrashed']}


def main():
    args = sys.argv[1:]
    name = None
    if '--name' in args:
        name = args[args.index('--name') + 1]
    with open(args[0], encoding='utf-8') as f:
        data = json.load(f)
    cases = data if isinstance(data, list) else [data]
    case = next(c for c in cases if name is None or c['name'] == name)
    if case['name'] not in diverging([case]):
        sys.exit('case does not diverge')
    start = time.time()
    for _ in range(MAX_PASSES):
        if time.time() - start > DEADLINE_S:
            break
        variants = []
        for i, p in enumerate(paths(case)):
            v = without(case, p)
            v['name'] = '%s~%d' % (case['name'].split('~')[0], i)
            variants.append(v)
        if not variants:
            break
        bad = diverging(variants)
        keep = next((v for v in variants if v['name'] in bad), None)
        if keep is None:
            break
        case = keep
    case['name'] = case['name'].split('~')[0] + '-min'
    json.dump(case, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
