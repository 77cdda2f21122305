"""One escaping function per sink: user text is shown literally, and nothing in it is active.

Everything a user or a file supplies (titles, names, notes, reasons, passages, file names)
goes through the function for the place it is shown:

- ``for_markdown``: Streamlit's ``st.markdown`` / ``st.caption`` / labels, and any CommonMark or
  GitHub-flavoured Markdown renderer. Images, links, autolinks, raw HTML, reference
  definitions, emphasis, headings, lists, tables, maths and Streamlit's ``:color[...]`` and
  ``:icon:`` codes all show as the characters typed.
- ``for_html``: HTML text, safe also where that HTML sits inside Markdown
  (``st.markdown(..., unsafe_allow_html=True)``), whose inline HTML is parsed as Markdown too.
- ``for_reportlab``: reportlab ``Paragraph`` markup (``<b>``, ``<font>``, ``&`` are its syntax).
- ``for_terminal`` and ``print_safe``: the command line. Escape sequences (CSI, OSC with OSC-8
  hyperlinks, DCS, SOS/PM/APC, other ESC sequences) are removed with their payload, as are
  the remaining C0 and C1 control characters and bidirectional overrides.

In the three page sinks, invisible characters that change what is shown (control characters,
bidi overrides and isolates, the byte-order mark, a soft hyphen, lone surrogates) are written
as visible ``[U+XXXX]`` notations, as the memo does (``analysis.report.markup``).

How the Markdown escape works: every ASCII punctuation character gets a backslash (CommonMark
guarantees that an escaped punctuation character is shown as itself), each line's leading
blanks are dropped (so no line becomes an indented code block; a page collapses them anyway)
and newlines become hard line breaks. Streamlit also rewrites *text* after the Markdown is
parsed, where backslashes no longer help: GitHub-flavoured autolinks (``http://``, ``www.``,
``name@host``), emoji and ``:streamlit:`` codes, and typographic arrows (``->`` becomes an
arrow). An invisible WORD JOINER (U+2060) is put inside each such pattern, so it shows as typed
and stays inert; it is the only character added, and only there.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Literal, TextIO

# --------------------------------------------------------------------------- invisible characters
# Bidirectional embeddings, overrides, isolates and marks reorder or hide what follows
# (the "Trojan Source" attack); U+FEFF and U+00AD are invisible. Same set as the memo's.
_BIDI_AND_INVISIBLE = frozenset(
    {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD}
)


def is_hidden_control(ch: str) -> bool:
    """A character that is invisible or changes how the rest is shown: C0/C1 controls (not newline
    or tab), DEL, bidi controls, U+FEFF, U+00AD, lone surrogates."""
    cp = ord(ch)
    return (
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or cp in _BIDI_AND_INVISIBLE or 0xD800 <= cp <= 0xDFFF
    )


def notation(ch: str) -> str:
    """How a hidden character is shown instead: ``[U+202E]``."""
    return f"[U+{ord(ch):04X}]"


_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85]")  # Windows, old Mac, Unicode line/paragraph separators


def _visible(text: str) -> str:
    """Line ends made ``\\n`` and hidden characters written as notations."""
    text = _LINE_ENDS.sub("\n", str(text))
    if text.isascii() and text.isprintable():
        return text
    return "".join(notation(c) if is_hidden_control(c) else c for c in text)


# --------------------------------------------------------------------------- Markdown
_JOINER = "\u2060"  # WORD JOINER: invisible, not a word character, breaks Streamlit's text rewrites
# Where Streamlit's frontend (StreamlitMarkdown.js, remark-gfm, remark-emoji) rewrites text after
# parsing: a joiner goes at each of these positions.
_TEXT_REWRITES = re.compile(
    r"(?i:(?<=https)|(?<=http))(?=://)"  # autolink literal http:// and https://
    r"|(?i:(?<=www))(?=\.)"  # autolink literal www.
    r"|(?<=@)(?=[\w\-])"  # e-mail autolink name@host
    r"|(?<=:)(?=[\w+\-]+:)"  # emoji :smile:, :+1:, and :streamlit:
)
# Typographic replacements, each only between blanks: <-> -> <- -- >= <= ~=
_ARROWS = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{2,}")


def _break_text_rewrites(text: str) -> str:
    text = _TEXT_REWRITES.sub(_JOINER, text)
    return _ARROWS.sub(lambda m: m.group(1)[0] + _JOINER + m.group(1)[1:], text)


def for_markdown(text: str, *, newlines: Literal["break", "space"] = "break") -> str:
    """``text`` as Markdown that shows exactly these characters and nothing active.

    ``newlines="break"`` keeps line breaks (a blank line stays a paragraph break);
    ``"space"`` makes one line of it (headings, table cells, captions that must stay one line).
    """
    s = _break_text_rewrites(_visible(text))
    s = _ASCII_PUNCT.sub(r"\\\1", s).replace("\t", " ")
    if newlines == "space":
        return " ".join(s.split())
    s = _LEADING_BLANKS.sub("", s.strip("\n"))
    paragraphs = _BLANK_LINES.split(s)
    return "\n\n".join(p.replace("\n", "\\\n") for p in paragraphs)


# --------------------------------------------------------------------------- HTML
def _html_entity(m: re.Match) -> str:
    return f"&#{ord(m.group(1))};"


def for_html(text: str, *, newlines: Literal["br", "space"] = "br") -> str:
    """``text`` as HTML text: every ASCII punctuation character as a numeric reference.

    Escaping more than ``& < > " '`` makes the result inert where the HTML is itself read as
    Markdown (CommonMark never treats a character reference as syntax), and safe in attribute
    values too. Newlines become ``<br>`` (or spaces), never raw, since a blank line would end an
    HTML block inside Markdown.
    """
    s = _break_text_rewrites(_visible(text))
    s = _ASCII_PUNCT.sub(_html_entity, s).replace("\t", " ")
    return s.replace("\n", "<br>" if newlines == "br" else " ")


# --------------------------------------------------------------------------- reportlab
def for_reportlab(text: str, *, newlines: bool = True) -> str:
    """``text`` as reportlab ``Paragraph`` markup: literal characters, ``<br/>`` for newlines.

    The memo's ``analysis.report.markup.MarkupWriter`` does the same and also picks fallback
    fonts; this is the plain form for any other paragraph.
    """
    s = _visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\t", " ")
    return s.replace("\n", "<br/>" if newlines else " ")


# --------------------------------------------------------------------------- terminal
_TERMINAL_SEQUENCE = re.compile(
    # OSC, DCS, SOS, PM, APC: introducer ... terminator (BEL or ST); 7-bit and 8-bit forms
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    # CSI: parameters, intermediates, final byte
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    # any other escape sequence: ESC, intermediates, final byte (ESC c resets the terminal)
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)


def for_terminal(text: str, *, newlines: bool = True, tabs: bool = True) -> str:
    """``text`` safe to print: escape sequences and hidden control characters removed.

    Newlines (``\\r\\n`` and ``\\r`` become ``\\n``) and tabs are kept unless asked otherwise
    (``newlines=False`` makes one line: error messages). Lone surrogates, which cannot be
    printed at all, become U+FFFD.
    """
    s = _LINE_ENDS.sub("\n", str(text))
    if not (s.isascii() and s.isprintable()):
        s = _TERMINAL_SEQUENCE.sub("", s)
        s = "".join(_terminal_char(c) for c in s)
    if not newlines:
        s = s.replace("\n", " ")
    if not tabs:
        s = s.replace("\t", " ")
    return s


def _terminal_char(c: str) -> str:
    if 0xD800 <= ord(c) <= 0xDFFF:
        return "\ufffd"
    return "" if is_hidden_control(c) else c


def print_safe(*parts: object, file: TextIO | None = None, sep: str = " ", end: str = "\n") -> None:
    """``print`` for text that holds user input: through ``for_terminal``, never failing on encoding."""
    out = file if file is not None else sys.stdout
    text = for_terminal(sep.join(str(p) for p in parts)) + end
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, errors="replace").decode(encoding))
    out.flush()
