"""The one table of the file formats fairuse accepts, read by every part that needs it.

The CLI's dispatcher (``analysis.measure.compare``), the library's ``compare``, the works'
constructors (``analysis.works``), text ingestion (media types) and the app's uploaders
(accepted extensions, help text) all ask this module, so a format is added or dropped in
one place. Images are also recognised by their first bytes, whatever their name says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from analysis.errors import UnsupportedFormatError

Kind = Literal["text", "image"]


@dataclass(frozen=True)
class Format:
    """One accepted file extension: what kind of work it holds and its media type."""

    suffix: str  # with the dot, lower case
    kind: Kind
    media_type: str
    name: str  # what users call it, for help text


FORMATS: tuple[Format, ...] = (
    Format(".txt", "text", "text/plain", "plain text"),
    Format(".text", "text", "text/plain", "plain text"),
    Format(".md", "text", "text/markdown", "Markdown"),
    Format(".markdown", "text", "text/markdown", "Markdown"),
    Format(".pdf", "text", "application/pdf", "PDF with a text layer"),
    Format(".docx", "text", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    Format(".html", "text", "text/html", "HTML"),
    Format(".htm", "text", "text/html", "HTML"),
    Format(".xhtml", "text", "application/xhtml+xml", "XHTML"),
    Format(".png", "image", "image/png", "PNG"),
    Format(".jpg", "image", "image/jpeg", "JPEG"),
    Format(".jpeg", "image", "image/jpeg", "JPEG"),
    Format(".webp", "image", "image/webp", "WebP"),
    Format(".gif", "image", "image/gif", "GIF (one frame)"),
    Format(".bmp", "image", "image/bmp", "BMP"),
    Format(".tif", "image", "image/tiff", "TIFF"),
    Format(".tiff", "image", "image/tiff", "TIFF"),
)

REFUSED: dict[str, str] = {
    ".svg": "SVG (vector) images are not supported; export it as PNG first",
    ".heic": "HEIC images are not supported; export it as JPEG or PNG first",
    ".heif": "HEIF images are not supported; export it as JPEG or PNG first",
    ".avif": "AVIF images are not supported; export it as PNG first",
}
"""Extensions refused by name, with what to do instead (their content is refused too, in ingest)."""

_BY_SUFFIX = {f.suffix: f for f in FORMATS}

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")

SAVE_SUFFIX = ".fairuse.json"
"""A saved analysis (``analysis.matter``)."""


def suffix_of(name: str | PurePath) -> str:
    """The extension, lower case with its dot; a bare extension (".md") is its own."""
    text = str(name)
    if text.startswith(".") and "." not in text[1:] and "/" not in text:
        return text.lower()
    return PurePath(text).suffix.lower()


def suffixes(kind: Kind | None = None) -> list[str]:
    """Accepted extensions (with the dot), in the table's order."""
    return [f.suffix for f in FORMATS if kind is None or f.kind == kind]


def upload_types(kind: Kind | None = None) -> list[str]:
    """Accepted extensions without the dot, as ``st.file_uploader(type=…)`` wants them."""
    return [s[1:] for s in suffixes(kind)]


def lookup(name: str | PurePath) -> Format | None:
    """The format for a file name's extension, or None when the extension is not in the table."""
    return _BY_SUFFIX.get(suffix_of(name))


def media_type(name: str | PurePath, default: str = "application/octet-stream") -> str:
    f = lookup(name)
    return f.media_type if f else default


def looks_like_image(head: bytes) -> bool:
    """True when the first bytes are those of an image format we read."""
    return head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def check_not_refused(name: str | PurePath) -> None:
    """Raise ``UnsupportedFormatError`` for an extension refused by name (SVG, HEIC …)."""
    suffix = suffix_of(name)
    if suffix in REFUSED:
        raise UnsupportedFormatError(f"{PurePath(str(name)).name}: {REFUSED[suffix]}")


def detect_kind(name: str | PurePath, head: bytes = b"") -> Kind:
    """Text or image: by extension, then by the first bytes for names without a known one.

    An unknown extension is read as text (ingestion then refuses binary content with a
    message); refused extensions raise ``UnsupportedFormatError``.
    """
    check_not_refused(name)
    f = lookup(name)
    if f is not None:
        return f.kind
    return "image" if looks_like_image(head) else "text"


def describe(kind: Kind | None = None) -> str:
    """The accepted extensions in words, for help text and error messages."""
    if kind is None:
        return f"a text ({describe('text')}) or an image ({describe('image')})"
    seen: list[str] = []
    for s in suffixes(kind):
        if s in (".text", ".markdown", ".htm", ".xhtml", ".jpeg", ".tif"):
            continue  # spelled-out aliases of another row
        seen.append(s)
    return " ".join(seen)


def unsupported_message(name: str) -> str:
    return f"{name}: {suffix_of(name) or 'this'} files are not supported; use {describe()}"
