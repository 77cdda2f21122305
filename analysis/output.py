"""Writing the files a command produces, without ever destroying what the user has.

An ``OutputPlan`` names every output (and every input) of a command before any work starts::

    plan = OutputPlan([args.output, args.markdown], inputs=[args.scenario], force=args.force).check()
    ...  # the long work
    plan.commit({args.output: pdf_bytes, args.markdown: markdown_text})

``check`` refuses, with one line (``InputError``):
- an output that is an input: the same path, a symbolic link to it, or a hard link to it
  (compared by device and inode, so no spelling of the path gets past it);
- two outputs that are one file;
- an output whose folder does not exist or cannot be written (a file is created and removed
  there to make sure), or that is a folder; with ``create_folders=True`` a missing folder is
  accepted when the nearest folder above it that exists can be written, and ``commit`` creates
  it (and removes what it created should the writes fail);
- an existing file, unless ``force`` is given or ``confirm(path)`` says yes (the CLI asks on a
  terminal: ``ask_on_terminal``).

``commit`` writes all or nothing: each regular file is first written in full to a temporary
file in its own folder and flushed to disk (fsync); outputs that are not regular files
(``/dev/stdout``, a pipe, ``/dev/full``) are written next; only when every write has succeeded
are the temporary files renamed into place (``os.replace``, atomic on one file system). On any
failure while writing the temporary files or the streams, the temporary files are removed and
every existing file keeps its old content. The renames are atomic one file at a time, not as a
group: should one fail after another has gone through (rare, every temporary file is already
written and flushed), the message names the outputs already written. A kill at any moment
leaves each output either old or new, never half written (at worst a hidden
``.NAME.*.partial`` file beside it).

Batches (``compare --pairs``, ``scan --out``) name many outputs: ``check`` looks each input up
by path and by (device, inode) rather than comparing every output with every input, probes
each folder once, and ``ask_once_on_terminal`` asks one question for all the existing files.

Test hook: ``FAIRUSE_OUTPUT_TEST_PAUSE=STAGE:MARKER`` makes ``commit`` create the file MARKER
and wait (up to ``_PAUSE_SECONDS``) at STAGE, ``partial`` (half of the first temporary file
written) or ``written`` (every temporary file written, nothing renamed), so a test can kill the
process there (tests/test_outputs.py).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputError

PAUSE_ENV = "FAIRUSE_OUTPUT_TEST_PAUSE"
_PAUSE_SECONDS = 120.0
_PARTIAL_SUFFIX = ".partial"


@dataclass
class _Target:
    given: Path  # as the user wrote it (messages, the key in ``commit``)
    real: Path  # symbolic links resolved: the file that is replaced
    exists: bool
    stream: bool  # not a regular file (device, pipe): written in place, never renamed over
    mode: int | None  # permission bits of the file replaced
    ident: tuple[int, int] | None  # (st_dev, st_ino) of the existing file
    folder_missing: bool = False  # create_folders: its folder is made by ``commit``


def _ident(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


class OutputPlan:
    """The outputs of one command, checked before the work and written all at once after it."""

    def __init__(
        self,
        outputs: Iterable[str | Path | None],
        *,
        inputs: Iterable[str | Path | None] = (),
        force: bool = False,
        confirm: Callable[[Path], bool] | None = None,
        create_folders: bool = False,
    ) -> None:
        self.outputs = [Path(p) for p in outputs if p is not None]
        self.inputs = [Path(p) for p in inputs if p is not None]
        self.force = force
        self.confirm = confirm
        self.create_folders = create_folders
        self._targets: list[_Target] | None = None

    # ------------------------------------------------------------------ check
    def check(self) -> OutputPlan:
        """Refuse (``InputError``, one line) any output that would destroy an input or an existing file."""
        by_real: dict[Path, Path] = {}  # each input looked up by its real path and by (device, inode)
        by_ident: dict[tuple[int, int], Path] = {}
        for inp in self.inputs:
            by_real.setdefault(Path(os.path.realpath(inp)), inp)
            inp_st = _stat(inp)
            if inp_st is not None:
                by_ident.setdefault(_ident(inp_st), inp)
        targets: list[_Target] = []
        seen_real: dict[Path, Path] = {}
        seen_ident: dict[tuple[int, int], Path] = {}
        probed: set[Path] = set()
        for p in self.outputs:
            t = _target(p, self.create_folders)
            if t.real in by_real:
                inp = by_real[t.real]
                how = "" if os.path.abspath(p) == os.path.abspath(inp) else " (through a symbolic link)"
                raise InputError(f"cannot write {p}: it is the input {inp}{how}; choose another output file")
            if t.ident is not None and t.ident in by_ident:
                inp = by_ident[t.ident]
                raise InputError(
                    f"cannot write {p}: it is the input {inp} (a hard link to it); choose another output file"
                )
            other = seen_real.get(t.real) or (seen_ident.get(t.ident) if t.ident is not None else None)
            if other is not None:
                raise InputError(f"the outputs {other} and {p} are the same file; give different files")
            if t.exists and not t.stream and not self.force and not (self.confirm and self.confirm(p)):
                raise InputError(f"{p} already exists; give --force to replace it")
            if not t.stream:
                if t.exists and not os.access(t.real, os.W_OK):
                    raise InputError(f"cannot write {p}: the file is read-only")
                if not t.folder_missing and t.real.parent not in probed:
                    _probe(t)
                    probed.add(t.real.parent)
            seen_real.setdefault(t.real, p)
            if t.ident is not None:
                seen_ident.setdefault(t.ident, p)
            targets.append(t)
        self._targets = targets
        return self

    # ------------------------------------------------------------------ commit
    def commit(self, contents: Mapping[str | Path, bytes | str]) -> None:
        """Write every planned output (text as UTF-8), all or nothing. Call ``check`` first (or it is called)."""
        if self._targets is None:
            self.check()
        assert self._targets is not None
        data = {Path(k): (v.encode("utf-8") if isinstance(v, str) else v) for k, v in contents.items()}
        planned = {t.given for t in self._targets}
        if set(data) != planned:
            raise ValueError(f"commit() needs exactly the planned outputs {sorted(map(str, planned))}")
        temporaries: list[tuple[Path, _Target]] = []
        current: _Target | None = None
        done: list[Path] = []  # outputs already written in place or renamed into place
        created: list[Path] = []  # folders made here (create_folders), removed again on failure
        try:
            for t in self._targets:
                if t.folder_missing:
                    current = t
                    _make_folder(t.real.parent, created)
            for t in self._targets:
                if not t.stream:
                    current = t
                    temporaries.append((_write_temporary(t, data[t.given], first=not temporaries), t))
            _pause_for_test("written")
            for t in self._targets:
                if t.stream:
                    current = t
                    with open(t.given, "wb") as fh:
                        fh.write(data[t.given])
                    done.append(t.given)
            current = None
            for tmp, t in temporaries:
                current = t
                os.replace(tmp, t.real)
                done.append(t.given)
            current = None
        except OSError as exc:
            _remove(tmp for tmp, _ in temporaries)
            _remove_folders(created)
            where = current.given if current is not None else "the outputs"
            # Renames are atomic one file at a time, not as a group: a failure after the first
            # (rare: the temporaries are already written and flushed) is said as it is.
            outcome = f"already written: {', '.join(map(str, done))}" if done else "no output was written"
            raise InputError(f"cannot write {where}: {exc.strerror or exc}; {outcome}") from None
        except BaseException:
            _remove(tmp for tmp, _ in temporaries)
            _remove_folders(created)
            raise
        for folder in {t.real.parent for _, t in temporaries}:
            _fsync_folder(folder)


def ask_on_terminal(path: Path, others: int = 0) -> bool:
    """Ask on the terminal whether ``path`` (and ``others`` more existing files) may be replaced;
    False (refuse) when there is no terminal."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    if others:
        from analysis.figures import count

        question = f"{path} and {count(others, 'other output')} already exist. Replace them?"
    else:
        question = f"{path} already exists. Replace it?"
    print(f"fairuse: {question} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, EOFError):
        return False
    return answer.strip().lower() in ("y", "yes")


def ask_once_on_terminal(outputs: Iterable[str | Path]) -> Callable[[Path], bool]:
    """A ``confirm`` for a batch: one question on the terminal, naming the first of ``outputs``
    that exists and how many more do; the answer holds for every file of the batch."""
    existing = [Path(p) for p in outputs if os.path.isfile(p)]
    answer: list[bool] = []

    def confirm(path: Path) -> bool:
        if not answer:
            first = existing[0] if existing else path
            answer.append(ask_on_terminal(first, others=max(len(existing) - 1, 0)))
        return answer[0]

    return confirm


# --------------------------------------------------------------------------- one file (older entry points)
def check_writable(path: str | Path) -> Path:
    """Fail early (before a long comparison) when ``path`` cannot be written. Existing files may be replaced."""
    OutputPlan([path], force=True).check()
    return Path(path)


def write_output(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically (text as UTF-8), replacing it; OS errors become ``InputError``."""
    OutputPlan([path], force=True).commit({path: data})


# --------------------------------------------------------------------------- helpers
def _stat(p: Path) -> os.stat_result | None:
    try:
        return os.stat(p)
    except OSError:
        return None


def _target(p: Path, create_folders: bool = False) -> _Target:
    real = Path(os.path.realpath(p))
    st = _stat(p)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"cannot write {p}: it is a folder")
    folder_missing = False
    if st is None and not real.parent.is_dir():
        folder = p.parent if str(p.parent) else Path(".")
        if not create_folders or real.parent.exists():
            what = "is not a folder" if real.parent.exists() else "does not exist"
            raise InputError(f"cannot write {p}: the folder {folder} {what}")
        above = real.parent
        while not above.exists() and above != above.parent:
            above = above.parent
        if not above.is_dir():
            raise InputError(f"cannot create the folder {folder}: {above} is a file")
        if not os.access(above, os.W_OK | os.X_OK):
            raise InputError(f"cannot create the folder {folder}: {above} is read-only")
        folder_missing = True
    return _Target(
        given=p,
        real=real,
        exists=st is not None,
        stream=st is not None and not stat.S_ISREG(st.st_mode),
        mode=stat.S_IMODE(st.st_mode) if st is not None else None,
        ident=_ident(st) if st is not None else None,
        folder_missing=folder_missing,
    )


def _open_temporary(t: _Target) -> tuple[Path, int]:
    """A new hidden file beside the target, created with the usual permissions (0666 less the umask)."""
    while True:
        tmp = t.real.parent / f".{t.real.name}.{secrets.token_hex(4)}{_PARTIAL_SUFFIX}"
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue


def _probe(t: _Target) -> None:
    try:
        tmp, fd = _open_temporary(t)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise InputError(f"cannot write {t.given}: {exc.strerror or exc}") from None


def _write_temporary(t: _Target, data: bytes, first: bool) -> Path:
    tmp, fd = _open_temporary(t)
    try:
        with os.fdopen(fd, "wb") as fh:
            if first and data:
                half = len(data) // 2
                fh.write(data[:half])
                fh.flush()
                _pause_for_test("partial")
                fh.write(data[half:])
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if t.mode is not None:
            os.chmod(tmp, t.mode)  # the replaced file keeps its permissions
    except BaseException:
        _remove([tmp])
        raise
    return tmp


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            os.unlink(p)


def _make_folder(folder: Path, created: list[Path]) -> None:
    """Make ``folder`` and the folders above it that are missing, noting each one made."""
    missing = []
    f = folder
    while not f.exists():
        missing.append(f)
        f = f.parent
    for m in reversed(missing):
        os.mkdir(m)
        created.append(m)


def _remove_folders(created: list[Path]) -> None:
    for m in reversed(created):  # deepest first; a folder that is no longer empty stays
        with contextlib.suppress(OSError):
            os.rmdir(m)


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable; folders cannot be opened for this on every platform (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _pause_for_test(stage: str) -> None:
    raw = os.environ.get(PAUSE_ENV, "")
    want, _, marker = raw.partition(":")
    if want != stage or not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + _PAUSE_SECONDS
    while time.monotonic() < deadline:  # the test kills the process here
        time.sleep(0.05)
