"""What goes into an index: folders of works, or a CSV / JSONL manifest with their metadata.

A manifest row names ``path`` (relative to the manifest's folder, or absolute) and may give
``title``, ``author``, ``year``, ``licence`` (``license`` is accepted too). A folder is read
recursively; each supported text or image becomes one work titled by its file name. Files
that cannot be used (an unknown type, a hidden file, a link, a missing path, a bad manifest
row) are skipped with a one-line reason each; the builder lists them at the end. Content
checks (decoding, size, pixel limits, hostile files) are the ingestion's, when the work is read.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError, UnreadableInputError
from analysis.ingest.limits import check_file_size

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".docx", ".html", ".htm", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
MANIFEST_SUFFIXES = {".csv", ".jsonl"}
MAX_MANIFEST_ROWS = 5_000_000


@dataclass
class CatalogueEntry:
    path: str
    kind: str  # "text" | "image"
    title: str
    author: str = ""
    year: str = ""
    licence: str = ""
    sha256: str = ""
    bytes: int = 0

    def meta(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "kind": self.kind,
            "title": self.title,
            "author": self.author,
            "year": self.year,
            "licence": self.licence,
            "sha256": self.sha256,
            "bytes": self.bytes,
        }


@dataclass
class Skipped:
    path: str
    reason: str

    def line(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Catalogue:
    entries: list[CatalogueEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def kind_of(path: Path) -> str | None:
    s = path.suffix.lower()
    if s in TEXT_SUFFIXES:
        return "text"
    if s in IMAGE_SUFFIXES:
        return "image"
    return None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entry(path: Path, cat: Catalogue, **meta: str) -> None:
    shown = str(path)
    if path.is_symlink():
        cat.skipped.append(Skipped(shown, "a symbolic link; give the file itself"))
        return
    if not path.exists():
        cat.skipped.append(Skipped(shown, "no such file"))
        return
    if not path.is_file():
        cat.skipped.append(Skipped(shown, "not a regular file"))
        return
    kind = kind_of(path)
    if kind is None:
        cat.skipped.append(Skipped(shown, f"not a supported text or image type ({path.suffix or 'no extension'})"))
        return
    try:
        size = path.stat().st_size
        check_file_size(size, path.name)
        digest = file_sha256(path)
    except InputError as exc:
        cat.skipped.append(Skipped(shown, str(exc)))
        return
    except OSError as exc:
        cat.skipped.append(Skipped(shown, f"cannot be read ({exc.strerror or exc})"))
        return
    title = meta.pop("title", "") or path.stem.replace("_", " ")
    cat.entries.append(
        CatalogueEntry(path=str(path.resolve()), kind=kind, title=title, sha256=digest, bytes=size, **meta)
    )


def _walk(folder: Path, cat: Catalogue) -> None:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if name.startswith("."):
                continue
            if p.suffix.lower() in MANIFEST_SUFFIXES:
                continue  # manifests inside a folder are read only when named
            _entry(p, cat)


def _clean(value: object, limit: int = 500) -> str:
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:limit]


def _rows_csv(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "path" not in [f.strip().lower() for f in reader.fieldnames]:
                raise UnreadableInputError(
                    f"{path.name}: a CSV manifest needs a 'path' column (and title, author, year, licence)"
                )
            rows = []
            for i, row in enumerate(reader):
                if i >= MAX_MANIFEST_ROWS:
                    raise InputError(f"{path.name}: more than {MAX_MANIFEST_ROWS:,} rows")
                rows.append({(k or "").strip().lower(): v for k, v in row.items()})
            return rows
    except UnicodeDecodeError:
        raise UnreadableInputError(f"{path.name}: a manifest must be UTF-8") from None
    except csv.Error as exc:
        raise UnreadableInputError(f"{path.name}: not a readable CSV file ({exc})") from None


def _rows_jsonl(path: Path, cat: Catalogue) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnreadableInputError(f"{path.name}: a manifest must be UTF-8") from None
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            cat.skipped.append(Skipped(f"{path}:{lineno}", f"manifest line is not JSON ({exc.msg})"))
            continue
        if not isinstance(row, dict):
            cat.skipped.append(Skipped(f"{path}:{lineno}", "manifest line is not a JSON object"))
            continue
        rows.append({str(k).lower(): v for k, v in row.items()} | {"_line": lineno})
    return rows


def _manifest(path: Path, cat: Catalogue) -> None:
    from analysis.ingest.limits import max_file_bytes

    size = path.stat().st_size
    if size > 50 * max_file_bytes():
        raise InputError(f"{path.name}: a manifest of {size:,} bytes is too large")
    rows = _rows_csv(path) if path.suffix.lower() == ".csv" else _rows_jsonl(path, cat)
    base = path.resolve().parent
    for i, row in enumerate(rows, 2):
        where = f"{path}:{row.get('_line', i)}"
        raw = _clean(row.get("path"), 4096)
        if not raw:
            cat.skipped.append(Skipped(where, "manifest row has no path"))
            continue
        p = Path(raw).expanduser()
        p = p if p.is_absolute() else base / p
        _entry(
            p,
            cat,
            title=_clean(row.get("title")),
            author=_clean(row.get("author")),
            year=_clean(row.get("year"), 20),
            licence=_clean(row.get("licence", row.get("license")), 200),
        )


def read_catalogue(sources: list[str | Path]) -> Catalogue:
    """Every work named by the arguments, in a stable order, each file once (by resolved path)."""
    cat = Catalogue()
    if not sources:
        raise InputError("name at least one catalogue folder, file or manifest (.csv, .jsonl)")
    for src in sources:
        p = Path(src).expanduser()
        if not p.exists():
            raise InputError(f"no such catalogue folder or file: {p}")
        if p.is_dir():
            _walk(p, cat)
        elif p.suffix.lower() in MANIFEST_SUFFIXES:
            _manifest(p, cat)
        else:
            _entry(p, cat)
    seen: set[str] = set()
    unique = []
    for e in cat.entries:
        if e.path in seen:
            continue
        seen.add(e.path)
        unique.append(e)
    cat.entries = unique
    return cat
