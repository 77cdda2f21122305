"""Normalise text for comparison while keeping a map back to the user's characters.

Two texts that say the same thing often differ in ways no reader notices: curly versus
straight quotes, an en dash versus a hyphen, a ligature, a line break in the middle of a
hyphenated word, two spaces after a full stop. Comparison runs on the normalised text;
every finding is then mapped back through ``OffsetMap`` so the app can highlight the exact
characters the user gave.

Rules, in order of application:

* invisible characters (soft hyphen, zero-width space/joiners, BOM) are dropped;
* Unicode NFKC (per base character with its combining marks), so ligatures and full-width
  forms compare equal to their plain forms;
* curly and low quotes become ``'`` and ``"``; dashes and minus signs become ``-``;
* a word hyphenated across a line break (``exam-\\nple``) is joined when the next line
  starts with a lower-case letter; before a capital (``Well-\\nKnown``, a real compound or a
  name) the hyphen stays and only the line break goes;
* a run of white space becomes one space, or one newline when it contains a blank line
  (a paragraph break, written ``\\n\\n`` so that normalising twice changes nothing; the
  sentence splitter ends a sentence there).

The map is stored as an ``array('l')`` of original indices, one per normalised character
plus a sentinel, built in bulk for unchanged stretches so that a six-million-character
novel normalises in about a second.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u0060": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}

# Everything that is not plain printable ASCII or a single space needs a look.
_SPECIAL = re.compile(
    r"(?P<hyph>(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[a-z\u00df-\u00ff]))"
    r"|(?P<hyphkeep>(?<=[^\W\d_]-)[ \t]*\r?\n[ \t]*(?=[^\W\d_]))"
    r"|(?P<ws>\s{2,}|[^\S ])"
    # a plain letter followed by combining marks ("e" + U+0301) is composed with them by NFKC
    r"|(?P<other>(?:[A-Za-z](?=[\u0300-\u036f]))?[^\x20-\x7e\s]+)"
)


@dataclass(frozen=True)
class OffsetMap:
    """``starts[i]`` is the original index of normalised character ``i``; ``starts[n]`` = len(original)."""

    starts: array

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open normalised range to the half-open original range it came from."""
        starts = self.starts
        n = len(starts) - 1
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if end == start:
            return starts[start], starts[start]
        last = starts[end - 1]
        k = end
        # a character NFKC expanded into several ("\ufb01" -> "fi") shares one original index
        while k < n and starts[k] <= last:
            k += 1
        return starts[start], max(starts[k], last + 1)


def _nfkc_cluster_text(chunk: str) -> tuple[list[str], list[int]]:
    """NFKC a run of non-ASCII characters, cluster by cluster, with each output's source index."""
    pieces: list[str] = []
    owners: list[int] = []
    i = 0
    n = len(chunk)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(chunk[j]):
            j += 1
        cluster = chunk[i:j]
        ch = cluster[0]
        if ch in _INVISIBLE:
            out = ""
        elif ch in _QUOTES and len(cluster) == 1:
            out = _QUOTES[ch]
        elif ch in _DASHES and len(cluster) == 1:
            out = "-"
        else:
            out = unicodedata.normalize("NFKC", cluster)
            out = "".join(_QUOTES.get(c, _DASHES.get(c, c)) for c in out if c not in _INVISIBLE)
            if out.isspace():
                out = " "
        for c in out:
            pieces.append(c)
            owners.append(i)
        i = j
    return pieces, owners


def normalise_text(original: str) -> tuple[str, OffsetMap]:
    """Return the normalised text and the map from its characters to ``original``'s."""
    out: list[str] = []
    starts = array("l")
    pos = 0
    last_was_space = True  # trims leading white space

    def copy_plain(a: int, b: int) -> None:
        nonlocal last_was_space
        if b > a and last_was_space and original[a] == " ":
            a += 1  # a single space right after a separator (or at the start) is dropped
        if b > a:
            out.append(original[a:b])
            starts.extend(range(a, b))
            last_was_space = original[b - 1] == " "

    def emit_space(kind: str, at: int) -> None:
        """One space, or a paragraph break written as two newlines (so re-normalising keeps it)."""
        nonlocal last_was_space
        if last_was_space:
            # never two separators in a row; upgrade a space to a paragraph break
            if kind == "\n" and out and out[-1] == " ":
                out[-1] = "\n"
                out.append("\n")
                starts.append(starts[-1])
            return
        for c in (" ",) if kind == " " else ("\n", "\n"):
            out.append(c)
            starts.append(at)
        last_was_space = True

    for m in _SPECIAL.finditer(original):
        a = m.start()
        copy_plain(pos, a)
        if m.lastgroup in ("hyph", "hyphkeep"):
            pass  # drop the line break (and, before a lower-case letter, the hyphen): the word continues
        elif m.lastgroup == "ws":
            run = m.group()
            emit_space("\n" if run.count("\n") >= 2 or "\u2029" in run else " ", a)
        else:
            pieces, owners = _nfkc_cluster_text(m.group())
            for c, o in zip(pieces, owners):
                if c.isspace():
                    emit_space(" ", a + o)
                else:
                    out.append(c)
                    starts.append(a + o)
                    last_was_space = False
        pos = m.end()
    copy_plain(pos, len(original))
    text = "".join(out)
    # trim trailing separators
    trimmed = text.rstrip(" \n")
    if len(trimmed) < len(text):
        del starts[len(trimmed) :]
        text = trimmed
    starts.append(len(original))
    return text, OffsetMap(starts)
