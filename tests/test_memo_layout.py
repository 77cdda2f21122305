"""Memos laid out for the reader (issue #12): every table cell, heading and list item printed
whole, wrapped over as many lines as it needs, never cut with a bare "…"; and no heading (a
section, a subsection or a lead-in such as "Application:") left as the last line of a page.

Built from every shipped sample (compared with the real models, assessed by the real engine)
in every audience, read back with pypdf; and from constructed texts and layouts long enough
to have been cut, or a heading stranded, before.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from analysis import defaults
from analysis.assess.models import Assessment
from analysis.evidence import ComparisonReport
from analysis.report.blocks import (
    Bullets,
    FigureBlock,
    Heading,
    MemoDoc,
    Para,
    RegionMap,
    Seg,
    SideBySide,
    Table,
    segs,
)
from analysis.report.markdown import md_escape
from analysis.report.memo import MemoBundle, build_memo
from analysis.report.templates import load_template
from tests.test_memo_support import FIXED, flat, make_assessment, make_text_report, png_bytes

AUDIENCES = ("creator", "counsel", "student")
VARIANTS = [(a, False) for a in AUDIENCES] + [("student", True)]  # and "you be the judge"


@dataclass
class Built:
    name: str
    audience: str
    judge: bool
    assessment: Assessment
    reports: list[ComparisonReport]
    doc: MemoDoc
    bundle: MemoBundle

    @functools.cached_property
    def pages(self) -> list[list[str]]:
        return page_lines(self.bundle.pdf, self.doc)

    @property
    def label(self) -> str:
        return f"{self.name}/{self.audience}{' (judge)' if self.judge else ''}"


def build(name, assessment, reports, audience, judge=False, **kw) -> Built:
    """The memo, and the very blocks its PDF was drawn from (caught on their way to reportlab)."""
    import analysis.report.pdf as pdf_module

    seen: list[MemoDoc] = []
    real = pdf_module.render_pdf

    def spy(doc, *args, **kwargs):
        seen.append(doc)
        return real(doc, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf_module, "render_pdf", spy)
        bundle = build_memo(assessment, reports, audience=audience, judge_mode=judge, created=FIXED, **kw)
    assert len(seen) == 1
    return Built(name, audience, judge, assessment, list(reports), seen[0], bundle)


@pytest.fixture(scope="module")
def sample_memos(compared_sample) -> list[Built]:
    from analysis.matter import Matter
    from analysis.resources import samples_dir
    from analysis.samples import list_samples

    matters = [(case.id, compared_sample(case.id)) for case in list_samples()]  # compared with the real models
    folder = samples_dir() / "scenarios"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        matters.append((f"scenario-{path.stem}", Matter.open(path)))
    assert any(m.reports for _n, m in matters), "no sample was compared: the checks below would test nothing"
    return [build(n, m.assessment, m.current_reports, aud, judge) for n, m in matters for aud, judge in VARIANTS]


# --------------------------------------------------------------------------- reading helpers
def page_lines(pdf: bytes, doc: MemoDoc) -> list[list[str]]:
    """Each page's body text, line by line. The page template draws the running header and
    footer when the page begins, so they are a page's first lines: they are left out, so that
    a paragraph going on over the page reads on, and a page's last lines are its body's."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for n, page in enumerate(reader.pages, 1):
        frame = flat(doc.header_left + doc.header_right + (doc.banner or "") + doc.footer_notice)
        frame += flat(f"Page {n} of {len(reader.pages)}")
        lines = [ln for ln in (page.extract_text() or "").splitlines() if ln.strip()]
        while lines and flat(lines[0]).rstrip("…") in frame:
            lines.pop(0)
        out.append(lines)
    return out


def body_text(m: Built) -> str:
    return flat(" ".join(ln for page in m.pages for ln in page))


def lines_spanned(lines: list[str], text: str) -> int:
    """The fewest consecutive lines that hold ``text`` (0: not there)."""
    want, best = flat(text), 0
    for i in range(len(lines)):
        acc = ""
        for j in range(i, min(i + 80, len(lines))):
            acc += flat(lines[j])
            if want in acc:
                best = j - i + 1 if not best else min(best, j - i + 1)
                break
    return best


def headings(doc: MemoDoc) -> list[str]:
    """What the memo sets as headings: sections, subsections and lead-ins ("Application:")."""
    out = [b.text for b in doc.blocks if isinstance(b, Heading)]
    out += ["".join(s.text for s in b.parts) for b in doc.blocks if isinstance(b, Para) and b.style == "label"]
    return out


def stranded(pdf: bytes, doc: MemoDoc, extra: tuple[str, ...] = (), pages=None) -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line or lines are a whole heading."""
    found = []
    wanted = {flat(h): h for h in [*headings(doc), *extra] if flat(h)}
    pages = pages if pages is not None else page_lines(pdf, doc)
    for n, lines in enumerate(pages[:-1], 1):  # the memo itself ends on its last page
        for k in range(1, min(4, len(lines)) + 1):
            tail = flat(" ".join(lines[-k:]))
            if tail in wanted:
                found.append((n, wanted[tail]))
    return found


def cells(doc: MemoDoc) -> Iterator[tuple[Table, str]]:
    for b in doc.blocks:
        if isinstance(b, Table):
            for row in b.rows:
                for c in row:
                    yield b, c


def shown_engine_texts(m: Built) -> list[str]:
    """The engine's own texts this memo prints in cells and lists: reasons with their basis,
    the counter-argument, each part of the substitution risk, each shown precedent's likenesses
    and differences, each image signal's meaning (where the audience has that table)."""
    tpl = load_template(m.audience)
    a = m.assessment
    out: list[str] = []
    for f in a.findings:
        for r in f.reasons[: tpl.limits.reasons]:
            out += [r.text, r.basis]
        if f.counter_argument:
            out += [f.counter_argument.text, f.counter_argument.basis]
    out += [p.explanation for p in a.substitution.parts]
    precs = a.precedents[: min(tpl.limits.precedents, defaults.MEMO_MAX_PRECEDENTS)]
    for p in precs:
        out += p.alike[:3] + p.differs[:3] if m.judge else p.alike[:2] + p.differs[:3]
    out += list(a.overall.reasons[: tpl.limits.reasons])
    if tpl.limits.signals_table:
        out += [s.meaning for r in m.reports if r.image for s in r.image.signals if s.computed]
    return [x for x in out if x]


# --------------------------------------------------------------------------- every sample memo
def test_the_samples_give_memos_with_tables_and_headings(sample_memos):
    assert len(sample_memos) >= 4 * len(VARIANTS)
    for m in sample_memos:
        assert sum(1 for _ in cells(m.doc)) > 20, m.label
        assert len(headings(m.doc)) > 10, m.label
    # the long engine texts below are really in the samples (else the whole-cell check is idle)
    assert any(len(t) > 400 for m in sample_memos for t in shown_engine_texts(m))


def test_no_table_cell_heading_or_list_item_ends_cut(sample_memos):
    bad = []
    for m in sample_memos:
        for _t, c in cells(m.doc):
            if c.rstrip().endswith("…"):
                bad.append((m.label, "cell", c[-80:]))
        for h in headings(m.doc):
            if h.rstrip().endswith("…"):
                bad.append((m.label, "heading", h[-80:]))
        for b in m.doc.blocks:
            if isinstance(b, Bullets):
                for item in b.items:
                    text = "".join(s.text for s in item)
                    if text.rstrip().endswith("…"):
                        bad.append((m.label, "item", text[-80:]))
    assert not bad, bad[:10]


def test_every_table_cell_and_heading_is_printed_whole_in_pdf_and_markdown(sample_memos):
    missing = []
    for m in sample_memos:
        pdf = body_text(m)
        md = flat(m.bundle.markdown)
        for _t, c in cells(m.doc):
            if flat(c) not in pdf:
                missing.append((m.label, "pdf", c[:80]))
            if flat(md_escape(c, cell=True)) not in md:
                missing.append((m.label, "markdown", c[:80]))
        for h in headings(m.doc):
            if flat(h) not in pdf:
                missing.append((m.label, "heading", h[:80]))
    assert not missing, missing[:10]


def test_engine_texts_are_printed_whole(sample_memos):
    """The engine's reasons, bases, substitution parts, precedents' likenesses and differences
    and image signals' meanings, each found whole in the PDF's text (pypdf breaks lines where
    reportlab wrapped them; reportlab wraps at spaces without hyphens, so whitespace aside the
    text is the same) and in the Markdown twin."""
    missing = []
    for m in sample_memos:
        pdf = body_text(m)
        md = flat(m.bundle.markdown)
        for text in shown_engine_texts(m):
            if flat(text) not in pdf:
                missing.append((m.label, "pdf", text[:90]))
            if flat(md_escape(text)) not in md:
                missing.append((m.label, "markdown", text[:90]))
    assert not missing, missing[:10]


def test_no_page_ends_with_a_heading(sample_memos):
    bad = {}
    for m in sample_memos:
        found = stranded(m.bundle.pdf, m.doc, pages=m.pages)
        if found:
            bad[m.label] = found
    assert not bad, bad


def test_the_stranded_heading_check_reads_the_last_lines_of_a_page():
    """The check itself: a heading drawn at a page foot (a page break right after it) is found;
    the same words at the end of a longer line (a citation ending an authorities line) are not."""
    doc = MemoDoc("t", "s", "a", "h", "r", "n", None)
    doc.blocks += [
        Para(segs("Authorities: Campbell; Blanch v. Koons, 467 F.3d 244 (2d Cir. 2006)")),
        Heading("Blanch v. Koons, 467 F.3d 244 (2d Cir. 2006)", 1, "k"),
        Heading("Appendix", 1, "a", new_page=True),
        Para(segs("end")),
    ]
    assert stranded(_render(doc), doc) == [(1, "Blanch v. Koons, 467 F.3d 244 (2d Cir. 2006)")]
    doc.blocks[1:2] = []
    assert stranded(_render(doc), doc) == []


# --------------------------------------------------------------------------- constructed layouts
def _render(doc: MemoDoc) -> bytes:
    from analysis.report.fonts import font_set
    from analysis.report.markup import MarkupWriter
    from analysis.report.pdf import render_pdf

    return render_pdf(doc, MarkupWriter(font_set()), FIXED)


def _followers() -> dict[str, list]:
    """What may follow a heading in a memo: each kind of block."""
    long_item = [Seg("First item of a list, " + "long enough to wrap over several lines " * 6)]
    return {
        "side by side passage": [
            SideBySide(
                "Passage 1: verbatim, 40 words",
                "Generated work",
                "Source",
                segs("copied words " * 60),
                segs("copied words " * 60),
            )
        ],
        "figure": [FigureBlock("A figure", png_bytes(400, 300))],
        "region map": [
            RegionMap("Where the copy sits", [("Generated", (400, 300), [(10, 10), (200, 10), (200, 150)])], "x")
        ],
        "table": [Table(["Measure", "Value"], [[f"row {i}", "a cell " * 12] for i in range(30)], [0.4, 0.6])],
        "label and list": [Para([Seg("Application:", bold=True)], style="label"), Bullets([long_item, long_item])],
        "paragraph": [Para(segs("\n".join(f"line {i} of a long paragraph" for i in range(30))))],
    }


@pytest.mark.parametrize("kind", list(_followers()))
def test_a_heading_is_never_left_at_a_page_foot_whatever_follows(kind):
    """A heading pushed towards the foot of a page line by line, with each kind of block after
    it: on no page is it the last line (before the fix, a heading followed by a side-by-side
    passage, a figure or a region map was left behind when that block went to the next page)."""
    bad = []
    for n in range(26, 52):
        doc = MemoDoc("t", "s", "a", "h", "r", "n", None)
        doc.blocks.append(Para(segs("\n".join(f"filler line {i}" for i in range(n)))))
        doc.blocks.append(Heading("Section heading here", 1, "h1"))
        doc.blocks.append(Heading("Subsection heading here", 2, "h2"))
        doc.blocks += _followers()[kind]
        doc.blocks.append(Para(segs("the end")))
        pdf = _render(doc)
        found = stranded(pdf, doc, ("Section heading here Subsection heading here",))
        if found:
            bad.append((n, found))
        lines = page_lines(pdf, doc)
        on = [i for i, page in enumerate(lines) if any("Subsection heading here" in ln for ln in page)]
        assert len(on) == 1, (n, on)
    assert not bad, bad


def test_a_heading_keeps_the_start_of_a_long_table_on_its_page():
    """A table longer than the rest of the page starts under its heading, and goes on over the
    page, rather than leaving the foot of the page empty (reportlab's keepWithNext moves both)."""
    doc = MemoDoc("t", "s", "a", "h", "r", "n", None)
    doc.blocks.append(Para(segs("\n".join(f"filler line {i}" for i in range(20)))))
    doc.blocks.append(Heading("The table's heading", 1, "h1"))
    doc.blocks.append(Table(["Measure", "Value"], [[f"row {i}", "value"] for i in range(60)], [0.4, 0.6]))
    pages = page_lines(_render(doc), doc)
    first = next(i for i, p in enumerate(pages) if any("The table's heading" in ln for ln in p))
    assert first == 0 and any(ln.startswith("row 0") for ln in pages[0])
    assert any(ln.startswith("row 59") for ln in pages[1])


def _table_rows_by_page(n_filler: int, rows: int, monkeypatch=None) -> list[list[int]]:
    doc = MemoDoc("t", "s", "a", "h", "r", "n", None)
    doc.blocks.append(Para(segs("\n".join(f"filler line {i}" for i in range(n_filler)))))
    doc.blocks.append(
        Table(["Factor", "Lean"], [[f"factor row {i}", "leans one way"] for i in range(rows)], [0.4, 0.6])
    )
    doc.blocks.append(Para(segs("the end")))
    pages = page_lines(_render(doc), doc)
    return [[i for i in range(rows) if any(ln.strip() == f"factor row {i}" for ln in p)] for p in pages]


@pytest.mark.parametrize("rows", [5, 12])
def test_a_table_broken_over_a_page_never_leaves_its_last_row_alone(rows):
    """A table pushed down the page line by line: wherever it breaks, the next page gets at
    least two of its rows under the repeated header (before the fix a factor table's last row
    could stand alone on the last page), and every row is printed once."""
    broke = 0
    for n in range(30, 58):
        on_pages = [p for p in _table_rows_by_page(n, rows) if p]
        assert sorted(r for p in on_pages for r in p) == list(range(rows)), (n, on_pages)
        if len(on_pages) > 1:
            broke += 1
            assert all(len(p) >= defaults.MEMO_TABLE_MIN_ROWS_AFTER_BREAK for p in on_pages[1:]), (n, on_pages)
            assert len(on_pages[0]) >= 1
    assert broke  # the range of fillers does make the table break


def test_the_widow_check_would_have_failed_before(monkeypatch):
    """With the rule off (one row allowed after a break) some filler leaves one row alone."""
    monkeypatch.setattr(defaults, "MEMO_TABLE_MIN_ROWS_AFTER_BREAK", 1)
    alone = [n for n in range(30, 58) if any(len(p) == 1 for p in [p for p in _table_rows_by_page(n, 5) if p][1:])]
    assert alone


# --------------------------------------------------------------------------- long texts, whole
LONG_REASON = " ".join(f"The engine's reason runs on, clause {i}, with more words to wrap;" for i in range(14))
LONG_BASIS = " ".join(f"answer {i} of the questionnaire given" for i in range(20))
LONG_PART = " ".join(f"part of the substitution risk explained at length, point {i}" for i in range(12))
LONG_ALIKE = " ".join(f"alike in respect {i} of the facts" for i in range(12))
LONG_DIFFERS = " ".join(f"differs in respect {i} of the facts" for i in range(12))
LONG_ANSWER = " ".join(f"The user's own description, sentence {i}, in plain words." for i in range(16))


def _long_assessment() -> Assessment:
    a = make_assessment()
    scenario = a.scenario.model_copy(
        update={"source": a.scenario.source.model_copy(update={"description": LONG_ANSWER})}
    )
    findings = []
    for f in a.findings:
        longer = f.reasons[0].model_copy(update={"text": LONG_REASON, "basis": LONG_BASIS})
        findings.append(f.model_copy(update={"reasons": [longer, *f.reasons[1:]]}))
    parts = [p.model_copy(update={"explanation": LONG_PART}) for p in a.substitution.parts]
    precedents = [p.model_copy(update={"alike": [LONG_ALIKE], "differs": [LONG_DIFFERS]}) for p in a.precedents]
    return a.model_copy(
        update={
            "scenario": scenario,
            "findings": findings,
            "substitution": a.substitution.model_copy(update={"parts": parts}),
            "precedents": precedents,
        }
    )


def test_the_long_texts_would_have_been_cut_before():
    # each is longer than the bound the memo used to cut it at (reasons 600, bases and
    # substitution parts 300, likenesses and differences 200, the creator's facts 240)
    assert len(LONG_REASON) > 600 and len(LONG_BASIS) > 300 and len(LONG_PART) > 300
    assert len(LONG_ALIKE) > 200 and len(LONG_DIFFERS) > 200 and len(LONG_ANSWER) > 600
    assert max(map(len, (LONG_REASON, LONG_BASIS, LONG_PART, LONG_ALIKE, LONG_DIFFERS, LONG_ANSWER))) < 1000


@pytest.mark.parametrize("audience,judge", VARIANTS)
def test_long_reasons_and_cells_are_printed_whole_over_several_lines(audience, judge):
    m = build("long", _long_assessment(), [make_text_report()], audience, judge)
    lines = [ln for page in m.pages for ln in page]
    md = flat(m.bundle.markdown)
    for text in (LONG_REASON, LONG_BASIS, LONG_PART, LONG_ALIKE, LONG_DIFFERS, LONG_ANSWER):
        # whole, and wrapped: over consecutive lines of the page (of a cell, in a table)
        assert lines_spanned(lines, text) >= 2, (audience, text[:40])
        assert flat(md_escape(text)) in md, (audience, text[:40])
    # the long texts sit in table cells (substitution parts, the precedents, the facts), whole
    table_cells = [c for _t, c in cells(m.doc)]
    assert LONG_PART in table_cells and LONG_ANSWER in table_cells
    assert any(LONG_ALIKE in c for c in table_cells) and any(LONG_DIFFERS in c for c in table_cells)
    assert "…" not in "".join(table_cells)


def test_user_text_pasted_into_a_cell_is_bounded_in_words_not_with_a_bare_ellipsis():
    """A megabyte of the user's own words in an answer or a file name: the cell shows the
    first of it and says how much more there is, in words, as the passages do."""
    huge = "word " * 200_000
    a = make_assessment()
    a = a.model_copy(
        update={
            "scenario": a.scenario.model_copy(
                update={"source": a.scenario.source.model_copy(update={"description": huge})}
            )
        }
    )
    report = make_text_report()
    report.inputs[0] = report.inputs[0].model_copy(update={"name": "name " * 100_000})
    m = build("huge", a, [report], "counsel")
    flagged = [c for _t, c in cells(m.doc) if "more characters, in the JSON twin)" in c]
    assert len(flagged) >= 2, flagged
    for c in flagged:
        assert len(c) < defaults.MEMO_MAX_CELL_CHARS + 80
        assert not c.endswith("…")
    assert flat("more characters, in the JSON twin)") in body_text(m)
    assert len(PdfReader(io.BytesIO(m.bundle.pdf)).pages) < 20
