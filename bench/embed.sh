#!/usr/bin/env bash
# `make bench-embed`: `decisioning embed` (release build) against all-MiniLM-L6-v2 in Python on the same sentences, in the
# same run (bench/embed.py): sentences/s at batch 64, the ratio, and the largest difference between the vectors.
# Usage: bench/embed.sh [COUNT] [BATCH] (2000, 64). BIN=path to decisioning (default .build/release/decisioning).
# Python: NumPy, SciPy and tokenizers are installed with pip when missing (small); sentence-transformers with PyTorch is
# used when importable by $PYTHON, and TORCH=1 installs it into out/bench/embed-venv first (PyPI's torch wheel pulls
# several GB of CUDA libraries; it runs on the CPU here).
set -euo pipefail

cd "$(dirname "$0")/.."
count=${1:-2000}
batch=${2:-64}
bin=${BIN:-.build/release/decisioning}
python=${PYTHON:-python3}

bash scripts/fetch-model.sh
model_dir="${DECISIONING_MODEL_DIR:-$HOME/.cache/decisioning/models/all-MiniLM-L6-v2}"

if [ "${TORCH:-0}" = 1 ]; then
  venv=out/bench/embed-venv
  if [ ! -x "$venv/bin/python" ]; then
    echo "bench/embed.sh: installing sentence-transformers and PyTorch into $venv (several GB)" >&2
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -c 'import sentence_transformers' 2>/dev/null ||
    "$venv/bin/python" -m pip install -q --disable-pip-version-check sentence-transformers scipy tokenizers >&2
  python="$venv/bin/python"
fi
if ! "$python" -c 'import numpy, scipy, tokenizers' 2>/dev/null; then
  echo "bench/embed.sh: installing numpy, scipy and tokenizers for the Python reference" >&2
  "$python" -m pip install -q --disable-pip-version-check numpy scipy tokenizers >&2
fi
if [ ! -x "$bin" ]; then
  echo "bench/embed.sh: error: $bin is missing; run make release (or set BIN)" >&2
  exit 1
fi
"$python" bench/embed.py "$bin" "$model_dir" "$count" "$batch"
