#!/usr/bin/env bash
# The whole Learning comparison: our isolation forest, boosted trees and ETS against scikit-learn,
# LightGBM and statsmodels on the same data in the same run. Usage: bench/ml.sh SCALE
set -euo pipefail
scale=${1:-1}
bin=.build/release/decisioning
python3 -c "import sklearn, lightgbm, statsmodels" 2>/dev/null || python3 -m pip install -q scikit-learn lightgbm statsmodels >&2
mkdir -p out/bench
file="out/bench/scale-$scale.sqlite"
if [ ! -f "$file" ]; then
  $bin generate --scale "$scale" --seed 42 --as-of 2026-11-25 --database "sqlite:$file" >&2
fi
$bin bench ml --database "sqlite:$file" --as-of 2026-11-25 --series-out out/bench/series.csv --format json > out/bench/ml-ours.json
python3 bench/ml.py "$file" out/bench/ml-ours.json out/bench/series.csv
