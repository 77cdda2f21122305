"""The app's pure parts: escaping and marking of passages, labels from one place, and the
Streamlit settings ``fairuse app`` passes. (The save file is the library's: tests/test_matter.py.)"""

from __future__ import annotations

from analysis.evidence import Span, TextPassage
from app import components as c


def _passage(kind, gs, ge, ss, se, gtext, stext):
    return TextPassage(
        kind=kind,
        generated=Span(start=gs, end=ge),
        source=Span(start=ss, end=se),
        words=len(gtext.split()),
        similarity=1.0,
        generated_text=gtext,
        source_text=stext,
    )


def test_marks_escape_user_text_and_carry_labels():
    gen = "<script>alert(1)</script> and then the copied words here & more"
    src = "prefix the copied words here & suffix </div>"
    gs = gen.index("the copied")
    ss = src.index("the copied")
    p = _passage("verbatim", gs, gs + 26, ss, ss + 26, gen[gs : gs + 26], src[ss : ss + 26])
    html = c.side_by_side_html(gen, src, [p], selected=1, generated_title="<b>T</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;/div&gt;" in html and "&lt;b&gt;T&lt;/b&gt;" in html
    assert html.count("fu-verbatim fu-selected") == 2  # both sides, selected outline
    assert ">V1<" in html  # a text label, not colour alone
    assert 'aria-label="Verbatim passage V1"' in html


def test_overlapping_and_out_of_range_marks_never_break_markup():
    text = "a b c d e f g h i j"
    marks = [c.Mark(0, 9, "verbatim", 1), c.Mark(4, 13, "paraphrase", 2), c.Mark(15, 999, "near_verbatim", 3)]
    html = c.marked_text_html(text, marks)
    assert html.count("<mark") == html.count("</mark>") == 3
    assert html.replace("</mark>", "").count(">") >= 3


def test_long_texts_become_excerpts():
    text = "word " * 30_000
    html = c.marked_text_html(text, [c.Mark(50_000, 50_100, "verbatim", 1)])
    assert "characters not shown" in html and len(html) < 10_000


def test_legend_names_every_kind():
    html = c.legend_html({"verbatim": 2, "near_verbatim": 0, "paraphrase": 5})
    for word in ("Verbatim", "Near-verbatim", "Paraphrase", "(2)", "(5)"):
        assert word in html


def test_near_verbatim_pair_marks_the_words_that_differ():
    g = "It was the best of times, it was the worst of times <b>"
    s_ = "It was the best of days, it was the worst of times <b>"
    p = _passage("near_verbatim", 0, len(g), 0, len(s_), g, s_)
    html = c.passage_pair_html(p, 1, generated_title="G", source_title="S")
    assert '<span class="fu-diff" title="differs">times,</span>' in html
    assert '<span class="fu-diff" title="differs">days,</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.count('title="differs"') == 2
    assert "2 words differ" in html


def test_typographic_quotes_are_not_counted_as_edits():
    g = "“My dear,” said she — it is so."
    s_ = '"My dear," said she - it is so.'
    p = _passage("near_verbatim", 0, len(g), 0, len(s_), g, s_)
    html = c.passage_pair_html(p, 1, generated_title="G", source_title="S")
    assert 'title="differs"' not in html


def test_reason_text_is_escaped_where_html_is_allowed():
    """A reason can quote the user's own words (use.justification): it must not become markup."""
    from streamlit.testing.v1 import AppTest

    def page():
        from analysis.assess.models import FactorFinding, Reason
        from app.factor_view import finding_card

        evil = 'the one given ("<img src=x onerror=alert(1)>") may or may not persuade'
        r = Reason(text=evil, basis="use.justification <b>given</b>", direction="disfavours", weight=1.0)
        f = FactorFinding(
            factor=1, title="t", statute_text="s", lean="neutral", confidence="low", reasons=[r], counter_argument=r
        )
        finding_card(f)
        finding_card(f, compact=True)

    at = AppTest.from_function(page).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [m.value for m in at.markdown if "persuade" in m.value]
    # the full card lists the reason once, as the best counter-argument; the overview lists it too
    assert len(shown) == 2
    html_allowed = [m for m in at.markdown if m.allow_html]
    assert html_allowed and all("<img" not in m.value and "<b>" not in m.value for m in html_allowed)
    assert all("&#60;img" in m.value for m in html_allowed if "persuade" in m.value)  # for_html: numeric references
