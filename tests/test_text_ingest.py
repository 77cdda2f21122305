"""Ingestion of texts: formats, encodings, normalisation with its offset map, bad input."""

from __future__ import annotations

import io
import os
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import (
    EmptyInputError,
    FileTooLargeError,
    InputError,
    MissingInputError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from analysis.evidence import sha256_bytes
from analysis.ingest.text import ingest_pasted_text, ingest_text_bytes, read_text_file
from analysis.ingest.text_normalise import normalise_text

PASSAGE = "It was the best of times, it was the worst of times, it was the age of wisdom."


# --------------------------------------------------------------------------- encodings
def test_utf8_plain(tmp_path):
    p = tmp_path / "a.txt"
    data = "Café — “quoted” text.\n".encode()
    p.write_bytes(data)
    t = read_text_file(p)
    assert t.original == "Café — “quoted” text.\n"
    assert t.normalised == 'Café - "quoted" text.'
    assert t.encoding == "utf-8"
    assert t.sha256 == sha256_bytes(data) and t.bytes == len(data)
    assert t.media_type == "text/plain"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec):
    text = "Naïve café owners said “hello” twice."
    data = text.encode(codec)
    if codec != "utf-16":  # no BOM: detected from the NUL pattern
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    t = ingest_text_bytes(data, "u.txt")
    assert t.original == text
    assert t.encoding is not None and t.encoding.startswith("utf-16")


def test_legacy_single_byte_cp1252():
    text = ("Le garçon était très âgé; il écrivit « voilà » à sa sœur. " * 20).strip()
    t = ingest_text_bytes(text.encode("cp1252"), "latin.txt")
    assert "garçon" in t.original and "sœur" in t.original
    assert t.encoding and "utf" not in t.encoding.lower()


def test_latin1():
    text = ("Señor Muñoz visitó la ciudad de Córdoba en el año pasado, según él. " * 20).strip()
    t = ingest_text_bytes(text.encode("latin-1"), "spanish.txt")
    assert "Señor Muñoz" in t.original


# --------------------------------------------------------------------------- formats
def test_markdown_media_type():
    t = ingest_text_bytes(b"# Title\n\nSome *markdown* text here.", "notes.md")
    assert t.media_type == "text/markdown"


def test_html_visible_text_only():
    html = b"""<!doctype html><html><head><title>T</title><style>p{color:red}</style>
    <script>var secret = 'do not read me';</script></head>
    <body><h1>Heading</h1><p>It was the best of times,<br>it was the worst of times.</p>
    <p>Second&nbsp;paragraph &ldquo;quoted&rdquo;.</p></body></html>"""
    t = ingest_text_bytes(html, "page.html")
    assert "secret" not in t.original and "color" not in t.original
    assert "It was the best of times" in t.normalised
    assert '"quoted"' in t.normalised
    assert t.media_type == "text/html"


def test_docx_paragraphs(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(PASSAGE)
    d.add_paragraph("A second paragraph with “curly quotes”.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "cell one"
    table.rows[0].cells[1].text = "cell two"
    p = tmp_path / "w.docx"
    d.save(p)
    t = read_text_file(p)
    assert PASSAGE in t.original
    assert "cell two" in t.original
    assert '"curly quotes"' in t.normalised
    assert t.media_type.endswith("wordprocessingml.document")


def _pdf_bytes(lines: list[str] | None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if lines:
        y = 800
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
    else:
        c.rect(100, 100, 300, 300, fill=1)  # a picture, no text: like a scan
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_text_layer(tmp_path):
    p = tmp_path / "doc.pdf"
    p.write_bytes(_pdf_bytes(["It was the best of times, it was the worst of", "times, it was the age of wisdom."]))
    t = read_text_file(p)
    assert t.media_type == "application/pdf"
    assert t.detail["pages"] == "1"
    assert "it was the worst of times" in " ".join(t.normalised.split()).lower()


def test_pdf_without_text_layer_says_so(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(_pdf_bytes(None))
    with pytest.raises(UnsupportedFormatError, match="no text layer.*OCR"):
        read_text_file(p)


def test_corrupt_pdf(tmp_path):
    p = tmp_path / "bad.pdf"
    p.write_bytes(b"%PDF-1.4\n" + os.urandom(400))
    with pytest.raises(InputError):
        read_text_file(p)


def test_corrupt_docx(tmp_path):
    p = tmp_path / "bad.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableInputError, match="not a readable .docx") as err:
        read_text_file(p)
    assert "BadZipFile" not in str(err.value) and "damaged" in str(err.value)  # words, not a class name


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", b"... --- !!!"])
def test_empty_or_whitespace(data):
    with pytest.raises(EmptyInputError):
        ingest_text_bytes(data, "empty.txt")


def test_empty_pasted_text():
    with pytest.raises(EmptyInputError):
        ingest_pasted_text("   \n ")


def test_binary_given_as_text():
    png_like = b"\x89PNG\r\n\x1a\n" + zlib.compress(os.urandom(2000))
    with pytest.raises(UnreadableInputError, match="binary"):
        ingest_text_bytes(png_like, "picture.txt")


def test_undecodable_bytes():
    # control bytes and invalid UTF-8 mixed: no encoding explains them as text
    data = bytes(range(0, 32)) * 20 + b"\xff\xfe\xfd" * 10
    with pytest.raises(UnreadableInputError):
        ingest_text_bytes(data[2:], "noise.txt")


def test_size_limit_env(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000)
    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "1000")
    with pytest.raises(FileTooLargeError, match="limit"):
        read_text_file(p)
    with pytest.raises(FileTooLargeError):
        ingest_pasted_text("word " * 1000)
    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "lots")
    with pytest.raises(InputError, match="FAIRUSE_MAX_FILE_BYTES"):
        read_text_file(p)


def test_missing_path_and_folder(tmp_path):
    with pytest.raises(MissingInputError):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_text_file(tmp_path)


# --------------------------------------------------------------------------- normalisation
def test_normalisation_rules():
    original = "  The \ufb01ne\u00a0cat\u2014said \u2018hi\u2019 and left.\n\n\nNext   para-\ngraph, a Well-\nKnown fact\u00ad.  "
    norm, _ = normalise_text(original)
    assert norm == "The fine cat-said 'hi' and left.\n\nNext paragraph, a Well-Known fact."


def test_offset_map_points_at_original_words():
    original = "“Exam-\nple” is a ﬁne, cafe\u0301   word."
    t = ingest_pasted_text(original)
    import re

    for m in re.finditer(r"[^\W_]+", t.normalised):
        a, b = t.to_original(*m.span())
        assert 0 <= a <= b <= len(original)
        assert normalise_text(original[a:b])[0].replace("-", "") == m.group().replace("-", "")


_TEXT_CHARS = st.sampled_from(
    [*list("abcdefgh ABC.,;'\"\n\t-"), "—", "“", "”", "’", "ﬁ", "é", "é", "\xad", "  ", "-\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT_CHARS, min_size=1, max_size=80).map("".join))
def test_offset_map_is_monotone_and_in_bounds(original):
    norm, omap = normalise_text(original)
    assert len(omap.starts) == len(norm) + 1
    prev = -1
    for i in range(len(norm)):
        a, b = omap.to_original(i, i + 1)
        assert 0 <= a < b <= len(original)
        assert omap.starts[i] >= prev
        prev = omap.starts[i]
    # normalisation is idempotent: what it produces needs no further change
    assert normalise_text(norm)[0] == norm


def test_decomposed_accents_match_their_composed_form():
    """'cafe' + U+0301 (as macOS and many PDFs write it) must normalise like precomposed 'café'."""
    decomposed = ingest_pasted_text("Le cafe\u0301 est nai\u0308ve et re\u0301sume\u0301.")
    composed = ingest_pasted_text("Le caf\u00e9 est na\u00efve et r\u00e9sum\u00e9.")
    assert decomposed.normalised == composed.normalised
    start = decomposed.normalised.index("café")
    a, b = decomposed.to_original(start, start + len("café"))
    assert decomposed.original[a:b] == "cafe\u0301"
