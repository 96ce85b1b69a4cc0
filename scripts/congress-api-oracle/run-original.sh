#!/bin/sh
# Starts a fresh original Congress server (API + policy engine + datasources in one process) on
# 127.0.0.1:PORT with a fresh empty SQLite database, noauth, an empty policy library and the fake
# (in-process) oslo.messaging transport. Runs it in the background, waits until it answers, prints
# its PID (also in WORKDIR/server.pid; stop it with `kill PID`). Log: WORKDIR/server.log.
#   scripts/congress-api-oracle/run-original.sh PORT [WORKDIR]
set -eu
PORT=${1:?usage: run-original.sh PORT [WORKDIR]}
DIR=${2:-/tmp/congress-api-oracle/$PORT}
SRC=${CONGRESS_SRC:-/work/oracle-src-api}
VENV=${CONGRESS_API_VENV:-/work/oracle-venv-api}
HERE=$(cd "$(dirname "$0")" && pwd)

. "$(dirname "$0")/common.sh"
fresh_dir "$DIR"
{ common_default "$DIR" "$PORT"; cat <<CONF
api_paste_config = $SRC/etc/api-paste.ini
transport_url = fake:/
drivers = congress.datasources.doctor_driver.DoctorDriver
debug = False
[database]
connection = sqlite:///$DIR/c.sqlite
[oslo_policy]
policy_file = $DIR/policy.json
CONF
} > "$DIR/congress.conf"
echo '{}' > "$DIR/policy.json"
export PBR_VERSION=11.0.0 CONGRESS_SRC="$SRC"
"$VENV/bin/python" "$HERE/create_schema.py" --config-file "$DIR/congress.conf" > "$DIR/schema.log" 2>&1
"$VENV/bin/python" "$HERE/launch.py" --config-file "$DIR/congress.conf" > "$DIR/server.log" 2>&1 &
wait_answering $! "$PORT" "$DIR" "original server"
