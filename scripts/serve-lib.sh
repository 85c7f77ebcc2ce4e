# Sourced by the scripts that start `decisioning serve` (check-api.sh, check-dashboard.sh, bench/serve.sh).

# serve_url LOG PID: waits (up to 30 s) until the server started as PID, whose standard error goes to LOG, says where
# it listens; prints that URL (http://HOST:PORT). Fails, showing the log, when the server stops or says nothing.
serve_url() {
  local log=$1 pid=$2 url=""
  for _ in $(seq 1 300); do
    url=$(sed -n 's/^decisioning serve: listening on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && { echo "$url"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  echo "decisioning serve did not say where it listens" >&2
  return 1
}

# serve_run BASE KEY: starts a run as of 2026-11-25 on the server at BASE with the analyst KEY and waits for its end
# (following its events); retries while another run is in progress; prints nothing. For the benchmarks.
serve_run() {
  local base=$1 key=$2 id=""
  while [ -z "$id" ]; do
    id=$(curl -s -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"as_of":"2026-11-25"}' \
      "$base/api/v1/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("id", ""))' 2>/dev/null || true)
    [ -n "$id" ] || sleep 0.2
  done
  curl -s -N -H "Authorization: Bearer $key" "$base/api/v1/runs/$id/events" >/dev/null || true
}

# serve_size PID: "threads T, RSS R MiB" of the process PID.
serve_size() {
  awk '/^Threads:/ {t=$2} /^VmRSS:/ {r=$2} END { printf "threads %d, RSS %.0f MiB", t, r / 1024 }' "/proc/$1/status"
}

# serve_requests BASE: how many HTTP requests the server at BASE has answered (its /metrics).
serve_requests() {
  curl -sf "$1/metrics" | awk '/^hb_requests\{/ {s += $2} END { printf "%d", s }'
}
