"""Bad input: user text is markup to reportlab. Hostile strings must come out literally, never
crash, never change the layout of what follows; long inputs are capped with a count; broken
figures become placeholders that say why."""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from analysis import defaults
from analysis.evidence import Figure, Span, TextPassage
from analysis.report.fonts import font_set
from analysis.report.markup import MarkupWriter
from analysis.report.memo import build_memo
from tests.test_memo_support import (
    FIXED,
    flat,
    make_assessment,
    make_image_report,
    make_scenario,
    make_text_report,
    pdf_text,
)

HOSTILE = [
    "<b>not bold</b>",
    "Tom & Jerry &amp; &lt;x&gt;",
    "<font name=x>fontless</font>",
    "<i>unbalanced <u>tags",
    "</para> </b> <br/> <img src='x'/>",
    "§ 107 “curly” ‘quotes’ — Café naïve Œuvre",
    "symbols ✓ ☺ ♥",
]


@pytest.fixture(scope="module")
def hostile_memo():
    sc = make_scenario(
        title="<b>Bold?</b> & <font name=x> " + HOSTILE[3],
        notes=" | ".join(HOSTILE) + " bell\x07 nul\x00 rlo\u202eevil",
        source={"title": HOSTILE[0] + " " + HOSTILE[1], "description": "x" * 10_000, "medium": "text"},
        new_work={
            "title": HOSTILE[2],
            "description": HOSTILE[4] + " " + HOSTILE[5] + " " + HOSTILE[6] + " emoji 😀 here",
        },
    )
    long_token = "y" * 10_000
    passages = [
        TextPassage(
            kind="verbatim",
            generated=Span(start=0, end=10_000),
            source=Span(start=0, end=10_000),
            words=50,
            similarity=1.0,
            generated_text=long_token,
            source_text=long_token,
        ),
        TextPassage(
            kind="near_verbatim",
            generated=Span(start=0, end=60),
            source=Span(start=0, end=60),
            words=9,
            similarity=0.9,
            generated_text="<b>copied</b> & <font name=x>words</font> here we go",
            source_text="<b>copied</b> & <font name=x>words</font> there we go",
        ),
    ]
    bundle = build_memo(
        make_assessment(sc),
        [make_text_report(passages)],
        audience="counsel",
        matter="<b>Matter</b> & <i>co",
        reviewer="O'Brien & <Partners>",
        created=FIXED,
    )
    return bundle, pdf_text(bundle.pdf)


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_strings_render_literally(hostile_memo, s):
    _bundle, text = hostile_memo
    assert flat(s) in flat(text)


def test_emoji_become_code_points_in_the_pdf_and_stay_exact_in_markdown(hostile_memo):
    bundle, text = hostile_memo
    assert flat("emoji [U+1F600] here") in flat(text)
    assert any("[U+1F600]" in n for n in bundle.rendering_notes)
    assert "emoji 😀 here" in bundle.markdown


def test_markup_in_matter_and_reviewer_is_literal(hostile_memo):
    bundle, text = hostile_memo
    assert flat("<b>Matter</b> & <i>co") in flat(text)
    assert flat("O'Brien & <Partners>") in flat(text)
    meta = PdfReader(io.BytesIO(bundle.pdf)).metadata
    assert meta is not None and meta.title == "Fair-use memo: <b>Matter</b> & <i>co"


def test_control_and_bidi_characters_become_visible_notations(hostile_memo):
    bundle, text = hostile_memo
    t = flat(text)
    assert "bell[U+0007]" in t and "nul[U+0000]" in t and "rlo[U+202E]evil" in t
    notes = " ".join(bundle.rendering_notes)
    assert "[U+0007]" in notes and "[U+202E]" in notes


def test_long_token_is_truncated_with_a_count_and_layout_continues(hostile_memo):
    bundle, text = hostile_memo
    t = flat(text)
    left = 10_000 - defaults.MEMO_MAX_PASSAGE_CHARS
    assert flat(f"(… {left:,} more characters, in the JSON twin)") in t
    assert "y" * 200 in t  # the token itself is shown, broken across lines
    # what follows the hostile passages is still there, in order: the next passage and sections
    assert t.find(flat("<b>copied</b>")) > t.find("y" * 200)
    assert flat("VI. Nearest precedents") in t and flat("Appendix A: method and audit record") in t
    assert len(PdfReader(io.BytesIO(bundle.pdf)).pages) < 20


def test_markdown_twin_escapes_user_markup(hostile_memo):
    bundle, _ = hostile_memo
    md = bundle.markdown
    prose = md.split("```json")[0]  # the scenario JSON sits literally inside a code fence
    assert "\\<b\\>not bold\\</b\\>" in prose
    assert "<b>not bold" not in prose
    assert "Tom &amp; Jerry" in md


def test_unbroken_10000_character_paragraph_renders_without_crash():
    """A 10,000-character token straight into a Paragraph (no truncation) wraps within the frame."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    fonts = font_set()
    w = MarkupWriter(fonts)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=LETTER, invariant=1)
    style = ParagraphStyle("b", fontName=fonts.body, fontSize=9, leading=11)
    doc.build([Paragraph(w.text("z" * 10_000 + " <b>after</b>"), style), Paragraph(w.text("sentinel & done"), style)])
    text = flat(pdf_text(buf.getvalue()))
    assert text.count("z") == 10_000
    assert text.endswith(flat("<b>after</b> sentinel & done"))


def test_markup_writer_escapes_and_switches_fonts():
    w = MarkupWriter(font_set())
    assert w.text("<b>&") == "&lt;b&gt;&amp;"
    assert w.text("a\u202eb") == "a[U+202E]b"
    assert "<br/>" in w.text("line\nline")


def test_cjk_and_rtl_are_rendered_or_reported():
    sc = make_scenario(title="中文标题 עברית")
    bundle = build_memo(make_assessment(sc), [], audience="student", created=FIXED)
    text = pdf_text(bundle.pdf)
    assert "中文标题" in text
    notes = " ".join(bundle.rendering_notes)
    assert "right-to-left" in notes
    if not font_set().cjk_embedded:
        assert "not embedded" in notes
    assert "中文标题 עברית" in bundle.markdown


def test_uncovered_characters_are_listed_not_dropped():
    sc = make_scenario(title="Linear B 𐀀 and cuneiform 𒀀")
    bundle = build_memo(make_assessment(sc), [], audience="creator", created=FIXED)
    t = flat(pdf_text(bundle.pdf))
    assert "[U+10000]" in t and "[U+12000]" in t
    assert any("[U+10000]" in n and "code points" in n for n in bundle.rendering_notes)


def test_broken_and_missing_figures_become_placeholders_with_reasons():
    bad = [
        Figure(name="corrupt", caption="not a png", png_base64=base64.b64encode(b"\x89PNG garbage").decode()),
        Figure(name="notbase64", caption="bad", png_base64="%%%%"),
    ]
    bundle = build_memo(make_assessment(), [make_image_report(bad)], audience="counsel", created=FIXED)
    t = flat(pdf_text(bundle.pdf))
    assert flat("Figure not shown: its data is not a readable picture") in t
    assert flat("Figure not shown: its data is not valid base64") in t
    assert "Error" not in t  # in words, never an exception's class name
    again = build_memo(make_assessment(), [make_image_report(bad)], audience="counsel", created=FIXED)
    assert again.pdf == bundle.pdf  # the reasons carry no memory addresses or other noise
    empty = build_memo(make_assessment(), [make_image_report([])], audience="counsel", created=FIXED)
    assert flat("The comparison report carries no figures to show.") in flat(pdf_text(empty.pdf))


def test_real_figure_is_embedded_as_an_image():
    bundle = build_memo(make_assessment(), [make_image_report()], audience="counsel", created=FIXED)
    reader = PdfReader(io.BytesIO(bundle.pdf))
    assert sum(len(p.images) for p in reader.pages) == 1  # the report's one figure, and nothing else


def test_a_huge_source_does_not_make_a_huge_memo():
    many = [
        TextPassage(
            kind="verbatim",
            generated=Span(start=i * 700, end=i * 700 + 700),
            source=Span(start=i * 700, end=i * 700 + 700),
            words=120,
            similarity=1.0,
            generated_text=("word " * 140).strip(),
            source_text=("word " * 140).strip(),
        )
        for i in range(300)
    ]
    bundle = build_memo(make_assessment(), [make_text_report(many)], audience="counsel", created=FIXED)
    reader = PdfReader(io.BytesIO(bundle.pdf))
    assert len(reader.pages) <= 15
    t = flat(pdf_text(bundle.pdf))
    assert flat("295 further passages are not shown") in t  # counsel shows 5


def test_windows_line_ends_are_line_breaks_not_code_points():
    w = MarkupWriter(font_set())
    assert w.text("one\r\ntwo\rthree") == "one<br/>two<br/>three"
    sc = make_scenario(notes="first line\r\nsecond line")
    bundle = build_memo(make_assessment(sc), [], audience="counsel", created=FIXED)
    assert "[U+000D]" not in pdf_text(bundle.pdf) and "[U+000D]" not in bundle.markdown
