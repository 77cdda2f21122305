"""Text without a byte-order mark in UTF-16 is decoded, not refused as binary (issue #14).

ASCII text in UTF-16LE is also valid UTF-8 (every other byte NUL), so the UTF-8 attempt used to
succeed, and the NULs then made the binary check refuse the file.
"""

from __future__ import annotations

import os

import pytest

from analysis.errors import UnreadableInputError
from analysis.ingest.text import decode_bytes, ingest_text_bytes, read_text_file
from tests.cli_helpers import ROOT, one_line_error, run_cli_here

PROSE = "It was the best of times, it was the worst of times.\nIt was the age of wisdom.\n" * 20


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_ascii_utf16_without_a_bom_is_decoded(encoding):
    # before: "looks like a binary file" for utf-16-le (valid UTF-8 full of NULs)
    assert decode_bytes(PROSE.encode(encoding), "a.txt") == (PROSE, encoding)


def test_non_ascii_utf16le_without_a_bom_is_decoded():
    text = "Café au lait, naïve façade, déjà vu. " * 30
    assert decode_bytes(text.encode("utf-16-le"), "a.txt") == (text, "utf-16-le")


def test_utf16le_file_reads_as_the_same_text(tmp_path):
    p = tmp_path / "novel.txt"
    p.write_bytes(PROSE.encode("utf-16-le"))
    got = read_text_file(p)
    assert got.original == PROSE and got.encoding == "utf-16-le"
    assert ingest_text_bytes(PROSE.encode("utf-8"), "a.txt").normalised == got.normalised


def test_binary_with_nuls_is_still_refused():
    with pytest.raises(UnreadableInputError, match="looks like a binary file"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000), "x.txt")
    with pytest.raises(UnreadableInputError, match="looks like a binary file"):
        decode_bytes(b"text\x00with a stray NUL, otherwise UTF-8 " * 10, "x.txt")


def test_plain_utf8_is_unchanged():
    assert decode_bytes("Café\n".encode(), "a.txt") == ("Café\n", "utf-8")


def test_compare_accepts_a_utf16le_work(tmp_path):
    src = ROOT / "samples" / "text-regurgitation" / "source.txt"
    gen = tmp_path / "generated.txt"
    gen.write_bytes(
        (ROOT / "samples" / "text-regurgitation" / "generated.txt").read_text(encoding="utf-8").encode("utf-16-le")
    )
    r = run_cli_here("compare", str(gen), str(src))
    assert r.returncode == 0, r.stderr
    assert "verbatim" in r.stdout.lower()


def test_compare_still_refuses_a_binary_work_with_one_line(tmp_path):
    gen = tmp_path / "generated.txt"
    gen.write_bytes(b"\x00\x01\x02\x03" * 500)
    assert "looks like a binary file" in one_line_error(run_cli_here("compare", str(gen), str(gen)))
