"""Output files that cannot be written give one line and exit 2, before any long work."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.output import check_writable, write_output
from tests.cli_helpers import ROOT, one_line_error, run_cli_here

SAMPLE = ROOT / "samples" / "image-pasted-region"


@pytest.mark.parametrize(
    "args",
    [
        ("compare", str(SAMPLE / "generated.jpg"), str(SAMPLE / "source.jpg"), "--json", "/nonexistent-dir/x.json"),
        ("assess", str(ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml"), "--json", "/nonexistent-dir/a.json"),
        ("memo", str(ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml"), "-o", "/nonexistent-dir/m.pdf"),
    ],
)
def test_unwritable_output_is_one_line_and_exit_2(args):
    line = one_line_error(run_cli_here(*args))
    assert "cannot write /nonexistent-dir/" in line


def test_write_output_refuses_a_folder_and_writes_text_and_bytes(tmp_path):
    with pytest.raises(InputError, match="it is a folder"):
        check_writable(tmp_path)
    write_output(tmp_path / "a.txt", "§ café")
    write_output(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "§ café"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
