"""Running the ``fairuse`` command as a user does: a real subprocess, in the repository root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env_extra: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m analysis.cli ARGS`` with no debug switch and no image model from the caller's shell."""
    env = dict(os.environ)
    env.pop("FAIRUSE_DEBUG", None)
    env.pop("FAIRUSE_IMAGE_MODEL", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_error(r: subprocess.CompletedProcess, code: int = 2) -> str:
    """Assert the promise for bad input: one 'fairuse: error:' line, the exit code, no traceback."""
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fairuse: error:"), r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    return lines[0]
