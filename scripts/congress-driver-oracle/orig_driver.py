#!/usr/bin/env python3
"""Polls one datasource with the ORIGINAL Congress driver (commit 85243abf) and prints its tables.

Usage: orig_driver.py MODULE CLASS NAME AUTH_URL > tables.json

MODULE and CLASS name the driver in congress.datasources (e.g. nova_driver NovaDriver). The
driver is built with the fake cloud's credentials and polled once (update_from_datasource); the
answer is {table: [row as JSON, ...]} with values as the original publishes them (None, True and
False as text). Run-time patches, none of which changes the drivers' logic: the collections ABC
aliases and PBR_VERSION (as scripts/congress-oracle/run_case.py), and inspect.getargspec (removed
in Python 3.11), which the original uses to list a client's methods as actions.
"""
import collections
import collections.abc
import importlib
import inspect
import json
import logging
import os
import sys

for _n in ('Mapping', 'MutableMapping', 'MutableSet', 'Set', 'Sequence', 'Iterable', 'Hashable',
           'Callable', 'MutableSequence'):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))
if not hasattr(inspect, 'getargspec'):
    _ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')
    inspect.getargspec = lambda f: _ArgSpec(*inspect.getfullargspec(f)[:4])
os.environ.setdefault('PBR_VERSION', '11.0.0')
sys.path.insert(0, os.environ.get('CONGRESS_SRC', '/work/oracle-src-api'))
logging.basicConfig(level=getattr(logging, os.environ.get("ORIG_LOG", "ERROR")))  # DEBUG shows every request

from oslo_config import cfg  # noqa: E402

cfg.CONF([], project='congress')


def published(v):
    if v is None:
        return 'None'
    if v is True:
        return 'True'
    if v is False:
        return 'False'
    return v


def main():
    module, cls, name, auth_url = sys.argv[1:5]
    driver_class = getattr(importlib.import_module('congress.datasources.' + module), cls)
    args = {'auth_url': auth_url, 'username': 'admin', 'password': 'secret', 'tenant_name': 'admin',
            'project_name': 'admin', 'user_domain_name': 'Default', 'project_domain_name': 'Default',
            'poll_time': 0}
    driver = driver_class(name=name, args=args)
    driver.update_from_datasource()
    tables = {}
    for table in driver.get_schema():
        rows = driver.state.get(table, set())
        tables[table] = sorted(json.dumps([published(v) for v in row]) for row in rows)
    json.dump(tables, sys.stdout)


if __name__ == '__main__':
    main()
