#!/usr/bin/env python3
"""Differential oracle for the datasource translators: runs generated cases through the ORIGINAL
Congress translator engine (DataSourceDriver.convert_objs and _get_schema, commit 85243abf).

Usage: run_original.py CASES.json > original.json

Each case is {"name", "translator", "objects"}. The answer per case is the schema (column names
per table) and the rows, each value typed (see `typed`), sorted; or the exception's type where
the original raised. Run-time patches as in scripts/congress-oracle/run_case.py (collections ABC
aliases, PBR_VERSION); nothing of the translator code is changed.
"""
import collections
import collections.abc
import json
import os
import sys

SRC = os.environ.get('CONGRESS_SRC', '/work/oracle-src')
for _n in ('Mapping', 'MutableMapping', 'MutableSet', 'Set', 'Sequence', 'Iterable', 'Hashable',
           'Callable', 'MutableSequence'):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))
os.environ.setdefault('PBR_VERSION', '11.0.0')
sys.path.insert(0, SRC)

import logging  # noqa: E402
logging.disable(logging.CRITICAL)  # the original logs type errors with tracebacks
from congress.datasources.datasource_driver import DataSourceDriver  # noqa: E402


def typed(v):
    """A column value with its Python type kept: JSON alone cannot tell 1 from 1.0 or True from 1."""
    if v is None:
        return None
    if isinstance(v, bool):
        return {'b': v}
    if isinstance(v, int):
        return {'i': str(v)}
    if isinstance(v, float):
        return {'f': repr(v)}
    if isinstance(v, str):
        return {'s': v}
    return {'o': repr(v)}


def schema_of(translator):
    schema = {}
    DataSourceDriver._get_schema(translator, schema)
    out = {}
    for table, cols in schema.items():
        out[table] = [c['name'] if isinstance(c, dict) else c for c in cols]
    return out


def run(case):
    out = {'name': case['name']}
    try:
        out['schema'] = schema_of(case['translator'])
    except Exception as e:  # noqa: BLE001 - the type is the answer
        out['schema_error'] = type(e).__name__
    try:
        rows = DataSourceDriver.convert_objs(case['objects'], case['translator'])
        enc = sorted({json.dumps([t, [typed(v) for v in row]], sort_keys=True) for t, row in rows})
        out['rows'] = [json.loads(r) for r in enc]
    except Exception as e:  # noqa: BLE001
        out['error'] = '%s: %s' % (type(e).__name__, str(e)[:200])
    return out


def main():
    cases = json.load(open(sys.argv[1]))
    json.dump([run(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
