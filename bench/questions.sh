#!/usr/bin/env bash
# The golden set of `ask` (bench/questions/golden.json) at SCALE: the share of questions read exactly as expected, the
# share answered correctly (checked against hand-written SQL run on SQLite) and p50/p99 latency once the data is loaded.
# Usage: bench/questions.sh SCALE [PASSES]   (a scale-SCALE company is generated once under out/bench/, as of the set's date)
set -euo pipefail
scale=${1:-1}
passes=${2:-5}
bin=${BIN:-.build/release/decisioning}
mkdir -p out/bench
file="out/bench/scale-$scale.sqlite"
if [ ! -f "$file" ]; then
  $bin generate --scale "$scale" --seed 42 --as-of 2026-11-25 --database "sqlite:$file" >&2
fi
$bin bench questions --database "sqlite:$file" --golden bench/questions/golden.json --passes "$passes"
