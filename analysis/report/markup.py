"""User text to reportlab Paragraph markup, literally.

Everything the user typed (titles, descriptions, passages, notes) reaches a reportlab
``Paragraph``, whose input is an XML-like markup: ``<b>``, ``&``, ``<font name=x>`` or an
unbalanced tag in a title would change the memo's layout or crash the build. This module is
the one door user text goes through: it escapes markup, rewrites control and bidi-override
characters as visible ``[U+XXXX]`` notations (a U+202E would otherwise reverse what follows),
switches to a fallback font for characters the body font lacks, and records what could not be
drawn so the memo can say so plainly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from analysis.report.fonts import _LAYOUT_CONTROLS, FontSet, is_rtl

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def notation(ch: str) -> str:
    """How a character that cannot be drawn is written instead: ``[U+1F600]``."""
    return f"[U+{ord(ch):04X}]"


@dataclass
class RenderIssues:
    """What the fonts could not show, collected over a whole memo."""

    not_covered: set[str] = field(default_factory=set)
    controls: set[str] = field(default_factory=set)
    rtl: bool = False
    cjk_not_embedded: bool = False
    cjk_used: bool = False

    def any(self) -> bool:
        return bool(self.not_covered or self.controls or self.rtl or self.cjk_not_embedded)


def is_control(ch: str) -> bool:
    cp = ord(ch)
    return (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or cp in _LAYOUT_CONTROLS or 0xD800 <= cp <= 0xDFFF


class MarkupWriter:
    """Turns plain text into safe Paragraph markup for one memo, recording issues as it goes."""

    def __init__(self, fonts: FontSet, issues: RenderIssues | None = None) -> None:
        self.fonts = fonts
        self.issues = issues if issues is not None else RenderIssues()

    def scan(self, text: str) -> None:
        """Record the issues ``text`` would raise without producing markup."""
        self.text(text)

    def text(self, text: str, *, mono: bool = False, newlines: bool = True) -> str:
        """Escaped markup for ``text``: literal characters, fallback fonts, visible notations."""
        if not text:
            return ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
        if text.isascii() and not _ASCII_CONTROL.search(text):  # the common case, 10x faster
            body = escape(text.replace("\t", " "))
            return body.replace("\n", "<br/>" if newlines else " ")
        out: list[str] = []
        run: list[str] = []
        run_font: str | None = None

        def flush() -> None:
            if run:
                chunk = escape("".join(run))
                out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
                run.clear()

        for ch in text:
            if ch == "\n":
                flush()
                out.append("<br/>" if newlines else " ")
                continue
            if ch == "\t":
                ch = " "
            if is_control(ch):
                self.issues.controls.add(ch)
                font, ch = None, notation(ch)
            elif ord(ch) > 0xFFFF:
                # reportlab writes a broken ToUnicode entry for characters outside the Basic
                # Multilingual Plane (emoji, historic scripts), so the PDF's text could not be
                # searched or copied: write the code point, and list it in the rendering notes.
                self.issues.not_covered.add(ch)
                font, ch = None, notation(ch)
            else:
                font = self.fonts.font_for(ch, mono=mono)
                if font == "":
                    self.issues.not_covered.add(ch)
                    font, ch = None, notation(ch)
                elif font is not None and font in (self.fonts.cjk_font, self.fonts.hangul_font):
                    self.issues.cjk_used = True
                    self.issues.cjk_not_embedded = not self.fonts.cjk_embedded
                if not self.issues.rtl and len(ch) == 1 and ord(ch) >= 0x590 and is_rtl(ch):
                    self.issues.rtl = True
            if font != run_font:
                flush()
                run_font = font
            run.append(ch)
        flush()
        return "".join(out)


def plain(text: str) -> str:
    """Plain text with control characters written as notations: for metadata and outlines."""
    return "".join(notation(c) if is_control(c) else (" " if c in "\r\n\t" else c) for c in text.replace("\r\n", "\n"))
