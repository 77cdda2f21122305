"""Render a ``MemoDoc`` to PDF bytes with reportlab.

Header and footer on every page (matter, date, page X of Y, the not-legal-advice notice and,
when asked, the privilege banner), an outline entry per section, document metadata, embedded
fonts, and ``invariant=1`` so the same memo gives the same bytes (golden tests).

"Page X of Y" without a second layout pass: each page draws a reference to a form XObject
that is defined once, after the last page, with the page count.
"""

from __future__ import annotations

import functools
from datetime import datetime
from io import BytesIO

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
from analysis.report.fonts import FontSet
from analysis.report.markup import MarkupWriter, plain

_PAGE_COUNT_FORM = "fairusePageCount"
_MAX_FIGURE_HEIGHT_CM = 6.5


def render_pdf(doc: MemoDoc, writer: MarkupWriter, created: datetime, keywords: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    fonts: FontSet = writer.fonts
    W, H = LETTER
    margin = 2.0 * cm
    top = 2.4 * cm + (0.7 * cm if doc.banner else 0)
    bottom = 2.0 * cm
    text_width = W - 2 * margin

    base = ParagraphStyle(
        "body",
        fontName=fonts.body,
        bulletFontName=fonts.body,  # else bullets are set in Helvetica, which is not embedded
        fontSize=9.5,
        leading=13,
        alignment=TA_LEFT,
        spaceAfter=4,
        splitLongWords=1,
        wordWrap=None,
    )
    styles = {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontName=fonts.bold, fontSize=15, leading=19, spaceAfter=4),
        "note": ParagraphStyle(
            "note", parent=base, fontName=fonts.italic, fontSize=8.5, leading=11.5, textColor=colors.HexColor("#333333")
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#333333")),
        "label": ParagraphStyle("label", parent=base, fontName=fonts.bold, keepWithNext=1),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=fonts.bold,
            fontSize=13,
            leading=16,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=fonts.bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=fonts.bold, fontSize=8, leading=10, spaceAfter=0),
        "cellmono": ParagraphStyle(
            "cellmono", parent=base, fontName=fonts.mono, fontSize=6.4, leading=8.5, spaceAfter=0
        ),
        "code": ParagraphStyle("code", parent=base, fontName=fonts.mono, fontSize=7, leading=8.8, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "banner": ParagraphStyle("banner", parent=base, fontName=fonts.bold, fontSize=9, leading=11, alignment=1),
        "header": ParagraphStyle(
            "header", parent=base, fontSize=7.5, leading=9, spaceAfter=0, textColor=colors.HexColor("#444444")
        ),
    }

    def seg_markup(parts: list[Seg]) -> str:
        out = []
        for s in parts:
            m = writer.text(s.text)
            if s.marked:
                m = f"<b><u>{m}</u></b>"
            elif s.bold:
                m = f"<b>{m}</b>"
            if s.italic:
                m = f"<i>{m}</i>"
            out.append(m)
        return "".join(out)

    def cell(text: str, style: str = "cell", mono: bool = False) -> Paragraph:
        return Paragraph(writer.text(text, mono=mono), styles["cellmono" if mono else style])

    header_right = writer.text(doc.header_right, newlines=False)
    header_left, header_style = _one_line_header(doc.header_left, writer, styles["header"], text_width * 0.62)
    banner_markup = writer.text(doc.banner, newlines=False) if doc.banner else ""
    notice = writer.text(doc.footer_notice, newlines=False)

    def on_page(canv, _doc) -> None:
        canv.saveState()
        y_top = H - 1.2 * cm
        p = Paragraph(header_left, header_style)
        p.wrapOn(canv, text_width * 0.62, 2 * cm)
        p.drawOn(canv, margin, y_top - p.height + 9)
        pr = Paragraph(header_right, ParagraphStyle("hr", parent=styles["header"], alignment=2))
        pr.wrapOn(canv, text_width * 0.36, 2 * cm)
        pr.drawOn(canv, W - margin - text_width * 0.36, y_top - pr.height + 9)
        line_y = y_top - max(p.height, pr.height) + 5
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setLineWidth(0.5)
        canv.line(margin, line_y, W - margin, line_y)
        if banner_markup:
            bp = Paragraph(banner_markup, styles["banner"])
            bp.wrapOn(canv, text_width - 8, 2 * cm)
            by = line_y - 4 - bp.height - 4
            canv.setLineWidth(1)
            canv.setStrokeColor(colors.black)
            canv.rect(margin, by, text_width, bp.height + 6, stroke=1, fill=0)
            bp.drawOn(canv, margin + 4, by + 3)
        canv.setLineWidth(0.5)
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.line(margin, 1.45 * cm, W - margin, 1.45 * cm)
        fp = Paragraph(notice, styles["header"])
        fp.wrapOn(canv, text_width - 3 * cm, 2 * cm)
        fp.drawOn(canv, margin, 1.35 * cm - fp.height)
        canv.setFont(fonts.body, 7.5)
        canv.setFillColor(colors.HexColor("#444444"))
        label = f"Page {canv.getPageNumber()} of"
        x = W - margin - 0.55 * cm
        canv.drawRightString(x, 1.35 * cm - 8, label)
        canv.doForm(_PAGE_COUNT_FORM)
        canv.restoreState()

    class _MemoCanvas(Canvas):
        """Sets the memo's own creation date in the metadata (invariant mode would print
        2000-01-01) and defines the page-count form once the page count is known."""

        def __init__(self, *args, **kwargs):
            # the template passes None, which would start every page in (unembedded) Helvetica
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.body
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 9.5
            super().__init__(*args, **kwargs)
            stamp = created.strftime("D:%Y%m%d%H%M%S") + "+00'00'"
            self.setDateFormatter(lambda *_a: stamp)

        def save(self):
            # After the template's last showPage the counter already points past the last page.
            total = self.getPageNumber() - (0 if self._code else 1)
            self.beginForm(_PAGE_COUNT_FORM)
            self.setFont(fonts.body, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(W - margin - 0.55 * cm + 2.5, 1.35 * cm - 8, str(total))
            self.endForm()
            super().save()

    class _Doc(BaseDocTemplate):
        def afterFlowable(self, flowable) -> None:
            key = getattr(flowable, "_outline_key", None)
            if key:
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable._outline_text, key, level=flowable._outline_level, closed=False)

    buf = BytesIO()
    pdf = _Doc(
        buf,
        pagesize=LETTER,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=bottom,
        title=plain(doc.title),
        author=plain(doc.author),
        subject=plain(doc.subject),
        creator="fairuse (reportlab)",
        keywords=keywords,
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(margin, bottom, text_width, H - top - bottom, id="body", leftPadding=0, rightPadding=0)
    pdf.addPageTemplates([PageTemplate(id="memo", frames=[frame], onPage=on_page)])

    story = []
    for counter, b in enumerate(doc.blocks, 1):
        story.extend(_flowables(b, counter, styles, seg_markup, cell, writer, fonts, text_width))
    pdf.build(keep_headings_with_next(story), canvasmaker=_MemoCanvas)
    return buf.getvalue()


def keep_headings_with_next(story: list) -> list:
    """Each run of headings (h1, h2 and lead-in labels such as "Application:") wrapped with the
    flowable that follows it, so that no heading is ever the last thing on a page.

    ``keepWithNext`` on the styles is not enough: reportlab only groups a heading with the next
    flowable when that one may sit in a ``KeepTogether`` (a passage shown side by side, a
    figure or a region map are ``KeepTogether`` themselves and are left out, stranding the
    heading), and when it does group them, a table or paragraph longer than the rest of the
    page takes the heading with it to the next page, leaving the space empty. See
    ``HeadingWithNext`` below for what is kept together instead.
    """
    out: list = []
    i = 0
    while i < len(story):
        f = story[i]
        if not getattr(f, "_memo_heading", False):
            out.append(f)
            i += 1
            continue
        heads = []
        while i < len(story) and getattr(story[i], "_memo_heading", False):
            heads.append(story[i])
            i += 1
        if i < len(story) and not _is_action(story[i]):
            out.append(_heading_with_next_class()(heads, story[i]))
            i += 1
        else:  # the end of the memo, or a page break: nothing to keep them with
            out.extend(heads)
    return out


def _is_action(f) -> bool:
    from reportlab.platypus.doctemplate import ActionFlowable
    from reportlab.platypus.flowables import PageBreak

    return isinstance(f, (ActionFlowable, PageBreak))


@functools.cache
def _heading_with_next_class() -> type:
    from reportlab.platypus.doctemplate import FrameBreak
    from reportlab.platypus.flowables import Flowable, KeepTogether

    class HeadingWithNext(Flowable):
        """Headings and the start of what follows them, on the same page.

        Like ``KeepTogether``, it always asks to be split, and splits into its parts: the
        headings and the follower whole where they fit; else the headings and the follower's
        first part (the rows of a table, the lines of a paragraph that fit under them) where
        the follower can be split; else a frame break first, so the headings open the next
        page with what follows. At the top of a page it gives its parts as they are (nothing
        is gained by moving on, and it must not loop).
        """

        _FUZZ = 0.5  # points: reportlab's frame allows a hair's breadth, this allows less

        def __init__(self, heads: list, follower) -> None:
            self._heads = heads
            self._follower = follower
            for h in heads:  # this flowable does the keeping; reportlab's own would regroup them
                h.__dict__["keepWithNext"] = 0

        def getSpaceBefore(self) -> float:
            return self._heads[0].getSpaceBefore()

        def wrap(self, availWidth, availHeight):
            return availWidth, 0xFFFFFF  # never drawn itself: always split

        def _height(self, flowables: list, width: float) -> float:
            """Height of flowables set one under another as the frame sets them: the space
            between two is the larger of the first's space after and the second's before
            (the frame overlaps them), the first's before and the last's after not counted."""
            total, after = 0.0, None
            for f in flowables:
                _w, h = f.wrapOn(self.canv, width, 0xFFFFFF)
                if after is not None:
                    total += max(after, f.getSpaceBefore())
                total += h
                after = f.getSpaceAfter()
            return total

        def split(self, availWidth, availHeight):
            heads, nxt = list(self._heads), self._follower
            frame = getattr(self, "_frame", None)
            at_top = bool(frame is not None and getattr(frame, "_atTop", 0))
            inner = list(nxt._content) if isinstance(nxt, KeepTogether) else [nxt]
            if at_top:
                # a kept-together block taller than a page is split by reportlab at the top of
                # a page; under a heading it would be sent to the next page, leaving the heading
                if isinstance(nxt, KeepTogether) and self._height(heads + inner, availWidth) > availHeight:
                    for f in inner:  # else reportlab would keep them together again
                        f.__dict__["keepWithNext"] = 0
                    return heads + inner
                return [*heads, nxt]
            gap = max(heads[-1].getSpaceAfter(), inner[0].getSpaceBefore())
            room = availHeight - self._height(heads, availWidth) - gap - self._FUZZ
            if room > 0:
                if self._height(inner, availWidth) <= room:
                    return [*heads, nxt]
                if not isinstance(nxt, KeepTogether):
                    nxt.wrapOn(self.canv, availWidth, room)
                    parts = nxt.splitOn(self.canv, availWidth, room)
                    if len(parts) > 1:
                        return heads + list(parts)
            return [FrameBreak(), *heads, nxt]

    return HeadingWithNext


@functools.cache
def _widow_safe_table_class() -> type:
    """reportlab's ``Table``, except that a break never leaves fewer than
    ``MEMO_TABLE_MIN_ROWS_AFTER_BREAK`` rows for the next page: the break moves up a row
    (or more) while the first page keeps at least one row of its own."""
    from reportlab.platypus import Table as _RLTable

    from analysis import defaults

    class WidowSafeTable(_RLTable):
        def split(self, availWidth, availHeight):
            parts = super().split(availWidth, availHeight)
            if len(parts) != 2:
                return parts
            head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
            first, rest = len(parts[0]._cellvalues), len(parts[1]._cellvalues) - head
            short = defaults.MEMO_TABLE_MIN_ROWS_AFTER_BREAK - rest
            if short <= 0 or first - short <= head:
                return parts
            # the rows' heights are known now (split laid the table out): break above them
            height = sum(self._rowHeights[: first - short])
            return super().split(availWidth, height + 0.01)

    return WidowSafeTable


def _one_line_header(text: str, writer: MarkupWriter, style, width: float):
    """The running header on one line above the rule: a smaller size first (down to 6 pt), then
    the matter's name shortened at a word with an ellipsis (the full name is in the title)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    def lines(markup: str, st) -> int:
        p = Paragraph(markup, st)
        p.wrap(width, 1000)
        return len(p.blPara.lines)

    markup = writer.text(text, newlines=False)
    for size in (style.fontSize, 7.0, 6.5, 6.0):
        st = ParagraphStyle(f"header{size}", parent=style, fontSize=size, leading=size + 1.5)
        if lines(markup, st) <= 1:
            return markup, st
    words = text.split()
    while len(words) > 1:
        words.pop()
        markup = writer.text(" ".join(words).rstrip(",;:") + " …", newlines=False)
        if lines(markup, st) <= 1:
            return markup, st
    return markup, st


def _flowables(b, n, styles, seg_markup, cell, writer, fonts, width):
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, TableStyle

    def RLTable(*args, **kwargs):
        t = _widow_safe_table_class()(*args, **kwargs)
        t.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.body)])
        return t

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    if isinstance(b, Heading):
        p = Paragraph(writer.text(b.text, newlines=False), styles["h1" if b.level == 1 else "h2"])
        p._memo_heading = True
        p._outline_key = f"s{n}"
        p._outline_text = plain(b.text)
        p._outline_level = 0 if b.level == 1 else 1
        if b.new_page:
            from reportlab.platypus import PageBreak

            return [PageBreak(), p]
        return [p]
    if isinstance(b, Para):
        para = Paragraph(seg_markup(b.parts), styles[b.style])
        para._memo_heading = b.style == "label"  # a lead-in ("Application:") is a heading too
        return [para]
    if isinstance(b, Bullets):
        return [Paragraph(seg_markup(item), styles["bullet"], bulletText="•") for item in b.items]
    if isinstance(b, Banner):
        t = RLTable([[Paragraph(writer.text(b.text), styles["banner"])]], colWidths=[width])
        t.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return [t, Spacer(1, 6)]
    if isinstance(b, Table):
        data = [[cell(h, "cellhead") for h in b.header]]
        for row in b.rows:
            data.append([cell(c, mono=(i in b.mono_cols)) for i, c in enumerate(row)])
        t = RLTable(data, colWidths=[f * width for f in b.widths], repeatRows=1, splitByRow=1)
        t.setStyle(grid)
        out = [t]
        if b.caption:
            out.append(Spacer(1, 2))
            out.append(Paragraph(writer.text(b.caption), styles["small"]))
        out.append(Spacer(1, 6))
        return out
    if isinstance(b, SideBySide):
        t = RLTable(
            [
                [cell(b.left_label, "cellhead"), cell(b.right_label, "cellhead")],
                [Paragraph(seg_markup(b.left), styles["cell"]), Paragraph(seg_markup(b.right), styles["cell"])],
            ],
            colWidths=[width / 2, width / 2],
        )
        t.setStyle(grid)
        return [KeepTogether([Paragraph(writer.text(b.title), styles["label"]), t]), Spacer(1, 6)]
    if isinstance(b, FigureBlock):
        if b.png is None:
            t = RLTable([[Paragraph(writer.text(f"{b.caption}\n{b.error}"), styles["note"])]], colWidths=[width])
            t.setStyle(
                TableStyle(
                    [
                        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#777777")),
                        ("TOPPADDING", (0, 0), (-1, -1), 8),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            return [t, Spacer(1, 6)]
        from PIL import Image as PILImage

        with PILImage.open(BytesIO(b.png)) as im:
            pw, ph = im.size
        scale = min(width * 0.95 / pw, _MAX_FIGURE_HEIGHT_CM * cm / ph)
        img = Image(BytesIO(b.png), width=pw * scale, height=ph * scale)
        return [KeepTogether([img, Paragraph(writer.text(b.caption), styles["small"])]), Spacer(1, 6)]
    if isinstance(b, BarChart):
        return [_chart(b, fonts, width), Spacer(1, 6)]
    if isinstance(b, RegionMap):
        return [
            KeepTogether([_region_map(b, fonts, width), Paragraph(writer.text(b.description), styles["small"])]),
            Spacer(1, 6),
        ]
    if isinstance(b, Code):
        lines = []
        for line in b.text.split("\n"):
            stripped = line.lstrip(" ")
            lines.append("&nbsp;" * (len(line) - len(stripped)) + writer.text(stripped, mono=True, newlines=False))
        return [Paragraph("<br/>".join(lines), styles["code"])]
    raise TypeError(f"unknown memo block {type(b).__name__}")


def _chart(b: BarChart, fonts: FontSet, width: float):
    """Labelled horizontal bars. Each bar's value is written beside it in words, so the
    chart never relies on colour alone; diverging charts (lo < 0) get a centre line."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    row_h, label_w, value_w = 15, 120, 150
    plot_w = width - label_w - value_w - 10
    h = 22 + row_h * len(b.bars) + 14
    d = Drawing(width, h)
    d.initialFontName = fonts.body  # else Times-Roman (reportlab graphics default), not embedded
    d.add(String(0, h - 11, b.title, fontName=fonts.bold, fontSize=8.5))
    x0 = label_w
    span = (b.hi - b.lo) or 1.0
    zero = x0 + plot_w * (0 - b.lo) / span if b.lo < 0 < b.hi else x0
    for i, (label, value, vlabel) in enumerate(b.bars):
        y = h - 22 - row_h * (i + 1) + 3
        d.add(String(0, y + 2, label, fontName=fonts.body, fontSize=8))
        d.add(Rect(x0, y, plot_w, row_h - 5, strokeColor=colors.HexColor("#bbbbbb"), fillColor=None, strokeWidth=0.4))
        v = min(max(value, b.lo), b.hi)
        xv = x0 + plot_w * (v - b.lo) / span
        left, right = sorted((zero, xv))
        fill = colors.HexColor("#4d4d4d") if v < 0 else colors.HexColor("#8c8c8c")
        if right - left > 0.2:
            d.add(Rect(left, y, right - left, row_h - 5, fillColor=fill, strokeColor=colors.black, strokeWidth=0.4))
        else:
            d.add(Line(zero, y - 1, zero, y + row_h - 4, strokeColor=colors.black, strokeWidth=1.2))
        d.add(String(x0 + plot_w + 6, y + 2, vlabel, fontName=fonts.body, fontSize=8))
    if b.lo < 0 < b.hi:
        d.add(Line(zero, 10, zero, h - 16, strokeColor=colors.black, strokeWidth=0.8, strokeDashArray=[2, 2]))
    d.add(String(x0, 1, b.axis_labels[0], fontName=fonts.italic, fontSize=7))
    d.add(String(x0 + plot_w, 1, b.axis_labels[1], fontName=fonts.italic, fontSize=7, textAnchor="end"))
    return d


def _region_map(b: RegionMap, fonts: FontSet, width: float):
    """Frames to scale with the region's polygon; the region is hatched and outlined, so it
    reads without colour."""
    from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
    from reportlab.lib import colors

    box_h, gap, title_h = 110.0, 24.0, 16.0
    panel_w = (width - gap * (len(b.panels) - 1)) / max(1, len(b.panels))
    d = Drawing(width, box_h + title_h + 14)
    d.initialFontName = fonts.body  # else Times-Roman (reportlab graphics default), not embedded
    d.add(String(0, box_h + title_h + 2, b.title, fontName=fonts.bold, fontSize=8.5))
    for i, (label, (w, h), points) in enumerate(b.panels):
        if w <= 0 or h <= 0:
            continue
        scale = min(panel_w / w, box_h / h)
        x0 = i * (panel_w + gap)
        y0 = 12 + (box_h - h * scale)
        d.add(
            Rect(
                x0,
                y0,
                w * scale,
                h * scale,
                fillColor=colors.HexColor("#f2f2f2"),
                strokeColor=colors.black,
                strokeWidth=0.6,
            )
        )
        pts = []
        for x, y in points:
            pts += [x0 + min(max(x, 0), w) * scale, y0 + (h - min(max(y, 0), h)) * scale]
        if len(pts) >= 6:
            d.add(Polygon(pts, fillColor=colors.HexColor("#bdbdbd"), strokeColor=colors.black, strokeWidth=1.4))
            xs, ys = pts[0::2], pts[1::2]
            step = 6.0
            k = min(xs) - (max(ys) - min(ys))
            while k < max(xs):  # diagonal hatching inside the region's bounding box
                d.add(
                    Line(
                        max(k, min(xs)),
                        min(ys) + max(0, min(xs) - k),
                        min(max(xs), k + (max(ys) - min(ys))),
                        min(ys) + min(max(ys) - min(ys), max(xs) - k),
                        strokeColor=colors.HexColor("#555555"),
                        strokeWidth=0.3,
                    )
                )
                k += step
            d.add(PolyLine(pts + pts[:2], strokeColor=colors.black, strokeWidth=1.4))
        d.add(String(x0, 1, f"{label} ({w} × {h} px)", fontName=fonts.body, fontSize=7.5))
    return d
