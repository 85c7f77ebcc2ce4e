#!/usr/bin/env bash
# The whole analytics comparison: our column engine, SQL on SQLite and DuckDB on the same data.
# Usage: bench/analytics.sh SCALE [sqlite:FILE]   (without a file, a scale-SCALE company is generated once under out/bench/)
set -euo pipefail
scale=${1:-1}
database=${2:-}
bin=.build/release/decisioning
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install -q duckdb >&2
if [ -z "$database" ]; then
  mkdir -p out/bench
  file="out/bench/scale-$scale.sqlite"
  if [ ! -f "$file" ]; then
    $bin generate --scale "$scale" --seed 42 --as-of 2026-11-25 --database "sqlite:$file" >&2
  fi
else
  file=${database#sqlite:}
fi
python3 bench/analytics.py "$file" --as-of 2026-11-25 --runs 7 --bin "$bin"
