"""Writing the files a command produces: one readable error instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError


def check_writable(path: str | Path) -> Path:
    """Fail early (before a long comparison) when ``path`` cannot be written."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"cannot write {p}: the folder {parent} does not exist")
    if p.is_dir():
        raise InputError(f"cannot write {p}: it is a folder")
    return p


def write_output(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` (text as UTF-8); any OS error becomes an ``InputError``."""
    p = check_writable(path)
    try:
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {p}: {exc.strerror or exc}") from None
