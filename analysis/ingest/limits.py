"""Checks every input goes through, shared by text and image ingestion (and the app's uploads)."""

from __future__ import annotations

import os
from pathlib import Path

from analysis import defaults
from analysis.errors import FileTooLargeError, InputError, MissingInputError, UnreadableInputError

MAX_FILE_BYTES_ENV = "FAIRUSE_MAX_FILE_BYTES"


def require_file(path: str | Path, what: str = "a file") -> Path:
    """The path as a ``Path``, or a clear error when it is missing or is a folder."""
    p = Path(path)
    if not p.exists():
        raise MissingInputError(f"no such file: {p}")
    if p.is_dir():
        raise UnreadableInputError(f"{p} is a folder; give {what}")
    return p


def max_file_bytes() -> int:
    """The size limit in force: ``FAIRUSE_MAX_FILE_BYTES`` if set, else ``defaults.MAX_FILE_BYTES``."""
    return bytes_from_env(MAX_FILE_BYTES_ENV, defaults.MAX_FILE_BYTES)


def bytes_from_env(env: str, default: int) -> int:
    """A byte limit from the environment variable ``env`` (a positive number), else ``default``."""
    raw = os.environ.get(env, "").strip()
    if raw:
        try:
            value = int(float(raw))
        except (ValueError, OverflowError):
            raise InputError(f"{env} must be a number of bytes, not {raw!r}") from None
        if value > 0:
            return value
    return default


def check_file_size(n: int, name: str) -> None:
    """Refuse an input of ``n`` bytes over the limit, saying how to raise it."""
    limit = max_file_bytes()
    if n > limit:
        raise FileTooLargeError(
            f"{name} is {describe_size(n)}, over the {describe_size(limit)} limit; set {MAX_FILE_BYTES_ENV} to raise it"
        )


def describe_size(n: int) -> str:
    """Sizes in MiB (2**20 bytes, as the 20 MB default is counted), small ones in bytes."""
    return f"{n / 1_048_576:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
