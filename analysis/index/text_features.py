"""What the index keeps of a text, and what a scan computes of a work: fingerprints and chunks.

Catalogue side: the distinct winnowed 5-gram fingerprints (32 bits each) and sentence-aligned
chunks of about ``INDEX_CHUNK_WORDS`` words for the static embedding. Query side: *every*
5-gram hash (so any catalogue fingerprint inside a shared passage is hit) and overlapping
sentence windows of about ``INDEX_QUERY_WINDOW_WORDS`` words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from analysis import defaults
from analysis.index.fingerprints import ngram_hashes, winnow, word_hashes, word_spans

_SENTENCE_END = re.compile(r"(?<=[.!?;:…])[\"'’”»)\]]*\s+|\n\s*\n")


def to_u32(h: np.ndarray) -> np.ndarray:
    """The top 32 bits of 64-bit hashes: the stored fingerprint."""
    return (h >> np.uint64(32)).astype(np.uint32)


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences (a light splitter: ends at . ! ? ; : or a blank line)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text) and text[start:].strip():
        out.append((start, len(text)))
    return out


def _groups(text: str, target: int, stride_words: int | None) -> list[tuple[int, int]]:
    """Sentence-aligned character spans of about ``target`` words.

    Without ``stride_words`` the groups tile the text (catalogue chunks); with it, a new group
    starts at the first sentence at least ``stride_words`` after the last start (query windows).
    A sentence longer than twice the target is cut by words.
    """
    spans = word_spans(text)
    if not spans:
        return []
    starts = np.array([a for a, _ in spans])
    pieces: list[tuple[int, int, int]] = []  # (first word, last word + 1) per sentence
    for a, b in sentences(text):
        w0 = int(np.searchsorted(starts, a))
        w1 = int(np.searchsorted(starts, b))
        while w1 - w0 > 2 * target:
            pieces.append((w0, w0 + target, 0))
            w0 += target
        if w1 > w0:
            pieces.append((w0, w1, 0))
    groups: list[tuple[int, int]] = []
    if stride_words is None:
        g0 = None
        for w0, w1, _ in pieces:
            if g0 is None:
                g0 = w0
            if w1 - g0 >= target:
                groups.append((g0, w1))
                g0 = None
        if g0 is not None:
            last = pieces[-1][1]
            if groups and last - g0 < target // 3:
                groups[-1] = (groups[-1][0], last)  # a short tail joins the chunk before it
            else:
                groups.append((g0, last))
    else:
        last_start = -(10**9)
        for i, (w0, _w1, _) in enumerate(pieces):
            if w0 - last_start < stride_words:
                continue
            end = w0
            j = i
            while j < len(pieces) and end - w0 < target:
                end = pieces[j][1]
                j += 1
            groups.append((w0, end))
            last_start = w0
            if end >= pieces[-1][1]:
                break
    return [(spans[a][0], spans[b - 1][1]) for a, b in groups if b > a]


@dataclass
class TextFeatures:
    words: int
    fingerprints: np.ndarray  # uint32, distinct
    chunks: list[str]


def catalogue_text_features(text: str) -> TextFeatures:
    from analysis.index.fingerprints import words as _words

    ws = _words(text)
    h = ngram_hashes(word_hashes(ws), defaults.INDEX_NGRAM_WORDS)
    fp = np.unique(to_u32(h[winnow(h, defaults.INDEX_WINNOW_WINDOW)]))
    chunks = [text[a:b] for a, b in _groups(text, defaults.INDEX_CHUNK_WORDS, None)]
    return TextFeatures(words=len(ws), fingerprints=fp, chunks=chunks)


@dataclass
class QueryText:
    words: int
    hashes: np.ndarray  # uint32 per word position (every 5-gram)
    windows: list[str]


def query_text_features(text: str) -> QueryText:
    from analysis.index.fingerprints import words as _words

    ws = _words(text)
    h = to_u32(ngram_hashes(word_hashes(ws), defaults.INDEX_NGRAM_WORDS))
    target = defaults.INDEX_QUERY_WINDOW_WORDS
    windows = [text[a:b] for a, b in _groups(text, target, max(1, target // 3))]
    return QueryText(words=len(ws), hashes=h, windows=windows)
