#!/usr/bin/env bash
# `make bench-vectors`: our vector search (`decisioning vectors`) against hnswlib and FAISS on the same data in the
# same run (bench/vectors.py says how). Environment: BIN, the decisioning binary (default .build/release/decisioning);
# N, base rows (default 1000000); QUERIES (default 10000); EXACT_QUERIES, the queries the exact searches are timed on
# (default 1000); EFS, the ef sweep (default 10,16,24,32,48,64,96,128,192,256,384,512); VECTORS_EXTRA, a second base
# (.npy, e.g. 384-dimension text embeddings; default: the event notes of a scale-1 company, NOTES=0 for none) compared
# the same way with held-out rows as queries; OUT (default out/bench).
set -euo pipefail
bin=${BIN:-.build/release/decisioning}
out=${OUT:-out/bench}
if [ ! -x "$bin" ]; then
  echo "bench/vectors.sh: no decisioning binary at $bin; build it (make release) or set BIN" >&2
  exit 1
fi
# hnswlib is built from its sdist: it needs a C++ compiler and Python's headers (pybind11 comes from pip).
need_apt=()
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
[ -x /usr/bin/time ] || need_apt+=(time)  # peak RSS of our process
python3 -c "import sysconfig, os, sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')) else 1)" ||
  need_apt+=(python3-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if ! python3 -c "import numpy, faiss, hnswlib" 2>/dev/null; then
  echo "installing the Python peers: numpy faiss-cpu pybind11 hnswlib" >&2
  if ! python3 -m pip install -q numpy faiss-cpu pybind11 >&2 || ! python3 -m pip install -q hnswlib >&2; then
    echo "bench/vectors.sh: pip could not install numpy, faiss-cpu and hnswlib; install them (e.g. in a virtualenv whose" \
      "python3 is first on PATH) and run again" >&2
    exit 1
  fi
fi
mkdir -p "$out/vectors"
# The second dataset the issue names: the event-note embeddings of a scale-1 company (384 dimensions), unless
# VECTORS_EXTRA names another file or NOTES=0. The company is generated once (out/bench/notes-scale-1.sqlite) and
# its notes embedded by `decisioning embeddings refresh --notes` (all-MiniLM-L6-v2 from scripts/fetch-model.sh; the
# first time, some minutes); the distinct vectors go to out/bench/vectors/notes-384.npy.
if [ -z "${VECTORS_EXTRA:-}" ] && [ "${NOTES:-1}" != 0 ]; then
  bash scripts/fetch-model.sh
  notes_db="$out/notes-scale-1.sqlite"
  if [ ! -f "$notes_db" ]; then
    "$bin" generate --scale 1 --seed 42 --as-of 2026-11-25 --database "sqlite:$notes_db" >&2
  fi
  "$bin" embeddings refresh --notes --as-of 2026-11-25 --database "sqlite:$notes_db" >&2
  python3 - "$notes_db" "$out/vectors/notes-384.npy" <<'PY'
import sqlite3, sys
import numpy as np
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT embedding_vector FROM business_embeddings WHERE entity_type = 'EVENT' ORDER BY entity_id").fetchall()
# Distinct vectors in the notes' own order (by event id): np.unique alone would sort them, and an index built over
# sorted rows, with its queries all from the sorted end, measures one corner of the space.
matrix = np.stack([np.frombuffer(r[0], dtype="<f4") for r in rows])
_, first = np.unique(matrix, axis=0, return_index=True)
vectors = matrix[np.sort(first)]
np.save(sys.argv[2], vectors.astype("<f4"))
print(f"notes: {len(rows)} note vectors, {len(vectors)} distinct, {vectors.shape[1]} dimensions", file=sys.stderr)
PY
  export VECTORS_EXTRA="$out/vectors/notes-384.npy"
fi
echo "machine: $(nproc) cores; $(uptime)"
python3 bench/vectors.py "$bin" "$out"
