#!/usr/bin/env bash
# Run the whole suite against the newest releases of every dependency (no lock), in a
# separate environment (.venv-latest), so drift is seen before it reaches the lock.
# Not run by CI; run it before regenerating the lock (scripts/lock.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
rm -rf .venv-latest
"$PY" -m venv .venv-latest
.venv-latest/bin/python -m pip install -q --upgrade pip >/dev/null
# torch stays at the CPU build (FAIRUSE_TORCH overrides): an eager upgrade would otherwise
# replace it with the newest torch, a multi-GB CUDA build.
TORCH=${FAIRUSE_TORCH:-2.13.0}
.venv-latest/bin/python -m pip install -q "torch==$TORCH"
keep_torch=$(mktemp)
echo "torch==$TORCH" >"$keep_torch"
.venv-latest/bin/python -m pip install -q -c "$keep_torch" --upgrade --upgrade-strategy eager -e ".[test]"
rm -f "$keep_torch"
echo "newest releases:"; .venv-latest/bin/python -m pip list --format=freeze | grep -iE '^(torch|streamlit|transformers|sentence-transformers|numpy|opencv-python-headless|pydantic|reportlab|ray|pypdf|pillow)=' || true
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv-latest/bin/python -m pytest -n auto "$@"
