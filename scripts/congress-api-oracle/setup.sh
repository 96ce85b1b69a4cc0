#!/bin/sh
# Builds the environment of the original Congress API server (commit 85243abf): the source exported
# from the local bare mirror and a virtualenv of Debian's python3 (--system-site-packages) in which
# the source is installed in develop mode (so that stevedore finds the datasource drivers' entry
# points). PyPI is not reachable from the project's machines; every dependency comes from Debian 12.
# Idempotent: each step is skipped when its result is already there.
set -eu
MIRROR=${CONGRESS_MIRROR:-/work/.mirror/openstack+congress/repo/.git}
SRC=${CONGRESS_SRC:-/work/oracle-src-api}
VENV=${CONGRESS_API_VENV:-/work/oracle-venv-api}
COMMIT=${CONGRESS_COMMIT:-85243abf}

if [ ! -f "$SRC/congress/api/webservice.py" ]; then
  mkdir -p "$SRC"
  git --git-dir="$MIRROR" archive "$COMMIT" | tar -x -C "$SRC"
fi
echo "original source: $SRC ($COMMIT)"

PKGS="python3-venv python3-pbr python3-netaddr python3-six python3-dateutil python3-eventlet \
 python3-oslo.config python3-oslo.log python3-oslo.utils python3-oslo.concurrency python3-oslo.context \
 python3-oslo.db python3-oslo.messaging python3-oslo.policy python3-oslo.middleware python3-oslo.service \
 python3-oslo.serialization python3-oslo.upgradecheck python3-oslo.vmware \
 python3-routes python3-webob python3-paste python3-pastedeploy python3-sqlalchemy python3-alembic \
 python3-keystonemiddleware python3-keystoneauth1 python3-keystoneclient python3-jsonpath-rw \
 python3-tenacity python3-psutil python3-jsonschema python3-yaml python3-cryptography python3-requests \
 python3-stevedore python3-psycopg2 python3-pulp \
 python3-novaclient python3-neutronclient python3-cinderclient python3-glanceclient python3-swiftclient \
 python3-heatclient python3-ironicclient python3-aodhclient python3-tackerclient python3-monascaclient \
 python3-muranoclient python3-mistralclient"
if ! /usr/bin/python3 -c 'import stevedore, oslo_db, oslo_messaging, oslo_policy, oslo_middleware, oslo_service, routes, webob, paste.deploy, alembic, keystonemiddleware, jsonpath_rw, pulp, novaclient, muranoclient, mistralclient, tackerclient, monascaclient, aodhclient, oslo_vmware' 2>/dev/null; then
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS
fi
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if ! "$VENV/bin/python" -c 'import importlib.metadata as m; m.distribution("openstack-congress")' 2>/dev/null; then
  (cd "$SRC" && PBR_VERSION=11.0.0 "$VENV/bin/pip" install -q --no-deps --no-build-isolation --no-index -e .)
fi
echo "virtualenv: $VENV"
