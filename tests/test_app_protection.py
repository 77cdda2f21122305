"""Step 1b of the app: is the source protected at all? Answers go into the matter and the
finding beside them follows (a source first published in 1813 is in the public domain)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

MAIN = str(Path(__file__).resolve().parent.parent / "app" / "main.py")


def _ok(at: AppTest) -> AppTest:
    from app.ui import INTERNAL_ERROR

    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if INTERNAL_ERROR in e.value]
    return at


def test_protection_step_asks_before_the_factors_and_says_public_domain_first():
    from analysis.matter import Matter
    from app.pages_index import PAGES

    paths = [p.path for p in PAGES]
    assert paths.index("app_pages/protection.py") < paths.index("app_pages/factor_1.py")

    at = AppTest.from_file(MAIN, default_timeout=60).run()
    _ok(at.switch_page("app_pages/protection.py").run())
    assert any("protected at all" in t.value for t in at.title)
    year = at.number_input(key="w:q:first_publication_year")
    assert year.value is None  # nothing assumed
    assert "Protected" in " ".join(x.value for x in at.markdown)  # unanswered: protected, the factors decide

    year.set_value(1813).run()
    _ok(at)
    m = at.session_state["fairuse_analysis"]
    assert isinstance(m, Matter)
    assert m.scenario.protection.first_publication_year == 1813
    assert m.answer("first_publication_year").origin == "user"
    finding = m.assessment.protection
    assert finding is not None and finding.status == "public_domain"
    shown = " ".join(x.value for x in at.markdown)
    assert "public domain" in shown
    assert any("does not need them" in i.value for i in at.info)

    at.text_input(key="w:q:first_publication_country").input("United Kingdom").run()
    _ok(at)
    assert at.session_state["fairuse_analysis"].scenario.protection.first_publication_country == "United Kingdom"


def test_a_licence_answer_makes_the_use_licensed():
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    _ok(at.switch_page("app_pages/protection.py").run())
    at.radio(key="w:q:licence").set_value("cc_by").run()
    _ok(at)
    at.radio(key="w:q:licence_terms_met").set_value(True).run()
    _ok(at)
    finding = at.session_state["fairuse_analysis"].assessment.protection
    assert finding is not None and finding.status == "licensed"
    assert "Licensed" in " ".join(x.value for x in at.markdown)


def test_the_assessment_page_says_fair_use_not_needed_for_a_public_domain_source():
    """The bottom line on the assessment page and in the sidebar is "fair use not needed", not
    the factors' moot lean; the lean is still given, as what the factors would give if the
    source were protected."""
    from analysis.samples import list_samples
    from app.sidebar import _status_lines

    at = AppTest.from_file(MAIN, default_timeout=60).run()
    at.selectbox(key="sample_pick").set_value(list_samples("text")[0].id).run()
    _ok(at.button(key="sample_load").click().run())
    _ok(at.switch_page("app_pages/protection.py").run())
    at.number_input(key="w:q:first_publication_year").set_value(1813).run()
    _ok(at.switch_page("app_pages/assessment.py").run())
    m = at.session_state["fairuse_analysis"]
    assert m.ready_for_assessment and m.assessment.protection.status == "public_domain"
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "Fair use not needed: the source is in the public domain" in shown
    assert "Leans against fair use" not in shown and "Leans fair use" not in shown
    assert any("Had the source been protected" in c.value for c in at.caption)
    assert any("Fair use not needed" in line for line in _status_lines(m))
