"""Read a text the user gave us, from any of the formats people actually have.

Formats: ``.txt``/``.md`` (any common encoding), ``.pdf`` (its text layer, via pypdf),
``.docx`` (python-docx), ``.html`` (BeautifulSoup), and pasted text. The result keeps the
text exactly as decoded (``original``: what the user sees and what findings point into),
the normalised text that comparison runs on, and the map between the two.

Every problem with the input is raised as a typed ``InputError`` with one human sentence:
empty text, a binary file given as text, bytes no encoding explains, a PDF without a text
layer, a file over the size limit, a missing path.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import formats
from analysis.errors import (
    EmptyInputError,
    InputError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from analysis.evidence import sha256_bytes
from analysis.ingest.limits import check_file_size, max_file_bytes, require_file  # noqa: F401 (max_file_bytes re-exported)
from analysis.ingest.text_normalise import OffsetMap, normalise_text

_WORD = re.compile(r"[^\W_]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass
class IngestedText:
    """One text work, as given and as compared.

    ``original`` is the text exactly as decoded or extracted (for PDF, DOCX and HTML: the
    extracted text), ``normalised`` is what comparison runs on, ``offsets`` maps normalised
    character ranges back to ``original`` ranges (``to_original``).
    """

    name: str
    original: str
    normalised: str
    offsets: OffsetMap
    media_type: str
    encoding: str | None
    sha256: str
    bytes: int
    detail: dict[str, str] = field(default_factory=dict)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.to_original(start, end)


# --------------------------------------------------------------------------- decoding
def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode plain-text bytes; return (text, encoding name).

    Order: a byte-order mark (UTF-8/16/32), UTF-16 without BOM when every other byte is NUL
    (checked before UTF-8: ASCII text in UTF-16 is also valid UTF-8, full of NULs), strict
    UTF-8, then charset-normalizer for legacy single-byte encodings. NUL bytes or many control
    characters otherwise mean a binary file given as text.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "") + " (BOM)"
            except UnicodeDecodeError:
                raise UnreadableInputError(
                    f"{name}: starts with a {enc} byte-order mark but is not valid {enc}"
                ) from None
    text: str | None = None
    enc = ""
    if b"\x00" not in data[:4096]:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = None  # legacy encodings, below
    else:
        head = data[:4096]
        even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
        half = max(1, len(head) // 2)
        for cand, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
            if nuls > 0.6 * half:
                try:
                    text, enc = data.decode(cand), cand
                    break
                except UnicodeDecodeError:
                    pass
        if text is None:
            raise UnreadableInputError(
                f"{name} looks like a binary file, not text; give a text file ({formats.describe('text')})"
            )
    if text is None:
        from charset_normalizer import from_bytes

        best = _pick_legacy(list(from_bytes(data)))
        if best is None or best.encoding is None:
            raise UnreadableInputError(f"{name}: the bytes do not decode as text in any known encoding")
        text, enc = str(best), best.encoding
    _check_not_binary(text, name)
    return text, enc


# Windows code pages are what legacy files on users' machines are actually in; charset-normalizer
# often ties them with a sibling (cp1250 for French text, mac_cyrillic for Russian) and returns
# the sibling. Among near-ties (same chaos, coherence within 0.1) we prefer this order.
_LEGACY_PREFERENCE = (
    "cp1252",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "latin_1",
    "iso8859_15",
    "iso8859_2",
    "iso8859_5",
)


def _pick_legacy(matches: list):
    if not matches:
        return None
    best = matches[0]
    ties = [m for m in matches if m.chaos <= best.chaos + 1e-6 and m.coherence >= best.coherence - 0.1]

    def rank(m) -> int:
        enc = (m.encoding or "").lower()
        return (
            _LEGACY_PREFERENCE.index(enc)
            if enc in _LEGACY_PREFERENCE
            else len(_LEGACY_PREFERENCE) + (1 if enc.startswith("mac") else 0)
        )

    return min(ties, key=rank)


def _check_not_binary(text: str, name: str) -> None:
    sample = text[:100_000]
    if not sample:
        return
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f" or c == "\ufffd")
    if "\x00" in sample or controls > max(2, 0.01 * len(sample)):
        raise UnreadableInputError(
            f"{name} looks like a binary file, not text; give a .txt, .md, .pdf, .docx or .html file"
        )


# --------------------------------------------------------------------------- formats
def _extract_pdf(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise UnsupportedFormatError("reading PDF needs the pypdf package") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableInputError(f"{name} is password-protected; save an unprotected copy first")
            except UnreadableInputError:
                raise
            except Exception:
                raise UnreadableInputError(f"{name} is encrypted and cannot be opened") from None
        pages = [(page.extract_text() or "") for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableInputError(f"{name} is not a readable PDF ({_why(exc)})") from None
    except Exception as exc:
        raise UnreadableInputError(f"{name} is not a readable PDF ({_why(exc)})") from None
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not _WORD.search(text):
        raise UnsupportedFormatError(
            f"{name} has no text layer (it is probably a scan); OCR is not offered: "
            "export the text from the original document or run OCR first"
        )
    return text, {"pages": str(len(pages)), "extracted": "PDF text layer (pypdf)"}


def _why(exc: BaseException) -> str:
    """Why a document could not be opened, in words a reader knows (never an exception's class name)."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        return "it is damaged, or it is not the kind of file its name says"
    if isinstance(exc, KeyError):
        return "a part the format requires is missing"
    if isinstance(exc, OSError):
        return "it could not be read"
    return "it is damaged or in a form this tool does not read"


def _extract_docx(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    try:
        import docx
    except ImportError:  # pragma: no cover
        raise UnsupportedFormatError("reading .docx needs the python-docx package") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableInputError(f"{name} is not a readable .docx file ({_why(exc)})") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n\n".join(parts), {"paragraphs": str(len(document.paragraphs)), "extracted": "DOCX paragraphs and tables"}


_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
)


def _extract_html(markup: str, name: str) -> tuple[str, dict[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head", "svg"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    return text, {"extracted": "HTML visible text (BeautifulSoup)"}


def _sniff_kind(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]):
        return "docx"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "plain"


# --------------------------------------------------------------------------- entry points
def ingest_text_bytes(data: bytes, name: str) -> IngestedText:
    """Ingest the bytes of an uploaded file (``name`` gives its extension and is shown in messages)."""
    check_file_size(len(data), name)
    if not data.strip():
        raise EmptyInputError(f"{name} is empty")
    suffix = Path(name).suffix.lower()
    kind = _sniff_kind(data, suffix)
    encoding: str | None = None
    detail: dict[str, str] = {}
    if kind == "pdf":
        original, detail = _extract_pdf(data, name)
        media_type = "application/pdf"
    elif kind == "docx":
        original, detail = _extract_docx(data, name)
        media_type = formats.media_type(".docx")
    elif kind == "html":
        markup, encoding = decode_bytes(data, name)
        original, detail = _extract_html(markup, name)
        media_type = "text/html"
    else:
        original, encoding = decode_bytes(data, name)
        media_type = formats.media_type(suffix, "text/plain")
    if encoding:
        detail["encoding"] = encoding
    return _finish(name, original, media_type, encoding, data, detail)


def read_text_file(path: str | Path) -> IngestedText:
    """Read and ingest a text file from disk."""
    p = require_file(path)
    check_file_size(p.stat().st_size, p.name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {p}: {exc.strerror or exc}") from None
    return ingest_text_bytes(data, p.name)


def ingest_pasted_text(text: str, name: str = "pasted text") -> IngestedText:
    """Ingest text pasted into the app; its bytes are its UTF-8 encoding."""
    data = text.encode("utf-8", errors="surrogatepass")
    check_file_size(len(data), name)
    return _finish(name, text, "text/plain", "utf-8", data, {"encoding": "utf-8", "extracted": "pasted"})


def _finish(
    name: str, original: str, media_type: str, encoding: str | None, data: bytes, detail: dict[str, str]
) -> IngestedText:
    if not original.strip() or not _WORD.search(original):
        raise EmptyInputError(f"{name} has no words to compare (it is empty or only white space and punctuation)")
    normalised, offsets = normalise_text(original)
    if not _WORD.search(normalised):
        raise EmptyInputError(f"{name} has no words to compare")
    detail = dict(detail)
    detail.setdefault("characters", str(len(original)))
    return IngestedText(
        name=name,
        original=original,
        normalised=normalised,
        offsets=offsets,
        media_type=media_type,
        encoding=encoding,
        sha256=sha256_bytes(data),
        bytes=len(data),
        detail=detail,
    )
