#!/usr/bin/env bash
# Installs what `make demo` and `make test` need on a fresh Debian 12 machine, and nothing that is already there.
# MariaDB: the Connector/C headers for the Swift build, and a server and client that scripts/mariadb-server.sh runs
# as throwaway instances for the tests; the distribution's own mariadb service is neither started nor needed.
set -euo pipefail

need_apt=()
[ -f /usr/include/sqlite3.h ] || need_apt+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
[ -f /usr/include/mariadb/mysql.h ] || need_apt+=(libmariadb-dev)
if ! { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } ||
  ! command -v mariadb-install-db >/dev/null 2>&1; then
  need_apt+=(mariadb-server)
fi
if ! command -v mariadb >/dev/null 2>&1 || ! command -v mariadb-admin >/dev/null 2>&1; then
  need_apt+=(mariadb-client)
fi
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# The tests' caching_sha2_password login server (Tests/Servers) is a Python script.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# scripts/check-dashboard.sh drives the web dashboard in headless Chromium.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # mariadb-server's postinst would start the system service: a policy-rc.d that denies it (exit 101) keeps the
  # install from starting anything. An existing policy-rc.d is left as it is; ours is removed afterwards.
  policy=/usr/sbin/policy-rc.d
  own_policy=no
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Temporary, from scripts/ensure-deps.sh: no service starts during the install.\nexit 101\n' |
      $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    own_policy=yes
  fi
  status=0
  {
    $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  } || status=$?
  [ "$own_policy" = no ] || $sudo rm -f "$policy"
  [ "$status" -eq 0 ] || exit "$status"
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "error: no Swift toolchain found (expected swift on PATH or /opt/swift/usr/bin/swift)" >&2
  fi
  exit 1
fi
