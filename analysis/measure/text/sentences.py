"""Sentence segmentation of a normalised text, as character spans and word ranges.

A rule-based splitter, on purpose: no model download, linear time, and predictable on
literary prose. A sentence ends at ``.``, ``!`` or ``?`` (with closing quotes or brackets)
followed by white space and a capital, digit or opening quote, unless the word before the
full stop is a common abbreviation or a single initial; a paragraph break always ends one.
Over-long sentences (lists, run-ons) are cut into pieces of ``_MAX_WORDS`` words so the
embedding model (256 word pieces) sees all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from analysis.measure.text.tokens import Words

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "prof",
    "mt",
    "no",
    "vs",
    "etc",
    "vol",
    "ch",
    "fig",
    "gen",
    "col",
    "capt",
    "lt",
    "sgt",
    "rev",
    "hon",
    "messrs",
    "mme",
    "mlle",
    "esq",
    "e.g",
    "i.e",
    "cf",
    "al",
    "ed",
    "eds",
    "pp",
    "p",
    "co",
    "inc",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u00de])|\n")
_MAX_WORDS = 80


@dataclass
class Sentence:
    start: int  # char offsets in the normalised text, [start, end)
    end: int
    w0: int  # word indices [w0, w1)
    w1: int

    @property
    def words(self) -> int:
        return self.w1 - self.w0


def split_sentences(text: str, words: Words) -> list[Sentence]:
    """Sentences of ``text`` (the normalised text ``words`` was computed from)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _END.finditer(text):
        if m.group() != "\n":
            before = text[pos : m.start()].rsplit(None, 1)
            last = before[-1].lower().lstrip("\"'([") if before else ""
            if (
                last in _ABBREVIATIONS
                or (len(last) == 1 and last.isalpha())
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)
            ):
                continue
        end = m.end() if m.group() != "\n" else m.start()
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[Sentence] = []
    starts = words.starts
    for a, b in spans:
        w0 = int(np.searchsorted(starts, a, side="left"))
        w1 = int(np.searchsorted(starts, b, side="left"))
        if w1 <= w0:
            continue
        for c0 in range(w0, w1, _MAX_WORDS):
            c1 = min(w1, c0 + _MAX_WORDS)
            ca = a if c0 == w0 else int(starts[c0])
            cb = b if c1 == w1 else int(words.ends[c1 - 1])
            # trim white space at the edges
            while ca < cb and text[ca].isspace():
                ca += 1
            while cb > ca and text[cb - 1].isspace():
                cb -= 1
            out.append(Sentence(ca, cb, c0, c1))
    return out
