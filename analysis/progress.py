"""Progress on the command line: one tqdm bar on stderr, fed by the library's
``progress(fraction, message)`` callbacks (``analysis.measure.compare.ProgressCallback``).

Shown when stderr is a terminal (``--progress`` forces it, ``--no-progress`` hides it), so a
long comparison (two 20 MB texts) says where it is, while pipes and logs stay clean. The bar
goes to stderr only: stdout keeps the summary, so ``fairuse compare A B > out.txt`` still works.
Messages come from the library (never from user text), and are cleaned for the terminal anyway.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

STEPS = 1000  # the bar counts thousandths of the work: fine enough for a 20-minute run


def wanted(flag: bool | None, stream: TextIO | None = None) -> bool:
    """``--progress`` / ``--no-progress`` if given, else whether the stream is a terminal."""
    if flag is not None:
        return flag
    s = stream if stream is not None else sys.stderr
    try:
        return bool(s.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_bar(
    enabled: bool, *, desc: str = "comparing", stream: TextIO | None = None
) -> Iterator[Callable[[float, str], None]]:
    """A ``progress(fraction, message)`` callback that draws a bar while the block runs.

    Disabled, the callback does nothing. The bar is closed (and its line left complete) when
    the block ends, also on an error, so an error line is never printed over a half-drawn bar.
    """
    if not enabled:
        yield lambda frac, msg: None
        return
    from tqdm import tqdm

    from analysis.escape import for_terminal

    out = stream if stream is not None else sys.stderr
    bar = tqdm(
        total=STEPS,
        desc=desc,
        file=out,
        unit="‰",
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} elapsed, {remaining} left · {postfix}",
        dynamic_ncols=True,
        mininterval=0.2,
        leave=False,
    )

    def update(frac: float, msg: str) -> None:
        target = round(max(0.0, min(1.0, float(frac))) * STEPS)
        if target > bar.n:
            bar.update(target - bar.n)
        bar.set_postfix_str(for_terminal(msg or "", newlines=False)[:60], refresh=True)

    try:
        yield update
    finally:
        bar.close()
