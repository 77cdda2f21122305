"""The one dispatcher: compare two works with the text engine or the image engine.

Everything that compares goes through ``compare_works``: the CLI (``compare_paths``), the
library's ``analysis.compare``, a ``Matter`` and so the app. Which formats are texts and
which are images is decided by one table, ``analysis.formats``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.evidence import ComparisonReport
from analysis.formats import Kind
from analysis.formats import detect_kind as _detect_kind
from analysis.works import WorkInput, work_from_path

ProgressCallback = Callable[[float, str], None]
"""``progress(fraction_done, message)``; fraction in [0, 1]."""


def detect_kind(path: Path) -> Kind:
    """Decide by extension, then by magic bytes for files without a known extension."""
    head = b""
    if path.is_file():
        with open(path, "rb") as fh:
            head = fh.read(16)
    return _detect_kind(path, head)


def compare_works(
    generated: WorkInput,
    source: WorkInput,
    *,
    min_words: int | None = None,
    device: str = "auto",
    text_model: str | None = None,
    image_model: str | None = None,
    progress: ProgressCallback | None = None,
    embedder: Any = None,
    exclude_quotations: bool = False,
) -> ComparisonReport:
    """Compare two works given as ``WorkInput`` (pasted, uploaded or read from disk).

    ``embedder`` is a loaded sentence-embedding model to reuse (the app caches one); else
    ``text_model`` (a hub name or folder; None: the offline default) is loaded. Raises an
    ``InputError`` for unusable inputs and ``ModelUnavailableError`` for a model that cannot load.
    """
    for w in (generated, source):
        if not w.ready:
            raise InputError(f"{w.label}: add a text or an image first")
    if generated.kind != source.kind:
        raise InputError("one work is a text and the other an image; compare two texts or two images")
    if generated.kind == "image":
        from analysis.measure.image.compare import compare_image_bytes

        assert generated.data is not None and source.data is not None  # ready images have bytes
        return compare_image_bytes(
            generated.data,
            source.data,
            generated_name=generated.name or "generated image",
            source_name=source.name or "source image",
            device=device,
            model=image_model,
            progress=progress,
        )
    from analysis.measure.text.compare import check_min_words, compare_ingested

    n = check_min_words(min_words)  # before any reading or model loading
    if progress:
        progress(0.0, "reading the texts")
    gen, src = generated.ingested_text(), source.ingested_text()
    try:
        if embedder is None and progress:
            progress(0.01, "loading the text model")
        return compare_ingested(
            gen,
            src,
            min_words=n,
            device=device,
            model=text_model,
            progress=progress,
            embedder=embedder,
            exclude_quotations=exclude_quotations,
        )
    finally:
        generated.forget_ingested()
        source.forget_ingested()


def compare_paths(
    generated: str | Path,
    source: str | Path,
    *,
    min_words: int | None = None,
    device: str = "auto",
    text_model: str | None = None,
    image_model: str | None = None,
    progress: ProgressCallback | None = None,
    exclude_quotations: bool = False,
) -> ComparisonReport:
    """Compare two files on disk (texts: .txt .md .pdf .docx .html; images: .png .jpg .webp …)."""
    if min_words is not None:
        from analysis.measure.text.compare import check_min_words

        check_min_words(min_words)  # a bad option is refused before a large file is read
    gen, src = works_from_paths(generated, source, check=False)
    return compare_works(
        gen,
        src,
        min_words=min_words,
        device=device,
        text_model=text_model,
        image_model=image_model,
        progress=progress,
        exclude_quotations=exclude_quotations,
    )


def works_from_paths(generated: str | Path, source: str | Path, *, check: bool = True) -> tuple[WorkInput, WorkInput]:
    """Both works read from disk; both paths are checked before either is read in full.

    ``check=False`` leaves decoding images to the engine that compares them next (texts are
    always read: their text is part of the work)."""
    from analysis.ingest.limits import require_file

    gp, sp = require_file(generated), require_file(source)
    if detect_kind(gp) != detect_kind(sp):
        raise InputError("one work is a text and the other an image; compare two texts or two images")
    return work_from_path("generated", gp, check=check), work_from_path("source", sp, check=check)


def format_summary(report: ComparisonReport, top: int = 5) -> str:
    """The readable summary the CLI prints (``top``: text passages shown side by side)."""
    if report.kind == "image":
        from analysis.measure.image.summary import format_image_summary

        return format_image_summary(report, top=top)
    from analysis.measure.text.summary import format_text_summary

    return format_text_summary(report, top=top)
