#!/usr/bin/env bash
# Exports the generated company as CSV, then, RUNS times (3 by default), loads financial_metrics.csv into a fresh
# SQLite file with `decisioning ingest` (then re-runs it: the idempotent re-ingest, every row skipped) and into a fresh
# DuckDB file with DuckDB's CSV reader (same columns, primary key and analytics index), in the same run. Prints each
# run and the medians of rows/s, with the ratio ours / DuckDB.
# Usage: [BIN=.build/release/decisioning] [RUNS=3] bench/ingest.sh [SCALE] [SEED]
set -euo pipefail
scale=${1:-1}; seed=${2:-42}
bin=${BIN:-.build/release/decisioning}
runs=${RUNS:-3}
[ -x "$bin" ] || { echo "error: no binary at $bin; run 'make release' or set BIN" >&2; exit 1; }
if ! python3 -c "import duckdb" 2>/dev/null; then
  echo "installing the duckdb Python package" >&2
  python3 -m pip install -q duckdb >&2 || python3 -m pip install -q --user --break-system-packages duckdb >&2
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" generate --scale "$scale" --seed "$seed" --as-of 2026-11-25 --csv "$dir/csv" >/dev/null
csv="$dir/csv/financial_metrics.csv"
rows=$(($(wc -l < "$csv") - 1))
echo "financial_metrics.csv: $rows rows, $(du -h "$csv" | cut -f1); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
ours=(); again=(); duck=()
for run in $(seq 1 "$runs"); do
  rm -f "$dir"/ingest.sqlite* "$dir"/duck.duckdb*
  "$bin" init --database "sqlite:$dir/ingest.sqlite" >/dev/null
  sync
  start=$(date +%s.%N)
  "$bin" ingest --database "sqlite:$dir/ingest.sqlite" --table financial_metrics "$csv" >/dev/null
  end=$(date +%s.%N)
  ours+=("$(seconds "$start" "$end")")
  start=$(date +%s.%N)
  "$bin" ingest --database "sqlite:$dir/ingest.sqlite" --table financial_metrics "$csv" >/dev/null
  end=$(date +%s.%N)
  again+=("$(seconds "$start" "$end")")
  sync
  duck+=("$(python3 - "$csv" "$dir/duck.duckdb" <<'PY'
import sys, time, duckdb
csv, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
con = duckdb.connect(path)
con.execute("""CREATE TABLE financial_metrics (
    metric_id VARCHAR NOT NULL PRIMARY KEY, project_id VARCHAR, metric_type VARCHAR, metric_value DECIMAL(15,2),
    metric_date DATE NOT NULL, currency_code VARCHAR DEFAULT 'USD', created_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""")
con.execute("""INSERT INTO financial_metrics SELECT * FROM read_csv(?, header = true, columns = {
    'metric_id': 'VARCHAR', 'project_id': 'VARCHAR', 'metric_type': 'VARCHAR', 'metric_value': 'DECIMAL(15,2)',
    'metric_date': 'DATE', 'currency_code': 'VARCHAR', 'created_at': 'TIMESTAMP'})""", [csv])
con.execute("CREATE INDEX idx_analytics ON financial_metrics (metric_date, metric_type, project_id)")
con.close()
print(f"{time.perf_counter() - start:.3f}")
PY
)")
  awk -v r="$rows" -v n="$run" -v o="${ours[-1]}" -v a="${again[-1]}" -v d="${duck[-1]}" 'BEGIN {
    printf "run %d: ours %.2f s (%.0f rows/s), re-run %.2f s (%.0f rows/s), DuckDB %.2f s (%.0f rows/s)\n", n, o, r / o, a, r / a, d, r / d }'
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
awk -v r="$rows" -v o="$(median "${ours[@]}")" -v a="$(median "${again[@]}")" -v d="$(median "${duck[@]}")" -v n="$runs" 'BEGIN {
  printf "median of %d: ours %.0f rows/s, re-run %.0f rows/s, DuckDB %.0f rows/s; ours / DuckDB = %.2f\n", n, r / o, r / a, r / d, d / o }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
