#!/usr/bin/env bash
# `make check-dist`: proves the release artifact runs on a bare Debian 12. In a fresh copy of a minimal bookworm root
# (`debootstrap --variant=minbase`) it installs exactly the runtime packages the artifact's README lists, asserts that
# no Swift toolchain or runtime is there, verifies the archive's SHA-256, unpacks it, installs it as the README says
# and, as an unprivileged user inside the root (chroot), runs
#   decisioning init / doctor / demo --scale 0.01   with the example configuration,
#   decisioning serve --listen 127.0.0.1:0          then GET /readyz must answer 200, and SIGTERM must end it with 0.
# The minimal root is cached in .build-check-dist/ (a tarball per package list), so a re-run takes seconds; from
# scratch, debootstrap downloads about 40 MB from the Debian mirror. Needs root (debootstrap, chroot, mount).
#   bash scripts/check-dist.sh [dist/decisioning-VERSION-linux-x86_64.tar.gz]   (default: the newest in dist/)
#   bash scripts/check-dist.sh prepare                                         (only build the cached roots)
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
cache="$repo/.build-check-dist"
suite=bookworm
# The host's Debian mirror when it has one (it may be the only one reachable), else Debian's CDN.
mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
# shellcheck source=scripts/serve-lib.sh
. "$repo/scripts/serve-lib.sh"

fail() {
  echo "check-dist.sh: error: $*" >&2
  exit 1
}
note() { echo "check-dist.sh: $*" >&2; }

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot and mount); run it as root or with sudo"
for tool in curl sha256sum tar; do command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing"; done
if ! command -v debootstrap >/dev/null 2>&1; then
  note "installing debootstrap"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }; then
    fail "could not install debootstrap"
  fi
fi

root=""
serve_pid=""
mounted=()
# shellcheck disable=SC2317 # (called by the EXIT trap)
cleanup() {
  local status=$? m
  trap '' INT TERM
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -KILL "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  # Unmount in reverse order; never remove the root while anything is still mounted in it.
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    m=${mounted[$i]}
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "check-dist.sh: could not unmount $m" >&2
  done
  if [ -n "$root" ] && [ -d "$root" ]; then
    if grep -qF " $root/" /proc/mounts; then
      echo "check-dist.sh: $root still has mounts; left in place" >&2
    else
      rm -rf "$root"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# base_root: sets base_tarball to the cached minbase tarball (built once). Functions that mount set globals instead of
# printing, so that they never run in a subshell: the EXIT trap must see every mount.
base_root() {
  local tarball="$cache/$suite-minbase.tar"
  if [ ! -s "$tarball" ]; then
    note "building a minimal $suite root with debootstrap from $mirror (once; cached in $tarball)"
    mkdir -p "$cache"
    local build
    build=$(mktemp -d "$cache/debootstrap.XXXXXX")
    if ! debootstrap --variant=minbase "$suite" "$build" "$mirror" >"$cache/debootstrap.log" 2>&1; then
      tail -n 20 "$cache/debootstrap.log" >&2
      rm -rf "$build"
      fail "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    tar -C "$build" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$build"
  fi
  base_tarball=$tarball
}

# mount_in ROOT: /proc and /dev for the programs in the root; the trap unmounts them.
mount_in() {
  mount -t proc proc "$1/proc" && mounted+=("$1/proc")
  mount --bind /dev "$1/dev" && mounted+=("$1/dev")
}
unmount_all() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}"; done
  mounted=()
}

# runtime_root PACKAGES...: sets runtime_tarball to the cached tarball of the minbase root plus exactly these packages.
runtime_root() {
  local key tarball build
  key=$(printf '%s\n' "$@" | LC_ALL=C sort | sha256sum | cut -c1-12)
  tarball="$cache/$suite-runtime-$key.tar"
  if [ ! -s "$tarball" ]; then
    base_root
    build=$(mktemp -d "$cache/runtime.XXXXXX")
    root=$build # so the trap unmounts and removes it if anything fails
    tar -C "$build" -xf "$base_tarball"
    cp /etc/resolv.conf "$build/etc/resolv.conf"
    mount_in "$build"
    note "installing the runtime packages into the root: $*"
    chroot "$build" apt-get update -qq >/dev/null || fail "apt-get update failed inside the root"
    DEBIAN_FRONTEND=noninteractive chroot "$build" apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
      fail "apt-get install $* failed inside the root"
    chroot "$build" apt-get clean
    unmount_all
    tar -C "$build" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$build"
    root=""
  fi
  runtime_tarball=$tarball
}

if [ "${1:-}" = prepare ]; then
  runtime_root libmariadb3 libsqlite3-0 ca-certificates
  note "cached roots ready in $cache"
  exit 0
fi

# shellcheck disable=SC2012 # (our own file names: no spaces)
artifact=${1:-$(ls -t dist/decisioning-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1 || true)}
[ -n "$artifact" ] && [ -f "$artifact" ] || fail "no artifact; run \`make dist\` first (or pass the .tar.gz)"
[ -f "$artifact.sha256" ] || fail "no checksum file $artifact.sha256 beside the artifact"
name=$(basename "$artifact" .tar.gz)
started=$(date +%s)

# The package list is read from the artifact's README, so the README's install line is what gets tested.
readme=$(tar -xzOf "$artifact" "$name/README.md") || fail "the artifact has no $name/README.md"
packages_line=$(printf '%s\n' "$readme" | grep -m1 '^apt-get install --no-install-recommends ' || true)
[ -n "$packages_line" ] || fail "the artifact's README has no 'apt-get install --no-install-recommends ...' line"
read -r -a packages <<<"${packages_line#apt-get install --no-install-recommends }"
note "runtime packages from the README: ${packages[*]}"

runtime_root "${packages[@]}"
root=$(mktemp -d "$cache/check.XXXXXX")
tar -C "$root" -xf "$runtime_tarball"
chmod 0755 "$root" # it becomes /, which the unprivileged user must traverse (mktemp made it 0700)
mount_in "$root"

# No Swift toolchain and no Swift runtime library anywhere in the root.
if chroot "$root" sh -c 'command -v swift || command -v swiftc'; then fail "a Swift toolchain is on the root's PATH"; fi
swift_files=$(find "$root" -xdev \( -name 'libswift*' -o -name swift -o -name swiftc -o -name 'swift-*' \
  -o -name '*.swiftmodule' -o -path '*/lib/swift' \) -print | head -n 5)
[ -z "$swift_files" ] || fail "Swift files in the bare root: $swift_files"
# shellcheck disable=SC2016 # (a dpkg-query format, not a shell expansion)
if chroot "$root" dpkg-query -W -f '${Package}\n' | grep -Ex '(swift.*|clang.*|llvm.*|gcc|gcc-[0-9]+|cpp|cpp-[0-9]+|g\+\+.*|binutils.*|libc6-dev)'; then
  fail "build tools are installed in the bare root"
fi

# Checksum inside the root, with the root's own sha256sum, then unpack and install as the README says.
mkdir -p "$root/root/release"
cp "$artifact" "$artifact.sha256" "$root/root/release/"
chroot "$root" sh -c "cd /root/release && sha256sum -c $name.tar.gz.sha256" >/dev/null || fail "checksum mismatch"
chroot "$root" sh -ec "cd /root/release && tar -xzf $name.tar.gz && cd $name && sha256sum -c --quiet SHA256SUMS &&
  install -m 0755 bin/decisioning /usr/local/bin/decisioning &&
  install -d -m 0755 /etc/decisioning && install -m 0644 etc/decisioning.json /etc/decisioning/decisioning.json" ||
  fail "could not unpack or install the artifact inside the root"
chroot "$root" sh -ec 'useradd --system --home-dir /var/lib/decisioning --shell /usr/sbin/nologin decisioning &&
  install -d -m 0750 -o decisioning -g decisioning /var/lib/decisioning'

config=/etc/decisioning/decisioning.json
as_user() { chroot --userspec=decisioning:decisioning "$root" env HOME=/var/lib/decisioning "$@"; }
as_user sh -c 'cd /var/lib/decisioning' || fail "the service user cannot enter its state directory"
if ldd_out=$(chroot "$root" ldd /usr/local/bin/decisioning 2>&1) && printf '%s\n' "$ldd_out" | grep -q 'not found'; then
  printf '%s\n' "$ldd_out" >&2
  fail "the binary misses libraries in the bare root"
fi

t0=$(date +%s)
as_user /usr/local/bin/decisioning init --config "$config" >/dev/null || fail "decisioning init failed in the bare root"
as_user /usr/local/bin/decisioning doctor --config "$config" >/dev/null || fail "decisioning doctor failed in the bare root"
demo_log="$root/var/lib/decisioning/demo.log"
# GNU time, when the host has it, measures the demo's peak memory (chroot execs the command: same process).
timing=()
[ ! -x /usr/bin/time ] || timing=(/usr/bin/time -f '%M' -o "$root/var/lib/decisioning/demo.rss")
if ! "${timing[@]}" chroot --userspec=decisioning:decisioning "$root" env HOME=/var/lib/decisioning \
  /usr/local/bin/decisioning demo --config "$config" --scale 0.01 --seed 42 --as-of 2026-11-25 >"$demo_log" 2>&1; then
  tail -n 30 "$demo_log" >&2
  fail "decisioning demo failed in the bare root"
fi
grep -q . "$demo_log" || fail "decisioning demo printed nothing"
results=$(find "$root/var/lib/decisioning/out" -name results.json | head -n 1)
[ -n "$results" ] || fail "decisioning demo wrote no results.json under /var/lib/decisioning/out"
rss=""
[ ! -s "$root/var/lib/decisioning/demo.rss" ] || rss=", peak RSS $(($(tail -n 1 "$root/var/lib/decisioning/demo.rss") / 1024)) MiB"
note "init, doctor and demo (scale 0.01) ran in $(($(date +%s) - t0)) s$rss"

serve_log="$root/var/lib/decisioning/serve.log"
# chroot execs env, which execs decisioning: $! is the server itself.
chroot --userspec=decisioning:decisioning "$root" env HOME=/var/lib/decisioning \
  /usr/local/bin/decisioning serve --config "$config" --listen 127.0.0.1:0 2>"$serve_log" >/dev/null &
serve_pid=$!
url=$(serve_url "$serve_log" "$serve_pid") || fail "decisioning serve did not start in the bare root"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/readyz" || true)
[ "$code" = 200 ] || { cat "$serve_log" >&2; fail "GET $url/readyz answered ${code:-nothing}, expected 200"; }
# The OpenAPI document and the dashboard's stylesheet are compiled into the binary (no file in the root has them).
for path in /openapi.json /assets/web.css; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url$path" || true)
  [ "$code" = 200 ] || fail "GET $url$path answered ${code:-nothing}, expected 200"
done
kill -TERM "$serve_pid"
status=0
wait "$serve_pid" || status=$?
serve_pid=""
[ "$status" -eq 0 ] || { cat "$serve_log" >&2; fail "decisioning serve exited with $status after SIGTERM, expected 0"; }
note "serve: $url/readyz 200, SIGTERM -> exit 0"

unmount_all
note "ok: $artifact runs on a bare $suite root with only ${packages[*]} ($(($(date +%s) - started)) s)"
