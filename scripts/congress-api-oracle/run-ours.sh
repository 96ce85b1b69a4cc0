#!/bin/sh
# Starts a fresh Congress-TS server (build first: npx tsc -p tsconfig.json) on 127.0.0.1:PORT with a
# fresh SQLite database, noauth and an empty policy library, in the background; waits until it
# answers and prints its PID (also in WORKDIR/server.pid). Log: WORKDIR/server.log.
#   scripts/congress-api-oracle/run-ours.sh PORT [WORKDIR]
set -eu
PORT=${1:?usage: run-ours.sh PORT [WORKDIR]}
DIR=${2:-/tmp/congress-ts-api/$PORT}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/common.sh"
fresh_dir "$DIR"
{ common_default "$DIR" "$PORT"; cat <<CONF
[database]
connection = sqlite:///$DIR/c.sqlite
CONF
} > "$DIR/congress.conf"
node "$ROOT/bin/congress-server" --config-file "$DIR/congress.conf" --db-upgrade > "$DIR/upgrade.log" 2>&1
node "$ROOT/bin/congress-server" --config-file "$DIR/congress.conf" > "$DIR/server.log" 2>&1 &
wait_answering $! "$PORT" "$DIR" "server"
