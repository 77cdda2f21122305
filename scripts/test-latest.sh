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
.venv-latest/bin/python -m pip install -q torch==2.13.0
.venv-latest/bin/python -m pip install -q --upgrade --upgrade-strategy eager -e ".[test]"
echo "newest releases:"; .venv-latest/bin/python -m pip list --format=freeze | grep -iE '^(streamlit|transformers|sentence-transformers|numpy|opencv-python-headless|pydantic|reportlab|ray)=' || true
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv-latest/bin/python -m pytest -n auto "$@"
