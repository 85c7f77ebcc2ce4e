#!/usr/bin/env bash
# The whole Learning comparison: our isolation forest, boosted trees and ETS against scikit-learn,
# LightGBM and statsmodels on the same data in the same run. Usage: bench/ml.sh SCALE
# Environment: BIN, the decisioning binary (default .build/release/decisioning); OUT, where the database,
# our figures and the series go (default out/bench); REPEATS, fits of the overrun model on each side,
# timed by their median (default 5); PARTS, which of anomaly,overrun,forecast to run (default all).
set -euo pipefail
scale=${1:-1}
bin=${BIN:-.build/release/decisioning}
out=${OUT:-out/bench}
repeats=${REPEATS:-5}
parts=${PARTS:-anomaly,overrun,forecast}
if [ ! -x "$bin" ]; then
  echo "bench/ml.sh: no decisioning binary at $bin; build it (make release) or set BIN" >&2
  exit 1
fi
if ! python3 -c "import numpy, sklearn, lightgbm, statsmodels" 2>/dev/null; then
  echo "installing the Python peers: numpy scikit-learn lightgbm statsmodels" >&2
  if ! python3 -m pip install -q numpy scikit-learn lightgbm statsmodels >&2; then
    echo "bench/ml.sh: pip could not install numpy, scikit-learn, lightgbm and statsmodels; install them (e.g. in a" \
      "virtualenv whose python3 is first on PATH) and run again" >&2
    exit 1
  fi
fi
mkdir -p "$out"
file="$out/scale-$scale.sqlite"
if [ ! -f "$file" ]; then
  "$bin" generate --scale "$scale" --seed 42 --as-of 2026-11-25 --database "sqlite:$file" >&2
fi
# Our figures and series go to files of this run's own (the process id) and are renamed into place whole: a failed
# run leaves nothing half-written, and two runs at once (two checkouts' `make bench-ml` into one OUT) cannot write into
# one file, which is how a JSON document can end with a fragment of a longer one ("Extra data" in ml.py).
tmp="$out/ml-ours.$$.json"
series_tmp="$out/series.$$.csv"
trap 'rm -f "$tmp" "$series_tmp"' EXIT
"$bin" bench ml --database "sqlite:$file" --as-of 2026-11-25 --series-out "$series_tmp" --repeats "$repeats" \
  --parts "$parts" --format json >"$tmp"
mv "$tmp" "$out/ml-ours.json"
if [ -f "$series_tmp" ]; then mv "$series_tmp" "$out/series.csv"; fi
python3 bench/ml.py "$file" "$out/ml-ours.json" "$out/series.csv"
