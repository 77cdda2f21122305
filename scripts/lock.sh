#!/usr/bin/env bash
# Regenerate requirements/lock.txt: the exact versions that setup.sh and CI install.
#
# The package's own requirements (pyproject.toml) stay ranges; this lock is a pip
# constraints file resolved from them in a throw-away virtual environment, newest releases
# first, with every extra the app, the tests and the cluster path use. Run it after changing
# a dependency, then run the suite (bash scripts/test.sh) and commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
# The CPU build of torch (a plain `torch` would pull the multi-GB CUDA build).
"$tmp/venv/bin/python" -m pip install -q torch==2.13.0
"$tmp/venv/bin/python" -m pip install -q ".[test]"
{
  echo "# Exact versions for setup.sh and CI (pip constraints file). Regenerate with: bash scripts/lock.sh"
  echo "# Resolved $(date -u +%Y-%m-%d) on Python $("$tmp/venv/bin/python" -c 'import sys; print(".".join(map(str, sys.version_info[:2])))'), $(uname -m)."
  # torch is not locked here: setup.sh installs torch==2.13.0 (CPU) where none is present and
  # keeps a GPU user's own CUDA build; the package's range (pyproject.toml) accepts both.
  "$tmp/venv/bin/python" -m pip freeze --exclude fairuse --exclude torch | grep -v '^-e ' | LC_ALL=C sort -f
} > requirements/lock.txt
echo "wrote requirements/lock.txt ($(grep -vc '^#' requirements/lock.txt) packages)"
