#!/bin/sh
# Builds the oracle's environment: the original Congress source (commit 85243abf) exported from
# the local bare mirror, and a virtualenv whose Python sees Debian's packages of the original's
# run-time dependencies (PyPI is not reachable from the project's machines; Debian is).
set -eu
MIRROR=${CONGRESS_MIRROR:-/work/.mirror/openstack+congress/repo/.git}
SRC=${CONGRESS_SRC:-/work/oracle-src}
VENV=${CONGRESS_ORACLE_VENV:-/work/oracle-venv}
COMMIT=${CONGRESS_COMMIT:-HEAD}

if [ ! -f "$SRC/congress/policy_engines/agnostic.py" ]; then
  mkdir -p "$SRC"
  git --git-dir="$MIRROR" archive "$COMMIT" | tar -x -C "$SRC"
fi
echo "original source: $SRC ($(git --git-dir="$MIRROR" rev-parse --short "$COMMIT"))"

if ! /usr/bin/python3 -c 'import netaddr, six, dateutil, oslo_config, oslo_log, oslo_utils, oslo_concurrency, eventlet' 2>/dev/null; then
  apt-get update -qq
  apt-get install -y -qq python3-venv python3-netaddr python3-six python3-dateutil python3-oslo.config \
    python3-oslo.log python3-oslo.utils python3-oslo.concurrency python3-eventlet
fi
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
echo '{"name": "smoke", "rules": ["p(x) :- q(x)"], "facts": {"q": [[1]]}, "queries": ["p(x)"]}' |
  CONGRESS_SRC="$SRC" "$VENV/bin/python" "$(dirname "$0")/run_case.py" -
