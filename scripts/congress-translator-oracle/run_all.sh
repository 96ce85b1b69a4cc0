#!/bin/sh
# Generates translator cases for each seed, runs them on the original's translator engine and on
# ours, and prints the comparison. Needs the API oracle's environment (its virtualenv has the
# original's datasource dependencies): scripts/congress-api-oracle/setup.sh.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-/tmp/congress-translator-oracle}
SEEDS=${SEEDS:-"1 2 3"}
COUNT=${COUNT:-1000}
PY=${CONGRESS_ORACLE_PYTHON:-/work/oracle-venv-api/bin/python}
export CONGRESS_SRC=${CONGRESS_SRC:-/work/oracle-src-api}
mkdir -p "$OUT"
(cd "$REPO" && npx tsc -p tsconfig.json)
for s in $SEEDS; do
  python3 "$HERE/gen.py" --seed "$s" --count "$COUNT" > "$OUT/cases-$s.json"
  timeout 600 "$PY" "$HERE/run_original.py" "$OUT/cases-$s.json" > "$OUT/orig-$s.json"
  node "$REPO/dist/scripts/translator-compare.js" "$OUT/cases-$s.json" "$OUT/orig-$s.json" > "$OUT/compare-$s.txt"
  tail -n 1 "$OUT/compare-$s.txt"
done
