"""Leaving step 2 while the works are being compared (issue 12).

A click elsewhere (another page, Back or Next, the sidebar) asks Streamlit for a new run, and it
abandons the run in progress at its next ``st`` call: the comparison stops half-way. The user
must be told so, on the page they land on and in step 2, keep everything they entered, and keep
an earlier report exactly as it was.

The interruption is Streamlit's own: the patched comparison asks for a run of another page the
way a click in the navigation does (``script_requests.request_rerun``), then reports progress,
and Streamlit raises its rerun exception from inside that progress update.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

MAIN = str(Path(__file__).resolve().parent.parent / "app" / "main.py")
TIMEOUT = 180  # a real comparison loads the text model once per process (slow on a busy machine)

GENERATED = "The quick brown fox jumps over the lazy dog near the quiet river bank at dawn."
SOURCE = "A quick brown fox jumped over a lazy dog near the river bank early in the morning."
STOPPED = "The comparison was stopped before it finished"


def _ok(at: AppTest) -> AppTest:
    from app.ui import INTERNAL_ERROR

    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if INTERNAL_ERROR in e.value]
    return at


def _matter(at: AppTest):
    return at.session_state["fairuse_analysis"]


def _go(at: AppTest, page: str) -> AppTest:
    return _ok(at.switch_page(f"app_pages/{page}.py").run())


def _title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def _notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if STOPPED in w.value]


def _pasted(at: AppTest, generated: str = GENERATED) -> AppTest:
    at.text_area(key="w:generated:paste").set_value(generated).run()
    at.text_area(key="w:source:paste").set_value(SOURCE).run()
    _ok(at)
    assert _matter(at).works_ready
    return at


def _click_page(to_page: str) -> None:
    """What the browser sends when a page is clicked in the navigation while this run is busy."""
    import os

    from streamlit.runtime.scriptrunner import RerunData, get_script_run_ctx

    ctx = get_script_run_ctx()
    assert ctx is not None and ctx.script_requests is not None
    wanted = os.path.realpath(str(Path(MAIN).parent / to_page))
    page_hash = next(
        p["page_script_hash"] for p in ctx.pages_manager.get_pages().values() if p["script_path"] == wanted
    )
    ctx.script_requests.request_rerun(RerunData(query_string=ctx.query_string, page_script_hash=page_hash))


def _leave_mid_way(monkeypatch, to_page: str = "app_pages/works.py") -> dict[str, int]:
    """Patch the comparison so that the user clicks ``to_page`` in the navigation while it runs."""
    import app.engines

    seen = {"started": 0, "finished": 0}

    def compare(matter, progress=None):
        seen["started"] += 1
        assert progress is not None
        progress(0.1, "Loading the text model")
        _click_page(to_page)
        progress(0.5, "Comparing passages")  # Streamlit stops the run here
        seen["finished"] += 1
        raise AssertionError("the comparison went on after the user left the page")

    monkeypatch.setattr(app.engines, "compare", compare)
    return seen


def test_leaving_step_2_mid_comparison_says_so_everywhere_and_keeps_the_works(monkeypatch):
    at = _pasted(_ok(AppTest.from_file(MAIN, default_timeout=60).run()))
    m = _matter(at)
    works = (m.generated.sha256, m.source.sha256)
    at.text_input(key="w:generated:title").set_value("My draft").run()
    _ok(at)
    seen = _leave_mid_way(monkeypatch)

    _go(at, "evidence")
    at.button(key="analyse").click().run()
    _ok(at)
    assert seen == {"started": 1, "finished": 0}
    # the user landed on the page they clicked, and is told in plain words
    assert _title(at) == "1 · The two works"
    notices = _notices(at)
    assert len(notices) == 1, [w.value for w in at.warning]
    assert "nothing was measured" in notices[0] and "Your works and answers are kept" in notices[0]
    for internal in ("Exception", "compare_running", "Rerun", "session"):
        assert internal not in notices[0]
    # nothing entered is lost, and no report (whole or partial) was stored
    m = _matter(at)
    assert (m.generated.sha256, m.source.sha256) == works and m.generated.title == "My draft"
    assert m.report is None and m.reports == []
    assert at.text_area(key="w:generated:paste").value == GENERATED

    # it stays on other pages, and in step 2 beside the button
    _go(at, "factor_3")
    assert _notices(at)
    _go(at, "evidence")
    assert len(_notices(at)) == 1 and at.button(key="analyse").label == "Analyse the works"
    assert not at.error
    # dismissed on another page, it is gone there but step 2 still says it
    _go(at, "memo")
    at.button(key="compare_stopped_dismiss").click().run()
    _ok(at)
    assert not _notices(at)
    _go(at, "evidence")
    assert _notices(at)

    # the works change: that comparison is moot, the notice goes
    _go(at, "works")
    at.text_area(key="w:generated:paste").set_value(GENERATED + " And then it slept.").run()
    _ok(at)
    assert not _notices(at)
    _go(at, "evidence")
    assert not _notices(at)


def test_an_interrupted_new_comparison_keeps_the_earlier_report_and_a_finished_one_clears_the_notice(
    monkeypatch,
):
    import app.engines

    real_compare = app.engines.compare
    at = _pasted(_ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run()))
    _go(at, "evidence")
    at.button(key="analyse").click().run()
    _ok(at)
    m = _matter(at)
    assert m.evidence_current and not _notices(at)
    earlier, scenario, origins = m.report, m.scenario.model_dump(), dict(m.origins)

    seen = _leave_mid_way(monkeypatch, to_page="app_pages/factor_1.py")
    at.button(key="analyse").click().run()  # "Analyse again", then the user clicks factor 1
    _ok(at)
    assert seen == {"started": 1, "finished": 0}
    assert _title(at).startswith("Factor 1")
    notices = _notices(at)
    assert len(notices) == 1 and "the evidence from the earlier comparison is kept as it was" in notices[0]
    m = _matter(at)
    assert m.report is earlier and m.reports == [earlier] and m.evidence_current
    assert m.scenario.model_dump() == scenario and m.origins == origins
    _go(at, "evidence")
    assert _notices(at) and at.button(key="analyse").label == "Analyse again"

    # analysed again, to the end: the notice goes, everywhere
    monkeypatch.setattr(app.engines, "compare", real_compare)
    at.button(key="analyse").click().run()
    _ok(at)
    m = _matter(at)
    assert m.evidence_current and m.report is not earlier
    assert not _notices(at)
    assert any("Comparison done" in s.value for s in at.success)
    _go(at, "factor_1")
    assert not _notices(at)


def test_a_click_just_as_the_comparison_ends_keeps_its_report_and_says_nothing_was_stopped(monkeypatch):
    """The comparison finished, but the click arrived before the page could say so: the report is
    whole, so there is nothing to warn about, and the pre-filled answers show on the next page."""
    import app.engines
    from analysis.assess.questionnaire import get_answer

    real_compare = app.engines.compare

    def compare(matter, progress=None):
        done = real_compare(matter, progress)
        _click_page("app_pages/factor_3.py")  # Streamlit stops the run at the page's next step
        return done

    monkeypatch.setattr(app.engines, "compare", compare)
    at = _pasted(_ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run()))
    _go(at, "evidence")
    at.button(key="analyse").click().run()
    _ok(at)
    assert _title(at).startswith("Factor 3")
    m = _matter(at)
    assert m.evidence_current and m.measured()
    assert not _notices(at)
    assert "compare_running" not in at.session_state
    # the factor page shows the measured answers (its widgets are seeded from them)
    shown = {q: at.session_state[f"w:q:{q}"] for q in m.measured() if f"w:q:{q}" in at.session_state}
    assert shown and shown == {q: get_answer(m.scenario, q) for q in shown}


def test_leaving_the_memo_mid_comparison_keeps_the_old_evidence_and_says_so(monkeypatch):
    """The memo's "Analyse the works again" (the works changed after the comparison) is cut short the same way."""
    at = _pasted(_ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run()))
    _go(at, "evidence")
    at.button(key="analyse").click().run()
    _ok(at)
    _go(at, "works")
    at.text_input(key="w:generated:title").set_value("My draft").run()
    at.text_area(key="w:generated:paste").set_value(GENERATED + " And then it slept.").run()
    _ok(at)
    m = _matter(at)
    earlier = m.report
    assert earlier is not None and not m.evidence_current

    seen = _leave_mid_way(monkeypatch, to_page="app_pages/assessment.py")
    _go(at, "memo")
    at.button(key="memo_rerun").click().run()
    _ok(at)
    assert seen == {"started": 1, "finished": 0}
    assert _title(at) == "4 · Assessment"
    notices = _notices(at)
    assert len(notices) == 1 and "the evidence from the earlier comparison is kept as it was" in notices[0]
    m = _matter(at)
    assert m.reports == [earlier] and m.report is earlier and not m.evidence_current
    assert m.generated.text == GENERATED + " And then it slept." and m.generated.title == "My draft"
