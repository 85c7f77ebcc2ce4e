#!/usr/bin/env bash
# The server's size across runs under HTTP load: `decisioning serve` on a generated company of SCALE (default 1),
# two wrk loops (16 connections each: an analysis and the latest run's decisions) for the whole measurement, and
# RUNS runs (default 30) one after another; every 5 runs, the server's threads and resident size.
# Usage: [BIN=.build/release/decisioning] [RUNS=30] [LOAD=1] bash bench/serve-rss.sh [SCALE] [SEED]
# LOAD=0 measures the runs alone. A soak, not a speed benchmark: a run at scale 1 takes about a minute under the load.
set -euo pipefail
. "$(dirname "$0")/../scripts/serve-lib.sh"
scale=${1:-1}; seed=${2:-42}
bin=${BIN:-.build/release/decisioning}
runs=${RUNS:-30}
load=${LOAD:-1}
[ -x "$bin" ] || { echo "error: no binary at $bin; run 'make release' or set BIN" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || { echo "error: no wrk; apt-get install wrk (make bench-serve installs it)" >&2; exit 1; }
dir=$(mktemp -d)
server=""
cleanup() {
  pkill -P $$ wrk 2>/dev/null || true
  [ -z "$server" ] || { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$dir"
}
trap cleanup EXIT
db="sqlite:$dir/rss.sqlite"
echo "generating scale $scale (seed $seed)…" >&2
"$bin" generate --database "$db" --scale "$scale" --seed "$seed" --as-of 2026-11-25 >/dev/null
runner=$("$bin" keys create --database "$db" --role analyst --name runner 2>/dev/null | tail -1)
reader=$("$bin" keys create --database "$db" --role viewer --name reader 2>/dev/null | tail -1)
# The rate limit is for people; the load would hit it.
echo '{"service": {"rate_limit_per_minute": 1000000}}' >"$dir/config.json"
"$bin" serve --config "$dir/config.json" --database "$db" --listen 127.0.0.1:0 2>"$dir/serve.log" &
server=$!
base=$(serve_url "$dir/serve.log" "$server")


serve_run "$base" "$runner"
if [ "$load" = 1 ]; then
  wrk -t1 -c16 -d86400s -H "Authorization: Bearer $reader" "$base/api/v1/analyses/industry-performance?as_of=2026-11-25" >/dev/null 2>&1 &
  wrk -t1 -c16 -d86400s -H "Authorization: Bearer $reader" "$base/api/v1/decisions?run=latest" >/dev/null 2>&1 &
fi
echo "machine: $(nproc) cores; scale $scale; load during runs: $([ "$load" = 1 ] && echo "2 × wrk -c16" || echo none)"
echo "after 1 run: $(serve_size "$server")"
start=$(date +%s)
for i in $(seq 1 "$runs"); do
  serve_run "$base" "$runner"
  if [ $((i % 5)) -eq 0 ]; then echo "after $((i + 1)) runs ($(( $(date +%s) - start )) s): $(serve_size "$server"), $(serve_requests "$base") requests served"; fi
done
