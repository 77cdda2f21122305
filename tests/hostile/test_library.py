"""Hostile save files, scenarios and reports through the library (issue #14): each is refused
with one ``InputError`` line, or loaded with nothing derived trusted."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from analysis.assess.engine import assess
from analysis.errors import FileTooLargeError, InputError, ScenarioError, UnreadableInputError
from analysis.evidence import ComparisonReport, EvidenceFacts, Figure
from analysis.matter import Matter
from tests.hostile import cases


def _one_line(exc: BaseException, name: str = "x.fairuse.json") -> str:
    msg = str(exc)
    assert "\n" not in msg and len(msg) < 400 and msg.startswith(name), msg
    return msg


def _refused(data: bytes, words: str, error: type[InputError] = UnreadableInputError) -> str:
    with pytest.raises(error) as exc:
        Matter.loads(data, "x.fairuse.json")
    msg = _one_line(exc.value)
    assert words in msg, msg
    return msg


# --------------------------------------------------------------------------- derived data
def test_a_tampered_assessment_is_never_used_and_is_computed_again():
    # issue #14: a file whose facts lead to "leans against" printed a memo saying "leans fair use"
    scenario = {
        "title": "tampered",
        "use": {"purposes": ["commercial_exploitation"], "portion": "entire", "entire_work": True},
        "market": {"harm_evidence": "substantial", "source_has_market": True},
    }
    tampered = {
        "overall": {"label": "leans_fair_use", "confidence": "high"},
        "findings": [
            {"factor": n, "lean": "strongly_favours", "reasons": [{"authorities": [{"case_id": "campbell"}]}]}
            for n in (1, 2, 3, 4)
        ],
    }
    d = cases.v1_with_assessment(tampered)
    d["scenario"] = scenario
    m = Matter.loads(cases.dumps(d), "x.fairuse.json")
    from analysis.assess.scenario import Scenario

    fresh = assess(Scenario.model_validate(m.scenario.model_dump()))
    assert m.assessment.overall.label == fresh.overall.label != "leans_fair_use"
    assert [f.lean for f in m.assessment.findings] == [f.lean for f in fresh.findings]


def test_a_file_citing_a_case_that_does_not_exist_is_refused():
    tampered = {"findings": [{"factor": 1, "reasons": [{"authorities": [{"case_id": "smith_v_nobody_2031"}]}]}]}
    msg = _refused(cases.dumps(cases.v1_with_assessment(tampered)), "not in the case library")
    assert "smith_v_nobody_2031" in msg


def test_authorities_that_are_in_the_library_pass():
    from analysis.assess.caselaw import load_cases

    known = next(iter(load_cases()))
    d = cases.v1_with_assessment({"findings": [{"authorities": [{"case_id": known}, {"case_id": "statute"}]}]})
    Matter.loads(cases.dumps(d), "x.fairuse.json")


def test_measurements_stored_in_the_answers_are_dropped():
    # scenario.evidence is derived data: a file could claim the whole source was copied
    facts = {"medium": "text", "share_of_source_taken": 1.0, "heart_taken": True, "copy_kind": "verbatim"}
    plain = cases.save_file(hostile="h", report=False)
    claimed = cases.save_file(hostile="h", report=False)
    claimed["scenario"] = {**claimed["scenario"], "evidence": [facts]}
    a = Matter.loads(cases.dumps(plain), "a.fairuse.json")
    b = Matter.loads(cases.dumps(claimed), "b.fairuse.json")
    assert b.scenario.evidence == [] and b.assessment.scenario.evidence == []
    assert b.assessment.finding(3).lean == a.assessment.finding(3).lean
    assert json.loads(b.dumps())["scenario"].get("evidence", []) == []


def test_a_scenario_file_may_not_assert_measurements(tmp_path):
    from analysis.assess.scenario import load_scenario

    p = tmp_path / "s.yaml"
    p.write_text("title: x\nevidence:\n  - medium: text\n    copy_kind: verbatim\n    share_of_source_taken: 1.0\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert "--evidence" in _one_line(exc.value, "s.yaml")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_saved_scenario_holds_no_measurements_and_loads_again(tmp_path, suffix):
    from analysis.assess.scenario import Scenario, load_scenario, save_scenario

    facts = EvidenceFacts(medium="text", copy_kind="verbatim", share_of_source_taken=1.0)
    p = tmp_path / f"s{suffix}"
    p.write_bytes(b"the user's old file")
    save_scenario(Scenario(title="with evidence", evidence=[facts]), p)
    back = load_scenario(p)  # refused before: save_scenario wrote the evidence load_scenario refuses
    assert back.title == "with evidence" and back.evidence == []
    assert [f.name for f in tmp_path.iterdir()] == [p.name]  # replaced through a temporary, none left


def test_a_report_for_other_works_is_marked_stale_not_used():
    d = cases.save_file(hostile="h")
    d["reports"][0]["inputs"][0]["sha256"] = "0" * 64
    m = Matter.loads(cases.dumps(d), "x.fairuse.json")
    assert m.stale_reports and not m.current_reports and m.assessment.scenario.evidence == []


# --------------------------------------------------------------------------- NaN and Infinity
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_in_evidence(bad):
    # issue #14: the assessment printed "similarity nan" and the memo's JSON twin held bare NaN
    with pytest.raises(ValidationError):
        EvidenceFacts(medium="text", copy_kind="none", semantic_similarity=bad)
    report = cases.text_report("a", "b", hostile="h")
    report["text"]["metrics"]["semantic_similarity"] = bad
    with pytest.raises(ValidationError):
        ComparisonReport.model_validate(report)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_a_report_file_or_save_file_is_refused(tmp_path, token):
    report = json.dumps(cases.text_report("a", "b", hostile="h")).replace(
        '"semantic_similarity": 0.8', f'"semantic_similarity": {token}'
    )
    assert token in report
    p = tmp_path / "r.json"
    p.write_text(report)
    with pytest.raises(InputError) as exc:
        ComparisonReport.load(p)
    assert token.lstrip("-") in _one_line(exc.value, "r.json")
    save = cases.dumps(cases.save_file(hostile="h")).replace(
        b'"semantic_similarity": 0.8', f'"semantic_similarity": {token}'.encode()
    )
    _refused(save, "not accepted")


def test_the_memo_json_twin_is_strict_json():
    m = Matter.loads(cases.dumps(cases.save_file()), "x.fairuse.json")
    bundle = m.build_memo()

    def refuse(name):
        raise AssertionError(f"{name} in the memo's JSON")

    json.loads(bundle.json, parse_constant=refuse)


# --------------------------------------------------------------------------- sizes
def test_a_work_over_the_work_limit_in_a_save_file_is_refused(monkeypatch):
    # issue #14: a save file holding a 150 MB text loaded, though works are limited to 20 MB
    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "100000")
    d = cases.save_file(hostile="h", report=False)
    d["source"]["text"] = "word " * 30_000
    _refused(cases.dumps(d), "limit; set FAIRUSE_MAX_FILE_BYTES", FileTooLargeError)


def test_a_pixel_bomb_as_a_work_in_a_save_file_is_refused():
    import base64

    d = cases.image_save_file("bad base64")
    d["source"]["data"] = base64.b64encode(cases.bomb_png()).decode()
    _refused(cases.dumps(d), "900,000,000 pixels is over the limit", FileTooLargeError)


def test_a_save_file_over_its_size_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setenv("FAIRUSE_MAX_SAVE_BYTES", "1000")
    _refused(cases.dumps(cases.save_file()), "over the 1,000 bytes limit for a save file", FileTooLargeError)


@pytest.mark.parametrize(
    "data, words",
    [
        (b'{"format": "fairuse-analysis", "format_version": 2, "scenario": {"title": "\\ud800"}}', "lone surrogate"),
        (b'{"format": "fairuse-analysis", "format_version": 2, "format_version": 2}', "duplicate key"),
        (b'{"format": "fairuse-analysis", "format_version": 2, "scenario": {"as_of": "2024-02-30"}}', "as_of"),
        (b'{"format": "fairuse-analysis", "format_version": 2, "scenario": {"as_of": "2024-13-45"}}', "as_of"),
        (b"\xef\xbb\xbf" + b'{"format": "fairuse-analysis", "format_version": 2, "x": 1}', "x"),
        (
            b'{"format": "fairuse-analysis", "format_version": 2, "notes": {"1": ' + b"[" * 2000 + b"]" * 2000 + b"}}",
            "nested",
        ),
        (b'{"format": "fairuse-analysis", "format_version": 2, "sample_id": ' + b"9" * 5000 + b"}", "digits"),
    ],
)
def test_hostile_save_file_syntax_gives_one_line(data, words):
    _refused(data, words)


# --------------------------------------------------------------------------- figures
@pytest.mark.parametrize(
    "kind, words",
    [
        ("bad base64", "not valid base64"),
        ("badly padded", "not valid base64"),
        ("not a PNG", "not a PNG"),
        ("truncated PNG", "not an image Pillow can read"),
        ("pixel bomb", "900,000,000 pixels is over the limit"),
    ],
)
def test_a_broken_figure_says_why_and_nothing_is_decoded(kind, words):
    fig = Figure(name="f", caption="c", png_base64=cases.figure_b64(kind))
    with pytest.raises(ValueError) as exc:
        fig.png()
    assert words in str(exc.value)


def test_a_real_figure_passes_the_guard():
    import base64

    png = cases.small_png()
    assert Figure(name="f", caption="c", png_base64=base64.b64encode(png).decode()).png() == png
