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

rm -rf "$DIR"
mkdir -p "$DIR/lib" "$DIR/keys"
cat > "$DIR/congress.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT
auth_strategy = noauth
policy_library_path = $DIR/lib
encryption_key_path = $DIR/keys
api_paste_config = $SRC/etc/api-paste.ini
transport_url = fake:/
drivers = congress.datasources.doctor_driver.DoctorDriver
debug = False
[database]
connection = sqlite:///$DIR/c.sqlite
[oslo_policy]
policy_file = $DIR/policy.json
CONF
echo '{}' > "$DIR/policy.json"
export PBR_VERSION=11.0.0 CONGRESS_SRC="$SRC"
"$VENV/bin/python" "$HERE/create_schema.py" --config-file "$DIR/congress.conf" > "$DIR/schema.log" 2>&1
"$VENV/bin/python" "$HERE/launch.py" --config-file "$DIR/congress.conf" > "$DIR/server.log" 2>&1 &
PID=$!
echo "$PID" > "$DIR/server.pid"
i=0
until curl -sf "http://127.0.0.1:$PORT/v1/policies" > /dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 120 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "original server did not start; see $DIR/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "$PID"
