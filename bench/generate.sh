#!/usr/bin/env bash
# Times `decisioning generate` into a fresh SQLite file. Usage: bench/generate.sh [SCALE] [SEED]
set -euo pipefail
scale=${1:-1}; seed=${2:-42}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=.build/release/decisioning
echo "generate --scale $scale --seed $seed into $dir/bench.sqlite"
$bin generate --scale "$scale" --seed "$seed" --as-of 2026-11-25 --database "sqlite:$dir/bench.sqlite"
