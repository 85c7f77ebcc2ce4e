#!/usr/bin/env bash
# Installs what `make demo` and `make test` need on a fresh Debian 12 machine, and nothing that is already there.
set -euo pipefail

need_apt=()
[ -f /usr/include/sqlite3.h ] || need_apt+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "error: no Swift toolchain found (expected swift on PATH or /opt/swift/usr/bin/swift)" >&2
  fi
  exit 1
fi
