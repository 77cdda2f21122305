#!/usr/bin/env bash
# Set up (from the lock) and run the whole test suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# Real-browser tests drive Debian's Chromium; PDFs are rendered with poppler's pdftoppm.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
  else
    echo "note: chromium or pdftoppm missing and not root: browser and rendering tests will be skipped"
  fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# In parallel, one worker per core (pytest-xdist); tests that start servers use free ports.
exec .venv/bin/python -m pytest -n auto "$@"
