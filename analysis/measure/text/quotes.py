"""Quotations in a text: words inside quotation marks or block quotes.

Quoting a source to comment on it is the point of criticism (Campbell v. Acuff-Rose Music,
510 U.S. 569 (1994); Harper & Row v. Nation Enterprises, 471 U.S. 539 (1985) weighs the
quoted words all the same), so the report marks copied passages that the generated text
presents as quotation and keeps their share of the source apart; the user may exclude them
from the share taken (``exclude_quotations``).

Found on the *original* text (the normaliser folds away indentation and curly quotes):

* a double-quoted span: an opening ``"`` or ``“`` at the start of a word and the next closing
  ``"`` or ``”``, within one paragraph;
* a single-quoted span in curly quotes (``‘…’``) opening at the start of a word and closing
  before a non-letter (so apostrophes, ``don’t``, never open or close one);
* a block quote: a line starting with ``>`` (Markdown, e-mail), or a paragraph indented by
  four or more spaces or a tab after a blank line.

Attribution is not required. Quoted spans shorter than ``defaults.TEXT_QUOTE_MIN_WORDS``
words (scare quotes, titles, defined terms) are not quotations for this purpose.
"""

from __future__ import annotations

import re

import numpy as np

from analysis import defaults

_DOUBLE = re.compile(r'(?<![\w"”“])["“](?=\S)([^"“”\n]|\n(?!\s*\n))*?["”](?!\w)')
_SINGLE = re.compile(r"(?<![\w‘’])‘(?=\S)([^‘’\n]|’(?=\w)|\n(?!\s*\n))*?’(?![A-Za-z])")
_BLOCK_LINE = re.compile(r"(?m)^[ \t]*>[^\n]*(?:\n|$)")
_INDENTED_PARA = re.compile(r"(?:^|\n[ \t]*\n)((?:(?: {4,}|\t)[^\n]*(?:\n|$))+)")
_WORD = re.compile(r"[^\W_]+")


def quoted_mask(original: str) -> np.ndarray:
    """One bool per character of ``original``: inside a quotation (see the module docstring)."""
    mask = np.zeros(len(original), dtype=bool)
    if not original:
        return mask
    min_words = defaults.TEXT_QUOTE_MIN_WORDS
    for rx in (_DOUBLE, _SINGLE):
        for m in rx.finditer(original):
            if len(_WORD.findall(m.group())) >= min_words:
                mask[m.start() : m.end()] = True
    for m in _BLOCK_LINE.finditer(original):
        mask[m.start() : m.end()] = True
    for m in _INDENTED_PARA.finditer(original):
        mask[m.start(1) : m.end(1)] = True
    return mask


def quoted_words(original: str, original_word_starts: np.ndarray) -> np.ndarray:
    """Per word (given by its start offset in ``original``): inside a quotation."""
    mask = quoted_mask(original)
    if mask.size == 0 or original_word_starts.size == 0:
        return np.zeros(original_word_starts.shape[0], dtype=bool)
    return mask[np.clip(original_word_starts, 0, mask.size - 1)]
