#!/usr/bin/env bash
# Time and peak RSS of each step at several scales, to see whether cost grows linearly with the data:
# generate (into SQLite), export CSV + ingest financial_metrics into a fresh SQLite file, load into the
# column engine + the four named analyses (`bench analytics`, engine only), and one whole flow (`run`).
# Usage: bench/scale.sh "0.1 1 10"   (BIN overrides the binary; KEEP=1 keeps out/bench/scale-S.sqlite
# from an earlier run instead of generating again, and then reports no generate step for that scale)
set -euo pipefail
scales=${1:-"0.1 1"}
bin=${BIN:-.build/release/decisioning}
mkdir -p out/bench
report=out/bench/scale-report.tsv
printf 'scale\tstep\tseconds\tpeak_rss_mib\trows\trows_per_s\n' > "$report"

# Runs a command under /usr/bin/time; appends its wall seconds and peak RSS to the report.
measure() {
  local scale=$1 step=$2 rows=$3; shift 3
  local stats
  stats=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$stats" "$@" > "out/bench/scale-$scale-$step.log" 2>&1 || {
    echo "step $step at scale $scale failed; its output is in out/bench/scale-$scale-$step.log" >&2
    tail -5 "out/bench/scale-$scale-$step.log" >&2
    exit 1
  }
  read -r seconds kib < "$stats"
  rm -f "$stats"
  awk -v s="$scale" -v n="$step" -v t="$seconds" -v k="$kib" -v r="$rows" \
    'BEGIN { printf "%s\t%s\t%.2f\t%.0f\t%s\t%s\n", s, n, t, k / 1024, r, (r > 0 && t > 0) ? sprintf("%.0f", r / t) : "" }' >> "$report"
}

command -v /usr/bin/time >/dev/null || { sudo -n true 2>/dev/null && sudo apt-get install -y -qq time || apt-get install -y -qq time; } >&2

for scale in $scales; do
  file="out/bench/scale-$scale.sqlite"
  if [ "${KEEP:-0}" != 1 ] || [ ! -f "$file" ]; then
    rm -f "$file" "$file"-* "out/bench/scale-$scale.truth.json"
    measure "$scale" generate 0 "$bin" generate --scale "$scale" --seed 42 --as-of 2026-11-25 --database "sqlite:$file"
  fi
  dir=$(mktemp -d -p out/bench)
  measure "$scale" export-csv 0 "$bin" generate --scale "$scale" --seed 42 --as-of 2026-11-25 --csv "$dir/csv"
  rows=$(($(wc -l < "$dir/csv/financial_metrics.csv") - 1))
  "$bin" init --database "sqlite:$dir/ingest.sqlite" > /dev/null
  measure "$scale" ingest-financial_metrics "$rows" \
    "$bin" ingest --database "sqlite:$dir/ingest.sqlite" --table financial_metrics "$dir/csv/financial_metrics.csv"
  rm -rf "$dir"
  measure "$scale" load+analyses 0 "$bin" bench analytics --database "sqlite:$file" --runs 3 --sql-runs 0 --format json
  python3 - "$scale" "out/bench/scale-$scale-load+analyses.log" >> "$report" <<'EOF'
import json, sys
scale, path = sys.argv[1], sys.argv[2]
text = open(path).read()
doc = json.loads(text[text.index("{"):])
print(f"{scale}\tload-into-engine\t{doc['load_seconds']:.2f}\t\t{doc['load_rows']}\t{doc['load_rows'] / doc['load_seconds']:.0f}")
for a in doc["analyses"]:
    print(f"{scale}\t{a['analysis']} (engine, median of {a['engine_runs']})\t{a['engine_ms'] / 1000:.3f}\t\t\t")
EOF
  measure "$scale" run-flow 0 "$bin" run --database "sqlite:$file" --as-of 2026-11-25 --out "out/bench/scale-$scale-run" --format json
  python3 - "$scale" "out/bench/scale-$scale-run-flow.log" <<'EOF' >&2
import json, sys
text = open(sys.argv[2]).read()
try:
    doc = json.loads(text[text.index("{"):])
    run = doc["run"]
    slow = ", ".join(f"{a['agent']} {a.get('status')}" for a in doc["agents"] if a.get("status") != "succeeded")
    print(f"scale {sys.argv[1]}: the flow ended {run['status']} in {run['duration_ms'] / 1000:.1f} s" + (f" ({slow})" if slow else ""))
except Exception as e:
    print(f"scale {sys.argv[1]}: could not read the run's status: {e}")
EOF
done
column -t -s $'\t' "$report"
