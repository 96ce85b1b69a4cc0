"""Starts the original congress-server (bin/congress-server) after the run-time
patches listed in README.md (none changes the original's logic)."""
import collections
import collections.abc
import os
import sys

# Patch 1: aliases removed from `collections` in Python 3.10
for _n in ('Mapping', 'MutableMapping', 'MutableSet', 'Set', 'Sequence',
           'Iterable', 'Hashable', 'Callable', 'MutableSequence'):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))

# Patch 2: pbr reads the version of an installed distribution or git checkout
os.environ.setdefault('PBR_VERSION', '11.0.0')

src = os.environ.get('CONGRESS_SRC', '/work/oracle-src-api')
sys.path.insert(0, src)

from congress.common import config  # noqa: E402

config.init(sys.argv[1:])

from congress.server import congress_server  # noqa: E402

congress_server.main()
