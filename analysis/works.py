"""The two works as the user gave them: pasted text, a file's bytes, or a file on disk.

A ``WorkInput`` keeps what was given exactly (the decoded text, the file's raw bytes, its
name and media type) with the title, author and description the user wrote about it. It
is what a ``Matter`` holds and saves, what the app's works page edits, and what the one
dispatcher (``analysis.measure.compare.compare_works``) compares.

Its ``sha256`` is the hash every comparison report records for that input (the file's bytes,
or a pasted text's UTF-8 encoding), so a report can be tied to the works it was made from:
when they differ, the report is stale.

The constructors read the input at once, so a bad file is refused when it is given (one
``InputError`` line), not later.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from analysis import formats
from analysis.formats import Kind

Role = Literal["generated", "source"]
ROLES: tuple[Role, Role] = ("generated", "source")
PASTED = "pasted text"
"""The name a pasted text carries (reports and the app show it)."""


class _Cache:
    """Values derived from a work's immutable ``text``/``data`` objects, kept with those objects.

    Compared by identity (O(1)), so a 20 MB work is hashed once however often it is asked;
    equal to any other cache, so it never makes two works with equal fields unequal.
    """

    __slots__ = ("digest", "ingested")

    def __init__(self) -> None:
        self.digest: tuple[tuple[Any, ...], str] | None = None
        self.ingested: tuple[tuple[Any, ...], Any] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Cache)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict) -> _Cache:
        return _Cache()


class WorkInput(BaseModel):
    """One work as the user gave it: pasted text, an uploaded file, or a file on disk."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    role: Role
    kind: Kind | None = None
    name: str = ""
    text: str | None = Field(default=None, description="the text exactly as decoded (texts only)")
    data: bytes | None = Field(default=None, description="the file's raw bytes (images, uploaded documents)")
    media_type: str | None = None
    title: str = ""
    author: str = ""
    description: str = ""
    _cache: _Cache = PrivateAttr(default_factory=_Cache)

    @property
    def ready(self) -> bool:
        """There is something to compare."""
        if self.kind == "text":
            return bool(self.text and self.text.strip())
        if self.kind == "image":
            return bool(self.data)
        return False

    @property
    def given(self) -> bool:
        """The user gave this work at some point (even if it is now empty)."""
        return self.kind is not None

    @property
    def pasted(self) -> bool:
        return self.kind == "text" and self.data is None

    @property
    def label(self) -> str:
        from analysis import labels

        return labels.label("work_role", self.role)

    def content_key(self) -> tuple[Any, ...]:
        return (self.kind, self.text, self.data)

    @property
    def sha256(self) -> str:
        """SHA-256 of the input as a comparison report records it: the file's bytes, or the
        pasted text's UTF-8 encoding."""
        key = self.content_key()
        memo = self._cache.digest
        if memo is not None and all(a is b for a, b in zip(memo[0], key)):
            return memo[1]
        if self.data is not None:
            digest = hashlib.sha256(self.data).hexdigest()
        else:
            digest = hashlib.sha256((self.text or "").encode("utf-8", "surrogatepass")).hexdigest()
        self._cache.digest = (key, digest)
        return digest

    def ingested_text(self) -> Any:
        """The text ingested for comparison (``analysis.ingest.text.IngestedText``), read once.

        An uploaded document is ingested from its raw bytes, so the report's SHA-256 is the
        file's own; pasted text as its UTF-8 encoding.
        """
        from analysis.ingest.text import ingest_pasted_text, ingest_text_bytes

        key = self.content_key()
        memo = self._cache.ingested
        if memo is not None and all(a is b for a, b in zip(memo[0], key)):
            return memo[1]
        if self.data is not None:
            ingested = ingest_text_bytes(self.data, self.name or "uploaded text")
        else:
            ingested = ingest_pasted_text(self.text or "", self.name or PASTED)
        self._cache.ingested = (key, ingested)
        return ingested

    def forget_ingested(self) -> None:
        """Drop the ingested copy (after a comparison: it is two or three times the text's size)."""
        self._cache.ingested = None

    def details(self) -> dict[str, str]:
        return {"title": self.title, "author": self.author, "description": self.description}


def empty_work(role: Role) -> WorkInput:
    return WorkInput(role=role)


def _kept(details_from: WorkInput | None) -> dict[str, str]:
    return details_from.details() if details_from is not None else {}


def work_from_text(role: Role, text: str, *, name: str = PASTED, details_from: WorkInput | None = None) -> WorkInput:
    """A pasted or typed text. Not checked here: the user may still be typing (compare checks it)."""
    return WorkInput(role=role, kind="text", name=name, text=text, media_type="text/plain", **_kept(details_from))


def work_from_bytes(
    role: Role, name: str, data: bytes, *, details_from: WorkInput | None = None, check: bool = True
) -> WorkInput:
    """A file's bytes (an upload, a sample's file), read now so a bad file is refused at once.

    Texts (.txt .md .pdf .docx .html …) are decoded and extracted; images are opened and
    checked (corrupt, huge, animated or unsupported files raise a typed ``InputError``).
    Keeps the title, author and description of ``details_from``. ``check=False`` skips
    decoding an image (for a caller that compares it at once: the engine decodes it then,
    with the same errors).
    """
    from analysis.errors import EmptyInputError
    from analysis.ingest.limits import check_file_size

    name = name or ("uploaded image" if formats.looks_like_image(data[:16]) else "uploaded text")
    if not data:
        raise EmptyInputError(f"{name}: the file is empty")
    check_file_size(len(data), name)
    kind = formats.detect_kind(name, data[:16])
    keep = _kept(details_from)
    if kind == "image":
        media = formats.media_type(name, "")
        if check or not media:
            from analysis.ingest.image import load_image

            media = load_image(data, name).media_type  # raises for corrupt, huge, animated or unsupported files
        return WorkInput(role=role, kind="image", name=name, data=data, media_type=media, **keep)
    work = WorkInput(role=role, kind="text", name=name, data=data, **keep)
    ingested = work.ingested_text()  # raises for binary, undecodable, empty or scanned files
    work.text = ingested.original
    work.media_type = ingested.media_type
    work._cache.ingested = (work.content_key(), ingested)  # the text object just set is the ingested one
    return work


def work_from_path(
    role: Role, path: str | Path, *, details_from: WorkInput | None = None, check: bool = True
) -> WorkInput:
    """A file on disk: the same checks as ``work_from_bytes``, and a clear error for a missing path."""
    from analysis.errors import UnreadableInputError
    from analysis.ingest.limits import check_file_size, require_file

    p = require_file(path)
    formats.check_not_refused(p)
    check_file_size(p.stat().st_size, p.name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {p}: {exc.strerror or exc}") from None
    return work_from_bytes(role, p.name, data, details_from=details_from, check=check)
