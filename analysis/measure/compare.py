"""Compare two works: detect whether they are texts or images and run the matching engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from analysis.errors import InputError, UnsupportedFormatError
from analysis.evidence import ComparisonReport

ProgressCallback = Callable[[float, str], None]
"""``progress(fraction_done, message)``; fraction in [0, 1]."""

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".docx", ".html", ".htm", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
UNSUPPORTED_IMAGE_SUFFIXES = {
    ".svg": "SVG (vector) images",
    ".heic": "HEIC images",
    ".heif": "HEIF images",
    ".avif": "AVIF images",
}

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def detect_kind(path: Path) -> Literal["text", "image"]:
    """Decide by extension, then by magic bytes for files without a known extension."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_IMAGE_SUFFIXES:
        raise UnsupportedFormatError(
            f"{path.name}: {UNSUPPORTED_IMAGE_SUFFIXES[suffix]} are not supported; convert to PNG or JPEG first"
        )
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return "text"


def compare_paths(
    generated: str | Path,
    source: str | Path,
    *,
    min_words: int | None = None,
    device: str = "auto",
    text_model: str | None = None,
    image_model: str | None = None,
    progress: ProgressCallback | None = None,
) -> ComparisonReport:
    from analysis.ingest.limits import require_file

    gen, src = require_file(generated), require_file(source)
    kinds = {detect_kind(gen), detect_kind(src)}
    if len(kinds) != 1:
        raise InputError("one work is a text and the other an image; compare two texts or two images")
    if kinds == {"image"}:
        from analysis.measure.image.compare import compare_image_paths

        return compare_image_paths(gen, src, device=device, model=image_model, progress=progress)
    from analysis.measure.text.compare import compare_text_paths

    return compare_text_paths(gen, src, min_words=min_words, device=device, model=text_model, progress=progress)


def format_summary(report: ComparisonReport, top: int = 5) -> str:
    """The readable summary the CLI prints (``top``: text passages shown side by side)."""
    if report.kind == "image":
        from analysis.measure.image.summary import format_image_summary

        return format_image_summary(report, top=top)
    from analysis.measure.text.summary import format_text_summary

    return format_text_summary(report, top=top)
