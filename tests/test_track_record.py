"""The engine's track record, as the memo and the app print it, is the lockbox's measured figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.assess.track_record import track_record
from benchmarks.fui_readers import best_rule

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "fui" / "readers-results.json"
SINGLE_READINGS = ("first", "A", "B")


def test_the_track_record_is_the_lockbox_figures_of_the_three_blind_readings():
    if not RESULTS.exists():
        pytest.skip("benchmarks/fui/readers-results.json is absent")
    lockbox = json.loads(RESULTS.read_text(encoding="utf-8"))["lockbox"]
    tr = track_record()
    engine = [lockbox[r]["agreement"] for r in SINGLE_READINGS]
    lr = [lockbox[r]["baselines"]["logistic regression on the answers"] for r in SINGLE_READINGS]
    rules = [best_rule(lockbox[r]["baselines"]) for r in SINGLE_READINGS]
    assert (tr.engine.low, tr.engine.high) == (min(engine), max(engine))
    assert (tr.logistic_regression.low, tr.logistic_regression.high) == (min(lr), max(lr))
    assert (tr.best_one_line_rule.low, tr.best_one_line_rule.high) == (min(rules), max(rules))
    assert {lockbox[r]["lockbox_clear_decisions"] for r in SINGLE_READINGS} == {tr.held_out_decisions}
    assert tr.readers == len(SINGLE_READINGS)


def test_a_range_reads_as_a_range_and_a_single_figure_as_one():
    tr = track_record()
    assert tr.engine.words() == "60–70 %"
    assert tr.logistic_regression.words() == "68 %"


SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"


def _memo_markdown(scenario_name: str, audience) -> str:
    from analysis.assess.engine import assess
    from analysis.assess.scenario import load_scenario
    from analysis.report.memo import build_memo

    a = assess(load_scenario(SCENARIOS / scenario_name), sensitivity=False)
    return build_memo(a, audience=audience).markdown


@pytest.mark.parametrize("audience", ["creator", "counsel", "student"])
def test_every_memo_gives_the_track_record_beside_the_overall_view(audience):
    md = _memo_markdown("classroom_excerpt.yaml", audience)
    tr = track_record()
    assert tr.engine.words() in md and str(tr.held_out_decisions) in md
    if audience == "creator":
        short_answer = md.split("\n## ")[1]  # the creator memo's first section
        assert "How far to trust this view" in short_answer
    else:
        assert "Track record:" in md and tr.logistic_regression.words() in md


def test_the_track_record_is_not_given_where_fair_use_is_not_needed():
    md = _memo_markdown("pride_and_prejudice_retelling.yaml", "counsel")
    assert "Fair use not needed" in md
    assert "Track record:" not in md


def test_the_cli_prints_the_track_record_under_the_overall_view(capsys):
    from analysis.cli import main

    assert main(["assess", str(SCENARIOS / "classroom_excerpt.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.index("Overall view:") < out.index("Track record:")
    assert track_record().engine.words() in out


def test_the_apps_assessment_page_gives_the_track_record():
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from analysis.samples import list_samples

    main_py = str(Path(__file__).resolve().parents[1] / "app" / "main.py")
    at = AppTest.from_file(main_py, default_timeout=60).run()
    at.selectbox(key="sample_pick").set_value(list_samples("text")[0].id).run()
    at.button(key="sample_load").click().run()
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception
    assert any("Track record:" in c.value and track_record().engine.words() in c.value for c in at.caption)
