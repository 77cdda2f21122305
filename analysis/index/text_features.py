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
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of paragraphs (separated by a blank line), blank ones left out."""
    out, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


class _WordCounter:
    """Words in a character span, from one pass over the text."""

    def __init__(self, text: str):
        self.starts = np.array([a for a, _ in word_spans(text)], dtype=np.int64)

    def __call__(self, a: int, b: int) -> int:
        return int(np.searchsorted(self.starts, b) - np.searchsorted(self.starts, a))


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


def paragraph_chunks(text: str, target: int) -> list[tuple[int, int]]:
    """Catalogue chunks that follow paragraphs: a paragraph is a unit of topic, and a copied
    paragraph is embedded on its own rather than diluted by its neighbours.

    A paragraph of at least half the target is a chunk by itself (cut at sentences when it is
    over 1.6 times the target); shorter paragraphs (verses, dictionary entries) are grouped
    until the group reaches the target.
    """
    out: list[tuple[int, int]] = []
    buf: tuple[int, int] | None = None
    buf_words = 0
    count = _WordCounter(text)
    for a, b in paragraphs(text):
        n = count(a, b)
        if n >= target // 2:
            if buf is not None:
                out.append(buf)
                buf, buf_words = None, 0
            if n <= 1.6 * target:
                out.append((a, b))
            else:
                out.extend((a + x, a + y) for x, y in _groups(text[a:b], target, None))
            continue
        buf = (buf[0], b) if buf is not None else (a, b)
        buf_words += n
        if buf_words >= target:
            out.append(buf)
            buf, buf_words = None, 0
    if buf is not None:
        out.append(buf)
    return out


def query_windows(text: str, target: int) -> list[tuple[int, int]]:
    """Query windows: overlapping sentence windows of about ``target`` words over the whole text,
    and each paragraph of ``target / 2`` to 2.5 x ``target`` words on its own (the unit a
    catalogue chunk follows)."""
    spans = _groups(text, target, max(1, target // 3))
    seen = set(spans)
    count = _WordCounter(text)
    for a, b in paragraphs(text):
        n = count(a, b)
        if target // 2 <= n <= 2.5 * target and (a, b) not in seen:
            spans.append((a, b))
            seen.add((a, b))
    return spans


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
    chunks = [text[a:b] for a, b in paragraph_chunks(text, defaults.INDEX_CHUNK_WORDS)]
    return TextFeatures(words=len(ws), fingerprints=fp, chunks=chunks)


@dataclass
class QueryText:
    words: int
    hashes: np.ndarray  # uint32 per word position (every 5-gram)
    windows: list[str]
    spans: list[tuple[int, int]]  # each window's character span in the text


def query_text_features(text: str) -> QueryText:
    from analysis.index.fingerprints import words as _words

    ws = _words(text)
    h = to_u32(ngram_hashes(word_hashes(ws), defaults.INDEX_NGRAM_WORDS))
    target = defaults.INDEX_QUERY_WINDOW_WORDS
    spans = query_windows(text, target)
    return QueryText(words=len(ws), hashes=h, windows=[text[a:b] for a, b in spans], spans=spans)
