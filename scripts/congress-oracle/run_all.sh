#!/bin/sh
# Generates cases for several seeds, runs them on the original and on ours, and writes the
# comparison (text and JSON) per seed into OUT (default /tmp/congress-oracle). TAGS (comma-separated)
# limits the generators.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-/tmp/congress-oracle}
SEEDS=${SEEDS:-"1 2 3 4 5"}
PER_TAG=${PER_TAG:-30}
TAGS=${TAGS:-}
PY=${CONGRESS_ORACLE_PYTHON:-/work/oracle-venv/bin/python}
mkdir -p "$OUT"
(cd "$REPO" && npx tsc -p tsconfig.json)
for s in $SEEDS; do
  python3 "$HERE/gen_cases.py" --seed "$s" --per-tag "$PER_TAG" --tags "$TAGS" > "$OUT/cases-$s.json"
  timeout 600 "$PY" "$HERE/run_case.py" "$OUT/cases-$s.json" > "$OUT/orig-$s.json"
  timeout 600 node "$REPO/dist/scripts/oracle-compare.js" "$OUT/cases-$s.json" --original "$OUT/orig-$s.json" \
    --out "$OUT/report-$s.json" > "$OUT/compare-$s.txt"
  tail -n 1 "$OUT/compare-$s.txt"
done
