"""Render a ``MemoDoc`` as Markdown: the memo's twin for screen readers and editing.

reportlab cannot tag a PDF for assistive technology (design notes §5), so the same blocks are
written as Markdown with real headings, lists and tables. User text is escaped so that a
``*``, ``|`` or ``#`` in a title cannot turn into formatting, and newlines inside table cells
become ``<br>``. Characters are kept exactly as entered (no font limits here), except control
characters, which are written as code points as in the PDF.
"""

from __future__ import annotations

import re

from analysis.report.blocks import (
    Banner,
    BarChart,
    Bullets,
    Code,
    FigureBlock,
    Heading,
    MemoDoc,
    Para,
    RegionMap,
    Seg,
    SideBySide,
    Table,
)
from analysis.report.markup import is_control, notation

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])", re.MULTILINE)


def _escape_line_start(m: re.Match) -> str:
    mark = m.group(2)
    if mark[0].isdigit():  # "1." starts a list: escape the dot, not the digit
        return m.group(1) + mark[:-1] + "\\" + mark[-1]
    return m.group(1) + "\\" + mark


def md_escape(text: str, *, cell: bool = False) -> str:
    """Escape Markdown syntax so user text shows literally."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(notation(c) if is_control(c) else c for c in text)
    text = text.replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    if cell:
        text = text.replace("\r", "").replace("\n", "<br>")
    return text


def _segs(parts: list[Seg]) -> str:
    out = []
    for s in parts:
        body = md_escape(s.text).replace("\n", "  \n")
        stripped = body.strip()
        if not stripped:
            out.append(body)
            continue
        lead, trail = body[: len(body) - len(body.lstrip())], body[len(body.rstrip()) :]
        if s.marked or s.bold:
            stripped = f"**{stripped}**"
        if s.italic:
            stripped = f"*{stripped}*"
        out.append(lead + stripped + trail)
    return "".join(out)


def render_markdown(doc: MemoDoc) -> str:
    lines: list[str] = [f"<!-- {md_escape(doc.header_left)} · {md_escape(doc.header_right)} -->", ""]
    if doc.banner:
        lines += [f"> **{md_escape(doc.banner)}**", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            lines += ["#" * (b.level + 1) + " " + md_escape(b.text), ""]
        elif isinstance(b, Banner):
            lines += [f"> **{md_escape(b.text)}**", ""]
        elif isinstance(b, Para):
            text = _segs(b.parts)
            if b.style == "lead":
                lines += ["# " + text, ""]
            elif b.style == "note":
                lines += ["> " + text.replace("\n", "\n> "), ""]
            else:
                lines += [text, ""]
        elif isinstance(b, Bullets):
            lines += ["- " + _segs(item).replace("\n", "\n  ") for item in b.items] + [""]
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(md_escape(h, cell=True) for h in b.header) + " |")
            lines.append("|" + "|".join(" --- " for _ in b.header) + "|")
            for row in b.rows:
                lines.append("| " + " | ".join(md_escape(c, cell=True) for c in row) + " |")
            lines.append("")
            if b.caption:
                lines += ["*" + md_escape(b.caption) + "*", ""]
        elif isinstance(b, SideBySide):
            lines += [
                f"**{md_escape(b.title)}**",
                "",
                f"{md_escape(b.left_label)}:",
                "",
                "> " + _segs(b.left).replace("\n", "\n> "),
                "",
                f"{md_escape(b.right_label)}:",
                "",
                "> " + _segs(b.right).replace("\n", "\n> "),
                "",
            ]
        elif isinstance(b, FigureBlock):
            if b.png is None:
                lines += [f"*{md_escape(b.caption)}: {md_escape(b.error or '')}*", ""]
            else:
                lines += [f"*Figure: {md_escape(b.caption)} (the picture is in the PDF memo)*", ""]
        elif isinstance(b, BarChart):
            lines += [f"**{md_escape(b.title)}**", ""]
            lines += [f"- {md_escape(label)}: {md_escape(vlabel)}" for label, _v, vlabel in b.bars] + [""]
        elif isinstance(b, RegionMap):
            lines += [f"**{md_escape(b.title)}**", "", md_escape(b.description), ""]
        elif isinstance(b, Code):
            longest = max((len(m) for m in re.findall(r"`+", b.text)), default=0)
            fence = "`" * max(3, longest + 1)
            safe = "".join(notation(c) if is_control(c) else c for c in b.text)
            lines += [fence + "json", safe, fence, ""]
    lines += ["---", "", "*" + md_escape(doc.footer_notice) + "*", ""]
    return "\n".join(lines)
