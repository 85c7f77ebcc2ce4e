#!/usr/bin/env bash
# `make bench-serve`: `decisioning serve` under wrk (Debian's) on a generated company of SCALE (default 1).
# 64 connections for DURATION seconds (default 30) each on:
#   GET /healthz                                   the ceiling: a route that answers a constant, no database
#   GET /api/v1/decisions?run=latest               cached reads of a finished run
#   GET /api/v1/analyses/industry-performance      an analysis (cached for service.analysis_fresh_seconds, 30 s by
#                                                  default, then served while one computation replaces it)
# first idle, then while runs are in progress (a loop starts one run after another), with requests/s and
# p50/p99 latency, and the ratio of each to the ceiling measured in the same run. Then RUNS runs (default 100)
# one after another: the server's thread count and RSS before them, every 25 runs and after them, with the requests
# served so far.
# Usage: [BIN=.build/release/decisioning] [DURATION=30] [RUNS=100] bash bench/serve.sh [SCALE] [SEED]
set -euo pipefail
. "$(dirname "$0")/../scripts/serve-lib.sh"
scale=${1:-1}; seed=${2:-42}
bin=${BIN:-.build/release/decisioning}
duration=${DURATION:-30}
runs=${RUNS:-100}
[ -x "$bin" ] || { echo "error: no binary at $bin; run 'make release' or set BIN" >&2; exit 1; }
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
dir=$(mktemp -d)
server=""; loop=""
cleanup() {
  [ -z "$loop" ] || kill "$loop" 2>/dev/null || true
  [ -z "$server" ] || { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$dir"
}
trap cleanup EXIT
db="sqlite:$dir/serve.sqlite"
echo "generating scale $scale (seed $seed)…" >&2
"$bin" generate --database "$db" --scale "$scale" --seed "$seed" --as-of 2026-11-25 >/dev/null
key=$("$bin" keys create --database "$db" --role analyst --name bench 2>/dev/null | tail -1)
runner=$("$bin" keys create --database "$db" --role analyst --name runner 2>/dev/null | tail -1)
# The rate limit is for people; the benchmark's loads would hit it.
echo '{"service": {"rate_limit_per_minute": 1000000}}' >"$dir/config.json"
"$bin" serve --config "$dir/config.json" --database "$db" --listen 127.0.0.1:0 2>"$dir/serve.log" &
server=$!
base=$(serve_url "$dir/serve.log" "$server")
auth="Authorization: Bearer $key"

echo "warming up: one run…" >&2
serve_run "$base" "$runner"
curl -sf -H "$auth" "$base/api/v1/analyses/industry-performance?as_of=2026-11-25" >/dev/null

# One wrk measurement: prints "requests/s p50_ms p99_ms".
measure() {
  local out
  out=$(wrk -t2 -c64 -d"${duration}s" --latency -H "$auth" "$1")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$rps $(ms "$p50") $(ms "$p99") ${errors:-0}"
}
# wrk prints latencies as 1.23ms, 456.00us or 1.02s: in milliseconds.
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v } else { sub(/s$/, "", v); printf "%.3f", v * 1000 } }'; }

routes=("/healthz" "/api/v1/decisions?run=latest" "/api/v1/analyses/industry-performance?as_of=2026-11-25")
names=("ceiling (/healthz)" "decisions?run=latest" "analyses/industry-performance")
echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); scale $scale; wrk -t2 -c64 -d${duration}s"
printf "%-32s %-8s %12s %9s %9s %8s %9s\n" route phase "requests/s" "p50 ms" "p99 ms" "non-2xx" "/ceiling"
for phase in idle "during runs"; do
  if [ "$phase" = "during runs" ]; then
    ( while true; do serve_run "$base" "$runner"; done ) &
    loop=$!
    sleep 0.5
  fi
  ceiling=""
  for i in "${!routes[@]}"; do
    read -r rps p50 p99 errors < <(measure "$base${routes[$i]}")
    [ -n "$ceiling" ] || ceiling=$rps
    printf "%-32s %-8s %12s %9s %9s %8s %9s\n" "${names[$i]}" "${phase%% *}" "$rps" "$p50" "$p99" "$errors" \
      "$(awk -v a="$rps" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')"
  done
  if [ -n "$loop" ]; then kill "$loop" 2>/dev/null || true; wait "$loop" 2>/dev/null || true; loop=""; fi
done
during=$(curl -sf -H "$auth" "$base/api/v1/runs?limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"]))')
echo "runs stored so far: $during"

echo "before $runs runs: $(serve_size "$server"), $(serve_requests "$base") requests served"
start=$(date +%s)
for i in $(seq 1 "$runs"); do
  serve_run "$base" "$runner"
  if [ $((i % 25)) -eq 0 ] && [ "$i" -lt "$runs" ]; then
    echo "after $i runs ($(( $(date +%s) - start )) s): $(serve_size "$server"), $(serve_requests "$base") requests served"
  fi
done
echo "after $runs runs ($(( $(date +%s) - start )) s): $(serve_size "$server"), $(serve_requests "$base") requests served"
