#!/usr/bin/env bash
# The web dashboard in headless Chromium (Debian's chromium): generates a small company, records two
# runs with the CLI, starts `decisioning serve` on a free port, creates an analyst key, then
# scripts/check-dashboard.py signs in, clicks "Run now", follows the live progress until it reads
# "finished", opens the dashboard, a decision, the alerts and the ask page (ask.png), does it again with scripts off (the progress page then
# reloads itself), and takes a screenshot of each page. About 30 s.
#
#   bash scripts/check-dashboard.sh [SCREENSHOT_DIR]     (default: a new temporary directory)
#
# BIN picks the binary (default: .build/debug/decisioning; build it first).
set -euo pipefail
. "$(dirname "$0")/serve-lib.sh"

cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/decisioning}
[ -x "$BIN" ] || { echo "check-dashboard: no $BIN; build it (swift build) or set BIN" >&2; exit 1; }
command -v chromium >/dev/null 2>&1 || { echo "check-dashboard: no chromium; run scripts/ensure-deps.sh" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-dashboard.XXXXXX")
out=${1:-$work/screens}
server=""
cleanup() {
  local status=$?
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/serve.log" ]; then
    echo "check-dashboard: the server's log:" >&2
    tail -n 40 "$work/serve.log" >&2
  fi
  # The database and the CLI runs' files go; the screenshots (and the server's log, on failure) stay.
  rm -rf "$work/out" "$work/check.sqlite" "$work/check.sqlite-wal" "$work/check.sqlite-shm" "$work/check.truth.json"
  if [ "$status" -eq 0 ] && [ "$out" != "$work/screens" ]; then rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT

db="sqlite:$work/check.sqlite"
"$BIN" generate --database "$db" --scale 0.02 --seed 7 --as-of 2026-11-25 >/dev/null
for day in 2026-09-30 2026-10-31; do
  "$BIN" run --database "$db" --as-of "$day" --out "$work/out" >/dev/null
done
key=$("$BIN" keys create --database "$db" --role analyst --name check-dashboard | tail -n 1)
viewer_key=$("$BIN" keys create --database "$db" --role viewer --name check-dashboard-viewer | tail -n 1)

"$BIN" serve --database "$db" --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
url=$(serve_url "$work/serve.log" "$server")

DASHBOARD_URL="$url" DASHBOARD_KEY="$key" DASHBOARD_VIEWER_KEY="$viewer_key" DASHBOARD_AS_OF=2026-11-25 DASHBOARD_OUT="$out" python3 scripts/check-dashboard.py
