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
