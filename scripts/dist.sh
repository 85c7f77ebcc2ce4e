#!/usr/bin/env bash
# The release artifact (`make dist`): builds `decisioning` in release mode with the Swift runtime linked in
# (--static-swift-stdlib) in a scratch directory of its own (.build-dist, so it never competes with .build), checks
# that the binary needs nothing beyond the runtime packages the README lists and runs without the source tree (the
# web assets are embedded), and packs
#   dist/decisioning-VERSION-linux-x86_64.tar.gz          bin/decisioning, etc/decisioning.json, systemd/..., README.md
#   dist/decisioning-VERSION-linux-x86_64.tar.gz.sha256   its SHA-256 (sha256sum -c)
# The example configuration, the systemd unit and the README come from deploy/dist/.
# SKIP_BUILD=1 packs the binary already in .build-dist (after a build that was run by hand).
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
repo=$PWD
scratch=.build-dist
arch=$(uname -m)
[ "$arch" = x86_64 ] || { echo "dist.sh: error: this artifact is built for x86_64; this machine is $arch" >&2; exit 1; }

# The libraries the binary may load: glibc's; the C++ runtime, gcc's unwinder and zlib (libstdc++6, libgcc-s1,
# zlib1g: apt depends on them, so every Debian system, debootstrap minbase and bookworm-slim included, has them);
# and the two that the runtime packages bring (libmariadb3, libsqlite3-0).
allowed_libs='^(libc|libm|libdl|libpthread|librt|libutil|libstdc\+\+|libgcc_s|libz|ld-linux-x86-64|libmariadb|libsqlite3)\.so'

bash scripts/ensure-deps.sh
command -v swift >/dev/null 2>&1 || { echo "dist.sh: error: swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "dist.sh: building decisioning (release, static Swift runtime) in $scratch; this takes 10-20 minutes on 2 cores" >&2
  swift build -c release --product decisioning --static-swift-stdlib --scratch-path "$scratch"
fi
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/decisioning"
[ -x "$bin" ] || { echo "dist.sh: error: no binary at $bin (run without SKIP_BUILD=1)" >&2; exit 1; }

# Nothing of the toolchain may be needed at run time: every NEEDED library must be in the allowed set.
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
bad=$(printf '%s\n' "$needed" | grep -Ev "$allowed_libs" || true)
if [ -n "$bad" ]; then
  echo "dist.sh: error: the binary needs libraries outside the runtime packages: $(echo "$bad" | tr '\n' ' ')" >&2
  exit 1
fi
if ldd "$bin" | grep -q 'not found'; then
  ldd "$bin" >&2
  echo "dist.sh: error: the binary has unresolved libraries" >&2
  exit 1
fi

version=$("$bin" --version | tr -d '[:space:]')
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || { echo "dist.sh: error: unexpected version string '$version'" >&2; exit 1; }
name="decisioning-$version-linux-$arch"
mkdir -p dist
stage=$(mktemp -d "${TMPDIR:-/tmp}/decisioning-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/etc" "$root/systemd"

# Debug sections off (symbols stay, so crash backtraces keep function names).
strip --strip-debug -o "$root/bin/decisioning" "$bin"
chmod 0755 "$root/bin/decisioning"
install -m 0644 deploy/dist/decisioning.json "$root/etc/decisioning.json"
install -m 0644 deploy/dist/decisioning.service "$root/systemd/decisioning.service"
install -m 0644 deploy/dist/decisioning.sysusers "$root/systemd/decisioning.sysusers"
sed "s/@VERSION@/$version/g" deploy/dist/README.md >"$root/README.md"
chmod 0644 "$root/README.md"

# The binary works away from the source tree (its assets are embedded) and accepts the example configuration.
(
  cd "$stage"
  "$root/bin/decisioning" --version >/dev/null
  work=$(mktemp -d "$stage/run.XXXXXX")
  sed "s#/var/lib/decisioning#$work#g" "$root/etc/decisioning.json" >"$work/config.json"
  "$root/bin/decisioning" init --config "$work/config.json" >/dev/null
  "$root/bin/decisioning" doctor --config "$work/config.json" >/dev/null
  rm -rf "$work"
) || { echo "dist.sh: error: the packed binary or its example configuration failed outside the source tree" >&2; exit 1; }

if command -v systemd-analyze >/dev/null 2>&1; then
  # verify needs the unit's executables where the unit says they are: check a copy that points at the staged binary.
  unit_check="$stage/decisioning.service"
  sed "s#/usr/local/bin/decisioning#$root/bin/decisioning#g" "$root/systemd/decisioning.service" >"$unit_check"
  out=$(systemd-analyze verify "$unit_check" 2>&1 || true)
  # Only findings about this unit count (on a build machine, other units may have their own complaints).
  if printf '%s\n' "$out" | grep -F "decisioning.service" | grep -v "Unit decisioning.service not found" | grep .; then
    echo "dist.sh: error: systemd-analyze verify found problems in systemd/decisioning.service" >&2
    exit 1
  fi
fi

sums=$(cd "$root" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum)
printf '%s\n' "$sums" >"$root/SHA256SUMS"
tarball="dist/$name.tar.gz"
# Reproducible archive: sorted names, root owner, the commit's time.
mtime=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" -cf - "$name" | gzip -n -9 >"$tarball"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

size=$(stat -c %s "$tarball")
bin_size=$(stat -c %s "$root/bin/decisioning")
echo "dist.sh: $repo/$tarball ($((size / 1024 / 1024)) MiB; binary $((bin_size / 1024 / 1024)) MiB), checksum in $tarball.sha256"
echo "dist.sh: needs: $(echo "$needed" | tr '\n' ' ')"
