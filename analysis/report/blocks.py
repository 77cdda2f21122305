"""The memo as a neutral list of blocks, rendered twice: to PDF (``pdf.py``) and Markdown
(``markdown.py``).

Why a middle layer: the Markdown twin exists for screen readers and editing (reportlab cannot
tag a PDF), so it must say exactly what the PDF says. Building the content once and rendering
it twice keeps the two in step. Every string in a block is *plain text* (user text included);
escaping belongs to each renderer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Seg:
    """A run of plain text; ``marked`` = words found in both works (bold + underline + legend)."""

    text: str
    bold: bool = False
    italic: bool = False
    marked: bool = False


def segs(text: str, **kw) -> list[Seg]:
    return [Seg(text, **kw)]


@dataclass
class Heading:
    text: str
    level: int  # 1 = section (outline top level), 2 = subsection
    key: str
    new_page: bool = False  # the first appendix starts on a new page (PDF only)


ParaStyle = Literal["body", "note", "small", "lead", "label"]


@dataclass
class Para:
    parts: list[Seg]
    style: ParaStyle = "body"


@dataclass
class Bullets:
    items: list[list[Seg]]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    caption: str = ""
    mono_cols: tuple[int, ...] = ()


@dataclass
class SideBySide:
    """One copied passage: generated text beside source text, shared words marked."""

    title: str
    left_label: str
    right_label: str
    left: list[Seg]
    right: list[Seg]


@dataclass
class FigureBlock:
    caption: str
    png: bytes | None
    error: str | None = None


@dataclass
class BarChart:
    """Labelled horizontal bars; values in [lo, hi]. Each bar carries its label in words."""

    title: str
    bars: list[tuple[str, float, str]]  # (row label, value, value label)
    lo: float
    hi: float
    axis_labels: tuple[str, str] = ("", "")


@dataclass
class RegionMap:
    """Each image drawn to scale as a frame with the matched region's outline inside it: shows
    where the copy sits even when the report carries no pictures."""

    title: str
    panels: list[tuple[str, tuple[int, int], list[tuple[float, float]]]]  # (label, (w, h), polygon)
    description: str


@dataclass
class Code:
    text: str


@dataclass
class Banner:
    text: str


Block = Heading | Para | Bullets | Table | SideBySide | FigureBlock | BarChart | RegionMap | Code | Banner


@dataclass
class MemoDoc:
    title: str
    subject: str
    author: str
    header_left: str
    header_right: str
    footer_notice: str
    banner: str | None
    blocks: list[Block] = field(default_factory=list)
    notes_slot: Para | None = None  # where the rendering notes go once every string is scanned

    def texts(self) -> Iterator[str]:
        """Every plain string in the memo, for the font-coverage scan."""
        yield from (self.title, self.header_left, self.header_right, self.footer_notice)
        if self.banner:
            yield self.banner
        for b in self.blocks:
            if isinstance(b, (Heading, Code, Banner)):
                yield b.text
            elif isinstance(b, Para):
                yield from (s.text for s in b.parts)
            elif isinstance(b, Bullets):
                yield from (s.text for item in b.items for s in item)
            elif isinstance(b, Table):
                yield from b.header
                yield from (c for row in b.rows for c in row)
                yield b.caption
            elif isinstance(b, SideBySide):
                yield from (b.title, b.left_label, b.right_label)
                yield from (s.text for s in b.left + b.right)
            elif isinstance(b, FigureBlock):
                yield b.caption
                if b.error:
                    yield b.error
            elif isinstance(b, RegionMap):
                yield from (b.title, b.description)
                yield from (panel[0] for panel in b.panels)
            elif isinstance(b, BarChart):
                yield b.title
                yield from (x for bar in b.bars for x in (bar[0], bar[2]))
