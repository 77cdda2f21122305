"""Running the ``fairuse`` command as a user does: a real subprocess, in the repository root;
or in this process, with the same environment, folder and result, where the process is not the point."""

from __future__ import annotations

import contextlib
import io
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


def run_cli_here(*args: str, env_extra: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """``fairuse ARGS`` in this process (``analysis.cli.main``, as the console script calls it).

    The same environment, folder and result as ``run_cli`` -- exit code, and what was printed
    to stdout and stderr, each through a UTF-8 stream as a pipe would take it -- without starting
    Python, importing the libraries and loading the model again: the model stays loaded in this
    process between calls. For what a command prints, exits with and writes; tests about the
    process itself (what it imports, its start-up, signals, a terminal) use ``run_cli``.
    ``timeout`` is accepted for the same signature and not enforced."""
    from analysis.cli import main

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.pop("FAIRUSE_DEBUG", None)
    os.environ.pop("FAIRUSE_IMAGE_MODEL", None)
    os.environ.update(env_extra or {})
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True)
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors and --help, as the interpreter exits
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    stdout, stderr = (b.getvalue().decode("utf-8") for b in (out_bytes, err_bytes))
    return subprocess.CompletedProcess(["fairuse", *args], code, stdout, stderr)


def one_line_error(r: subprocess.CompletedProcess, code: int = 2) -> str:
    """Assert the promise for bad input: one 'fairuse: error:' line, the exit code, no traceback."""
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fairuse: error:"), r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    return lines[0]
