#!/usr/bin/env bash
# Exports the generated company as CSV, then times `decisioning ingest` of financial_metrics.csv into a
# fresh SQLite file, and a second time to show the idempotent re-ingest. Usage: bench/ingest.sh [SCALE] [SEED]
set -euo pipefail
scale=${1:-1}; seed=${2:-42}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=.build/release/decisioning
$bin generate --scale "$scale" --seed "$seed" --as-of 2026-11-25 --csv "$dir/csv" >/dev/null
rows=$(($(wc -l < "$dir/csv/financial_metrics.csv") - 1))
echo "financial_metrics.csv: $rows rows, $(du -h "$dir/csv/financial_metrics.csv" | cut -f1)"
$bin init --database "sqlite:$dir/ingest.sqlite" >/dev/null
for run in first re-run; do
  start=$(date +%s.%N)
  $bin ingest --database "sqlite:$dir/ingest.sqlite" --table financial_metrics "$dir/csv/financial_metrics.csv"
  end=$(date +%s.%N)
  awk -v r="$rows" -v s="$start" -v e="$end" -v n="$run" 'BEGIN { printf "%s ingest: %.2f s wall, %.0f rows/s\n", n, e - s, r / (e - s) }'
done
