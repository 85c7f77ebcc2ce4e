#!/usr/bin/env bash
# Checks `decisioning serve` against its own OpenAPI document with schemathesis (PyPI): every operation is
# called with generated valid and invalid requests (and stateful sequences: start a run, follow it, cancel it),
# and every response must be documented, conform to its schema, and never be a 5xx. Used by scripts/test.sh.
# Usage: bash scripts/check-api.sh [BIN]   (BIN: the decisioning binary, default .build/debug/decisioning)
set -euo pipefail
. "$(dirname "$0")/serve-lib.sh"
bin=${1:-.build/debug/decisioning}
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install -q --disable-pip-version-check schemathesis >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/decisioning-api.XXXXXX")
server=""
cleanup() {
  [ -z "$server" ] || kill -TERM "$server" 2>/dev/null || true
  [ -z "$server" ] || wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite:$work/api.sqlite"
"$bin" generate --database "$db" --scale 0.02 --seed 7 --as-of 2026-11-25 >/dev/null
key=$("$bin" keys create --database "$db" --role admin --name schemathesis 2>/dev/null | tail -1)
"$bin" serve --database "$db" --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
url=$(serve_url "$work/serve.log" "$server")
# The API's operations only: the dashboard's pages (also in the document) answer a browser without a session with a
# redirect to the sign-in form before they look at their parameters, which schemathesis reads as accepting invalid
# input; scripts/check-dashboard.sh checks them in a real browser instead.
# positive_data_acceptance is left out: it expects every schema-valid value to be accepted, and some are refused
# for what a schema cannot say (a cursor this server never gave, a CSV body whose header names no column).
schemathesis run "$url/openapi.json" -H "Authorization: Bearer $key" \
  --include-path-regex '^/(api/|healthz|readyz|metrics|openapi)' --checks all --exclude-checks positive_data_acceptance --max-examples 25 --generation-deterministic \
  --request-timeout 60 --no-color
