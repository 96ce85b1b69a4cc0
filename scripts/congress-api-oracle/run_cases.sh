#!/bin/sh
# The policy-language oracle's random cases, through the REST API of both servers:
# generates cases (seed, cases per tag), turns them into API scenarios, records them on the
# original (fresh server after any 500) and on a fresh Congress-TS server, and compares.
#   scripts/congress-api-oracle/run_cases.sh SEED [PER_TAG] [OUT]     (build first: npx tsc -p .)
# Environment: TAGS=a,b (generators; default all), ORIG_PORT, OURS_PORT; PYTHONHASHSEED=0 makes
# the original's set order fixed, which ours reproduces: then EXACT=1 compares it too.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SEED=${1:?usage: run_cases.sh SEED [PER_TAG] [OUT]}
PER_TAG=${2:-4}
OUT=${3:-/tmp/congress-api-cases-$SEED}
CHECK=${CONGRESS_API_CHECK:-/work/shared/conformance/api/check.mjs}
mkdir -p "$OUT"
python3 "$HERE/../congress-oracle/gen_cases.py" --seed "$SEED" --per-tag "$PER_TAG" ${TAGS:+--tags "$TAGS"} > "$OUT/cases.json"
python3 "$HERE/cases_to_steps.py" < "$OUT/cases.json" > "$OUT/scenarios.json"
python3 "$HERE/record_cases.py" "$OUT/scenarios.json" "$OUT/original.json" "${ORIG_PORT:-18792}"
PID=$("$HERE/run-ours.sh" "${OURS_PORT:-18898}" "$OUT/ours-server")
node "$CHECK" "http://127.0.0.1:${OURS_PORT:-18898}" --record "$OUT/scenarios.json" "$OUT/ours.json" > "$OUT/ours-record.log" 2>&1 || true
kill "$PID"
python3 "$HERE/compare_transcripts.py" "$OUT/original.json" "$OUT/ours.json" --all ${EXACT:+--exact} > "$OUT/report.txt"
tail -12 "$OUT/report.txt"
