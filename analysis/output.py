"""Writing the files a command produces: one readable error instead of a traceback."""

from __future__ import annotations

import contextlib
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
    """Write ``data`` to ``path`` (text as UTF-8); any OS error becomes an ``InputError``.

    A regular file is written to a temporary file in the same folder and renamed into place,
    so an interrupted write never leaves a half-written file where the old one was. Special
    files (a terminal, a pipe, ``/dev/null``) are written directly.
    """
    import os
    import tempfile

    p = check_writable(path)
    if p.is_symlink():
        p = p.resolve()  # write the file the link names, and keep the link
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        if p.exists() and not p.is_file():
            with open(p, "wb") as fh:
                fh.write(raw)
            return
        parent = p.parent if str(p.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, p)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise InputError(f"cannot write {p}: {exc.strerror or exc}") from None
