#!/usr/bin/env bash
# A throwaway MariaDB server for the tests: everything (data, socket, pid file, log, certificates) lives under DIR.
#
#   mariadb-server.sh start DIR [--tls|--no-tls] [--buffer-pool SIZE]   create DIR, start, write DIR/env, print its path
#   mariadb-server.sh stop DIR       clean shutdown (mariadb-admin, else TERM; kill -9 after 30 s); idempotent
#   mariadb-server.sh restart DIR    stop if running, then start again with the same data, port and options
#   mariadb-server.sh kill DIR       kill -9 the server (it dies abruptly, for fault tests); idempotent
#   mariadb-server.sh freeze DIR     SIGSTOP the server: connections stay open but nothing answers (a partition)
#   mariadb-server.sh thaw DIR       SIGCONT a frozen server; stop, kill and remove thaw it first too
#   mariadb-server.sh remove DIR     stop, then rm -rf DIR
#
# The server listens on 127.0.0.1 only, on a free port picked at start, and on DIR/mysqld.sock, where root logs in
# without a password. Tests use the user `decisioning` (random password, all privileges) and the database
# `decisioning_test`; DIR/env holds them as `export` lines. Progress goes to stderr; `start` prints only the env path.
set -euo pipefail

PATH="$PATH:/usr/sbin:/sbin"
READY_TIMEOUT=60
STOP_TIMEOUT=30

log() { echo "mariadb-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

abs_dir() { # DIR made absolute (it need not exist yet)
  local dir
  case "$1" in
    /*) dir=${1%/} ;;
    *) dir=$PWD/${1%/} ;;
  esac
  if [ -z "$dir" ] || [ "$dir" = "$HOME" ]; then
    die "refusing to use '$1' as the server directory"
  fi
  printf '%s\n' "$dir"
}

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/ensure-deps.sh)"
  done
}

# The pid of the mariadbd serving DIR, or nothing. The pid is checked against the process's command line, so a
# stale pid file (after kill -9) never makes us signal an unrelated process.
server_pid() {
  local dir=$1 pid file
  for file in "$dir/mariadbd.pid" "$dir/mysqld.pid"; do
    [ -s "$file" ] || continue
    pid=$(tr -dc '0-9' <"$file")
    [ -n "$pid" ] || continue
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--datadir=$dir/data "; then
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 0
}

alive() { # pid -> 0 while the process runs (a zombie, dead but not yet reaped, does not count)
  [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

wait_gone() { # pid seconds -> 0 once the process has gone
  local pid=$1 deadline=$((SECONDS + $2))
  while alive "$pid"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  return 0
}

root_sql() { # SQL over the socket as root
  local dir=$1
  shift
  mariadb --no-defaults --protocol=socket -S "$dir/mysqld.sock" -uroot --batch --skip-column-names "$@"
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    # Nothing answers on it: a good enough sign that it is free (start retries if bind still fails).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
  die "no free TCP port found"
}

make_certificates() {
  local tls=$1
  mkdir -p "$tls"
  (
    cd "$tls"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -subj "/CN=Decisioning test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
      -keyout server-key.pem -out server.csr 2>/dev/null
    cat >server-ext.cnf <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
EOF
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 -sha256 \
      -extfile server-ext.cnf -out server-cert.pem 2>/dev/null
    rm -f server.csr ca.srl
    chmod 644 ca.pem server-cert.pem
    openssl verify -CAfile ca.pem server-cert.pem >/dev/null
  ) || die "could not create the TLS certificates in $tls"
}

# Starts DIR/command.sh's MARIADBD_COMMAND in the background, detached (its own session), and waits until root can run SELECT 1 over the
# socket. Returns 1 if mariadbd exits or does not answer within READY_TIMEOUT seconds.
launch() {
  local dir=$1 pid deadline
  rm -f "$dir/mysqld.sock" "$dir/mysqld.sock.lock" "$dir/mysqld.pid" "$dir/mariadbd.pid"
  : >>"$dir/error.log"
  local log_start
  log_start=$(wc -l <"$dir/error.log")
  # shellcheck disable=SC1091
  (
    . "$dir/command.sh"
    exec setsid nohup "${MARIADBD_COMMAND[@]}" </dev/null >>"$dir/mariadbd.out" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$dir/mariadbd.pid"
  deadline=$((SECONDS + READY_TIMEOUT))
  until root_sql "$dir" -e 'SELECT 1' >/dev/null 2>&1; do
    if ! alive "$pid"; then
      log "mariadbd exited during start; the end of $dir/error.log:"
      tail -n +"$((log_start + 1))" "$dir/error.log" | tail -n 30 >&2
      tail -n 5 "$dir/mariadbd.out" >&2 2>/dev/null || true
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "mariadbd did not answer within ${READY_TIMEOUT}s; the end of $dir/error.log:"
      tail -n 30 "$dir/error.log" >&2
      kill -9 "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
  # mariadbd's own pid file is the authority, should setsid ever have forked.
  if [ -s "$dir/mysqld.pid" ] && [ "$(tr -dc '0-9' <"$dir/mysqld.pid")" != "$pid" ]; then
    tr -dc '0-9' <"$dir/mysqld.pid" >"$dir/mariadbd.pid"
  fi
}

write_command() { # dir port tls buffer_pool
  local dir=$1 port=$2 tls=$3 pool=$4
  local mariadbd
  mariadbd=$(command -v mariadbd || true)
  [ -n "$mariadbd" ] || die "mariadbd not found (run scripts/ensure-deps.sh)"
  local cmd=(
    "$mariadbd" --no-defaults
    "--datadir=$dir/data"
    "--port=$port" --bind-address=127.0.0.1
    "--socket=$dir/mysqld.sock"
    "--pid-file=$dir/mysqld.pid"
    "--log-error=$dir/error.log"
    "--tmpdir=$dir/tmp"
    "--innodb-buffer-pool-size=$pool"
    --max-connections=300
    --local-infile=1
    --innodb-flush-log-at-trx-commit=2
    --skip-name-resolve
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
  )
  if [ "$(id -u)" -eq 0 ]; then
    cmd+=("--user=$(id -un)")
  fi
  if [ "$tls" = yes ]; then
    cmd+=("--ssl-ca=$dir/tls/ca.pem" "--ssl-cert=$dir/tls/server-cert.pem" "--ssl-key=$dir/tls/server-key.pem")
  else
    cmd+=(--skip-ssl)
  fi
  {
    printf 'MARIADBD_COMMAND=('
    printf ' %q' "${cmd[@]}"
    printf ' )\n'
  } >"$dir/command.sh"
  # The same command, one readable line.
  printf '%s\n' "${cmd[*]}" >"$dir/command"
}

cmd_start() {
  local dir="" tls=yes pool=512M
  while [ $# -gt 0 ]; do
    case "$1" in
      --tls) tls=yes ;;
      --no-tls) tls=no ;;
      --buffer-pool) [ $# -ge 2 ] || usage; pool=$2; shift ;;
      --buffer-pool=*) pool=${1#--buffer-pool=} ;;
      -*) log "unknown option $1"; usage ;;
      *) [ -z "$dir" ] || usage; dir=$1 ;;
    esac
    shift
  done
  [ -n "$dir" ] || usage
  dir=$(abs_dir "$dir")
  require mariadb mariadb-install-db openssl
  [ "${#dir}" -le 90 ] || die "DIR is too long for a Unix socket path ($dir/mysqld.sock must stay under 108 bytes)"
  if [ -n "$(server_pid "$dir")" ]; then
    die "a server is already running in $dir (stop or remove it first)"
  fi
  [ ! -e "$dir/data" ] || die "$dir/data already exists: use restart, or remove first"
  mkdir -p "$dir/tmp"

  if [ "$tls" = yes ]; then
    log "creating the CA and server certificate in $dir/tls"
    make_certificates "$dir/tls"
  fi

  log "initialising $dir/data"
  local install=(mariadb-install-db --no-defaults "--datadir=$dir/data" --auth-root-authentication-method=normal
    --skip-test-db --skip-name-resolve)
  [ "$(id -u)" -ne 0 ] || install+=("--user=$(id -un)")
  if ! "${install[@]}" >"$dir/install-db.log" 2>&1; then
    tail -n 30 "$dir/install-db.log" >&2
    die "mariadb-install-db failed (log: $dir/install-db.log)"
  fi

  # The port is free when picked, but another process may take it before mariadbd binds: retry with a new one.
  local attempt port started=no
  for attempt in 1 2 3; do
    port=$(free_port)
    write_command "$dir" "$port" "$tls" "$pool"
    log "starting mariadbd on 127.0.0.1:$port (attempt $attempt)"
    if launch "$dir"; then
      started=yes
      break
    fi
    grep -qiE "address already in use|do you already have another" "$dir/error.log" || break
  done
  [ "$started" = yes ] || die "mariadbd did not start (log: $dir/error.log)"

  local password
  password=$(openssl rand -hex 16)
  # root keeps only root@localhost, which with --skip-name-resolve is reachable over the socket alone; the
  # passwordless root@127.0.0.1, root@::1, root@HOSTNAME (and any anonymous user) go.
  root_sql "$dir" -e "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.global_priv
    WHERE (User = 'root' AND Host <> 'localhost') OR User = ''" | root_sql "$dir"
  root_sql "$dir" <<SQL
CREATE DATABASE IF NOT EXISTS decisioning_test CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER 'decisioning'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'decisioning'@'localhost' IDENTIFIED BY '$password';
CREATE USER 'decisioning'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'decisioning'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'decisioning'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'decisioning'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL

  {
    printf 'export DECISIONING_TEST_MYSQL_URL=%q\n' "mysql://decisioning@127.0.0.1:$port/decisioning_test"
    printf 'export DECISIONING_TEST_MYSQL_PASSWORD=%q\n' "$password"
    [ "$tls" != yes ] || printf 'export DECISIONING_TEST_MYSQL_CA=%q\n' "$dir/tls/ca.pem"
    printf 'export DECISIONING_TEST_MYSQL_DIR=%q\n' "$dir"
    printf 'export DECISIONING_TEST_MYSQL_PORT=%q\n' "$port"
  } >"$dir/env"
  chmod 600 "$dir/env"
  log "ready: 127.0.0.1:$port, socket $dir/mysqld.sock, TLS $tls"
  printf '%s\n' "$dir/env"
}

cmd_stop() {
  local dir pid
  dir=$(abs_dir "$1")
  pid=$(server_pid "$dir")
  if [ -z "$pid" ]; then
    rm -f "$dir/mysqld.sock" "$dir/mysqld.sock.lock"
    return 0
  fi
  log "stopping mariadbd $pid in $dir"
  kill -CONT "$pid" 2>/dev/null || true # a frozen server cannot shut down
  # A clean shutdown over the socket, or else SIGTERM (also a clean shutdown); kill -9 after STOP_TIMEOUT.
  if ! command -v mariadb-admin >/dev/null 2>&1 ||
    ! timeout "$STOP_TIMEOUT" mariadb-admin --no-defaults --protocol=socket -S "$dir/mysqld.sock" -uroot \
      --connect-timeout=5 shutdown >/dev/null 2>&1; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
    log "mariadbd $pid did not stop within ${STOP_TIMEOUT}s: kill -9"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "mariadbd $pid survived kill -9"
  fi
  rm -f "$dir/mysqld.sock" "$dir/mysqld.sock.lock" "$dir/mysqld.pid" "$dir/mariadbd.pid"
}

cmd_kill() {
  local dir pid
  dir=$(abs_dir "$1")
  pid=$(server_pid "$dir")
  [ -n "$pid" ] || return 0
  log "kill -9 mariadbd $pid in $dir"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "mariadbd $pid survived kill -9"
}

signal_server() { # DIR SIGNAL WHAT: send SIGNAL to the server in DIR
  local dir pid
  dir=$(abs_dir "$1")
  pid=$(server_pid "$dir")
  [ -n "$pid" ] || die "no server runs in $dir"
  log "$3 mariadbd $pid in $dir (SIG$2)"
  kill "-$2" "$pid"
}

cmd_freeze() { signal_server "$1" STOP freezing; }
cmd_thaw() { signal_server "$1" CONT thawing; }

cmd_restart() {
  local dir
  dir=$(abs_dir "$1")
  if [ ! -f "$dir/command.sh" ] || [ ! -d "$dir/data" ]; then
    die "no server was started in $dir"
  fi
  require mariadb
  cmd_stop "$dir"
  log "restarting mariadbd in $dir"
  launch "$dir" || die "mariadbd did not restart (log: $dir/error.log)"
  log "ready again"
}

cmd_remove() {
  local dir
  dir=$(abs_dir "$1")
  [ -e "$dir" ] || return 0
  cmd_stop "$dir"
  rm -rf "$dir"
}

[ $# -ge 2 ] || usage
sub=$1
shift
case "$sub" in
  start) cmd_start "$@" ;;
  stop | restart | kill | remove | freeze | thaw)
    [ $# -eq 1 ] || usage
    "cmd_$sub" "$1"
    ;;
  *) usage ;;
esac
