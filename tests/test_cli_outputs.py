"""Output files that cannot be written give one line and exit 2, before any long work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.output import check_writable, write_output
from analysis.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "image-pasted-region"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize(
    "args",
    [
        ("compare", str(SAMPLE / "generated.jpg"), str(SAMPLE / "source.jpg"), "--json", "/nonexistent-dir/x.json"),
        ("assess", str(ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml"), "--json", "/nonexistent-dir/a.json"),
        ("memo", str(ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml"), "-o", "/nonexistent-dir/m.pdf"),
    ],
)
def test_unwritable_output_is_one_line_and_exit_2(args):
    r = _run(*args)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "cannot write /nonexistent-dir/" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_write_output_refuses_a_folder_and_writes_text_and_bytes(tmp_path):
    with pytest.raises(InputError, match="it is a folder"):
        check_writable(tmp_path)
    write_output(tmp_path / "a.txt", "§ café")
    write_output(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "§ café"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
