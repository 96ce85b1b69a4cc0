#!/bin/sh
# Replays a recorded transcript (default: transcript-extended.json, the original's answers)
# against a fresh Congress-TS server; no original server needed. Builds first unless NO_BUILD=1.
#   scripts/congress-api-oracle/replay-ours.sh [TRANSCRIPT] [PORT] [--verbose]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TRANSCRIPT=${1:-$HERE/transcript-extended.json}
PORT=${2:-18899}
CHECK=${CONGRESS_API_CHECK:-/work/shared/conformance/api/check.mjs}
if [ "${NO_BUILD:-0}" != 1 ]; then (cd "$ROOT" && npx tsc -p tsconfig.json); fi
PID=$("$HERE/run-ours.sh" "$PORT" "/tmp/congress-ts-api/replay-$PORT")
trap 'kill "$PID" 2>/dev/null || true' EXIT INT TERM
node "$CHECK" "http://127.0.0.1:$PORT" "$TRANSCRIPT" ${3:-}
