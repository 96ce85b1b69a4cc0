#!/bin/sh
# Starts a fresh Congress-TS server (build first: npx tsc -p tsconfig.json) on 127.0.0.1:PORT with a
# fresh SQLite database, noauth and an empty policy library, in the background; waits until it
# answers and prints its PID (also in WORKDIR/server.pid). Log: WORKDIR/server.log.
#   scripts/congress-api-oracle/run-ours.sh PORT [WORKDIR]
set -eu
PORT=${1:?usage: run-ours.sh PORT [WORKDIR]}
DIR=${2:-/tmp/congress-ts-api/$PORT}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$DIR"
mkdir -p "$DIR/lib" "$DIR/keys"
cat > "$DIR/congress.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT
auth_strategy = noauth
policy_library_path = $DIR/lib
encryption_key_path = $DIR/keys
[database]
connection = sqlite:///$DIR/c.sqlite
CONF
node "$ROOT/bin/congress-server" --config-file "$DIR/congress.conf" --db-upgrade > "$DIR/upgrade.log" 2>&1
node "$ROOT/bin/congress-server" --config-file "$DIR/congress.conf" > "$DIR/server.log" 2>&1 &
PID=$!
echo "$PID" > "$DIR/server.pid"
i=0
until curl -sf "http://127.0.0.1:$PORT/v1/policies" > /dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 120 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "server did not start; see $DIR/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "$PID"
