#!/usr/bin/env bash
# Create .venv and install fairuse into it (editable) from the lock, with the test tools when asked.
#
#   bash scripts/setup.sh          the app and the library
#   bash scripts/setup.sh --test   the same plus the test, lint and type-check tools
#
# Versions come from requirements/lock.txt (a pip constraints file; regenerate it with
# scripts/lock.sh), so a fresh machine gets exactly what CI tested. The package's own
# requirements stay ranges. torch: the CPU build 2.13.0 is installed first where no torch is
# present; a GPU user's existing CUDA build is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LOCK=${FAIRUSE_LOCK:-requirements/lock.txt}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q torch==2.13.0
fi
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
constraints=()
[ -n "$LOCK" ] && constraints=(-c "$LOCK")
.venv/bin/python -m pip install -q "${constraints[@]}" -e ".${extras}"
