"""Word n-gram fingerprints for verbatim and near-verbatim candidates (winnowing).

A text becomes its casefolded words, each word a 32-bit CRC, each run of ``n`` words a
64-bit mixed hash. The catalogue keeps only the *winnowed* hashes (Schleimer, Wilkerson and
Aiken, "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003): in every
window of ``w`` consecutive n-gram hashes the smallest is kept. Any passage of at least
``w + n - 1`` words that a work shares with a catalogue text therefore shares at least one
fingerprint, whatever its position; a query keeps *all* its n-gram hashes, so every
catalogue fingerprint inside a shared passage is found.

The words here are the index's own (a plain Unicode word pattern): the index and the scan
must agree with each other, not with the text engine's internals, which may change.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def words(text: str) -> list[str]:
    """Casefolded words of a text."""
    return [m.group(0).casefold() for m in _WORD.finditer(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def word_hashes(ws: list[str]) -> np.ndarray:
    """One deterministic 32-bit hash per word (CRC-32, the same in every process)."""
    cache: dict[str, int] = {}
    out = np.empty(len(ws), dtype=np.uint64)
    for i, w in enumerate(ws):
        h = cache.get(w)
        if h is None:
            h = cache[w] = zlib.crc32(w.encode("utf-8"))
        out[i] = h
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial hash over all 64 bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def ngram_hashes(wh: np.ndarray, n: int) -> np.ndarray:
    """64-bit hash of every run of ``n`` word hashes (len(wh) - n + 1 values)."""
    m = len(wh) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    acc = np.zeros(m, dtype=np.uint64)
    mult = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(n):
            acc = acc * mult + wh[j : j + m] + np.uint64(j + 1)
    return _mix(acc)


def winnow(hashes: np.ndarray, w: int) -> np.ndarray:
    """Positions kept by winnowing with window ``w`` (the rightmost minimum of each window)."""
    m = len(hashes)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    if m <= w:
        rev = hashes[::-1]
        return np.array([m - 1 - int(np.argmin(rev))], dtype=np.int64)
    win = np.lib.stride_tricks.sliding_window_view(hashes, w)
    # rightmost minimum: argmin over the reversed window
    pos = (w - 1 - np.argmin(win[:, ::-1], axis=1)) + np.arange(len(win))
    return np.unique(pos)


def fingerprints(text: str, n: int, w: int) -> np.ndarray:
    """The catalogue side: distinct winnowed n-gram hashes of a text (uint64, sorted)."""
    h = ngram_hashes(word_hashes(words(text)), n)
    return np.unique(h[winnow(h, w)])
