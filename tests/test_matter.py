"""The ``Matter``: one analysis as a library object, and its save file.

Round trips (texts, image bytes, notes, memo options), version-1 files from the earlier app,
bad files (one clear line, nothing changed), reports tied to the works by their hashes (a
stale report is never used), the assessment worked out from the facts and never read from a
file, answers with their origin, what-ifs that change nothing, and the memo from the
matter's own reports and assessment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from analysis.assess.engine import assess
from analysis.assess.questionnaire import get_answer
from analysis.errors import InputError, StaleEvidenceError, UnreadableInputError
from analysis.evidence import ComparisonReport, EvidenceFacts, InputRecord
from analysis.matter import FORMAT_VERSION, Matter, open_for_command
from analysis.works import WorkInput, work_from_text

SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report(gen_text: str, src_text: str, share: float = 0.95, heart: bool = False) -> ComparisonReport:
    """A text report whose recorded inputs are these two pasted texts (as the text engine records them)."""

    def rec(role, text):
        return InputRecord(
            role=role, name="pasted text", sha256=_sha(text), bytes=len(text), kind="text", media_type="text/plain"
        )

    facts = EvidenceFacts(medium="text", share_of_source_taken=share, heart_taken=heart, copy_kind="verbatim")
    return ComparisonReport(kind="text", inputs=[rec("generated", gen_text), rec("source", src_text)], facts=facts)


def _texts_matter(gen: str = "the generated words", src: str = "the source words") -> Matter:
    return Matter.from_works(work_from_text("generated", gen), work_from_text("source", src))


# --------------------------------------------------------------------------- the file
def test_round_trip_keeps_texts_image_bytes_options_notes_and_origins():
    m = Matter.from_works(
        WorkInput(role="generated", kind="text", name="g.txt", text="héllo “world” §107\n", title="G"),
        WorkInput(role="source", kind="image", name="s.png", data=bytes(range(256)) * 3),
    )
    m.scenario = m.scenario.model_copy(update={"title": "Matter"})
    m.memo_options.audience = "student"
    m.memo_options.matter = "Complaint 17"
    m.set_note("2", "The source is a published novel.")
    m.set_note("overall", "I think it is close.")
    m.set_answer("commercial", "commercial")
    back = Matter.loads(m.dumps())
    assert back == m
    assert back.source.data == bytes(range(256)) * 3
    assert back.generated.text == "héllo “world” §107\n"
    assert back.notes == {"2": "The source is a published novel.", "overall": "I think it is close."}
    assert back.answer("commercial").origin == "user"
    assert back.format_version == FORMAT_VERSION == 2
    assert m.file_name() == "complaint-17.fairuse.json"


def test_the_file_holds_no_derived_data():
    m = _texts_matter()
    m.attach_report(_report("the generated words", "the source words"))
    saved = json.loads(m.dumps())
    assert "assessment" not in saved
    assert set(saved) == {
        "format",
        "format_version",
        "tool_version",
        "sample_id",
        "generated",
        "source",
        "scenario",
        "origins",
        "reports",
        "memo_options",
        "notes",
    }


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not"),
        (b"{not json", "malformed JSON at line 1"),
        (b'{"format": "something-else"}', "not a saved fairuse analysis"),
        (b"[1, 2]", "not a saved fairuse analysis"),
        (b'{"format": "fairuse-analysis", "generated": {"role": "nobody"}}', "damaged"),
        (b'{"format": "fairuse-analysis", "format_version": 3}', "saved by a newer version of fairuse (save format 3"),
        (b'{"format": "fairuse-analysis", "format_version": 99}', "newer version"),
        (b'{"format": "fairuse-analysis", "format_version": 1' + b"0" * 5000 + b"}", "not a saved fairuse analysis"),
        (b'{"format": "fairuse-analysis", "format_version": 0}', "does not exist"),
        (b'{"format": "fairuse-analysis", "format_version": -7}', "format_version must be a whole number from 0"),
        (b'{"format": "fairuse-analysis", "format_version": "abc"}', "whole number"),
        (b'{"format": "fairuse-analysis", "format_version": [1]}', "whole number"),
        (b'{"format": "fairuse-analysis", "format_version": null}', "whole number"),
        (b'{"format": "fairuse-analysis", "format_version": true}', "whole number"),
        (b'{"format": "fairuse-analysis", "format_version": 1.5}', "whole number"),
        (b'{"format": "fairuse-analysis", "format_version": NaN}', "NaN"),
        (b'{"format": "fairuse-analysis", "format_version": 1e999}', "Infinity is not accepted"),
        (b"[" * 100_000, "nested more than 64 levels deep"),
        (b'{"format": "fairuse-analysis", "format_version": 2, "notes": {"5": "x"}}', "notes may be kept for"),
        (b'{"format": "fairuse-analysis", "format_version": 2, "assessment": {}}', "damaged"),
        (b'{"format": "fairuse-analysis", "format_version": 1, "surprise": 1}', "unknown field 'surprise'"),
        (b'{"format": "fairuse-analysis", "format_version": 1, "prefilled": "portion"}', "prefilled"),
    ],
)
def test_bad_save_files_raise_one_clear_line(data, words):
    with pytest.raises(UnreadableInputError) as exc:
        Matter.loads(data, "x.fairuse.json")
    message = str(exc.value)
    assert words in message, message
    assert message.startswith("x.fairuse.json") and "\n" not in message and len(message) < 400


def test_open_reads_a_saved_analysis_and_a_scenario_file(tmp_path):
    m = _texts_matter()
    m.memo_options.matter = "M"
    path = m.save(tmp_path / "a.fairuse.json")
    assert Matter.open(path) == m
    plain_json = tmp_path / "copy.json"  # a saved analysis under another name is still recognised
    plain_json.write_bytes(m.dumps())
    assert Matter.open(plain_json) == m
    from_scenario = Matter.open(SCENARIOS / "classroom_excerpt.yaml")
    assert not from_scenario.generated.given and from_scenario.scenario.title
    with pytest.raises(InputError, match="no such scenario file"):
        Matter.open(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="no such file"):
        Matter.open(tmp_path / "missing.fairuse.json")
    with pytest.raises(InputError, match="folder"):
        Matter.open(tmp_path)


def test_save_replaces_the_file_whole(tmp_path):
    path = tmp_path / "a.fairuse.json"
    path.write_text("old", encoding="utf-8")
    _texts_matter().save(path)
    assert Matter.open(path).generated.text == "the generated words"
    assert [p.name for p in tmp_path.iterdir()] == ["a.fairuse.json"], "no temporary file left behind"


# --------------------------------------------------------------------------- version 1
def _v1_file(m_gen: str, m_src: str, report: ComparisonReport | None, assessment: dict | None) -> bytes:
    """A file as the app wrote it before the library owned the format (format_version 1)."""
    gen: dict[str, object] = {
        "role": "generated",
        "kind": "text",
        "name": "pasted text",
        "text": m_gen,
        "media_type": "text/plain",
    }
    src: dict[str, object] = {
        "role": "source",
        "kind": "text",
        "name": "pasted text",
        "text": m_src,
        "media_type": "text/plain",
    }
    for w in (gen, src):
        w.update({"data": None, "title": "", "author": "", "description": ""})
    from analysis.assess.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "ai_output_regurgitation.yaml").model_dump(mode="json")
    scenario["use"]["portion"] = "large"  # answered from the measurements, as "prefilled" says
    data = {
        "format": "fairuse-analysis",
        "format_version": 1,
        "sample_id": None,
        "generated": gen,
        "source": src,
        "report": report.model_dump(mode="json") if report else None,
        "report_inputs": "0" * 64,
        "scenario": scenario,
        "prefilled": ["portion", "no_such_question_any_more"],
        "assessment": assessment,
        "memo": {
            "audience": "counsel",
            "matter": "Old matter",
            "reviewer": "R",
            "privileged": True,
            "judge_mode": False,
        },
    }
    return json.dumps(data).encode("utf-8")


def test_version_1_files_from_the_app_still_open():
    gen, src = "the generated words", "the source words"
    m = Matter.loads(_v1_file(gen, src, _report(gen, src), None), "old.fairuse.json")
    assert m.format_version == 2
    assert m.evidence_current and len(m.current_reports) == 1  # tied by the hashes it records
    assert m.memo_options.matter == "Old matter" and m.memo_options.privileged
    assert m.origins == {"portion": "measured"}, "the unknown question id is dropped, the known one kept"
    assert m.answer("portion").origin == "measured"
    assert Matter.loads(m.dumps()) == m  # and it is saved as version 2


def test_a_tampered_assessment_is_never_trusted():
    """A file whose facts lead to 'leans against' but whose stored assessment says 'leans fair use'."""
    gen, src = "the generated words", "the source words"
    honest = Matter.loads(_v1_file(gen, src, _report(gen, src), None))
    fake = honest.assessment.model_dump(mode="json")
    fake["overall"] = {"label": "leans_fair_use", "confidence": "high", "reasons": ["As held in Fake v. Case."]}
    for f in fake["findings"]:
        f["lean"] = "strongly_favours"
    m = Matter.loads(_v1_file(gen, src, _report(gen, src), fake))
    assert m.assessment.overall.label == honest.assessment.overall.label == "leans_against"
    bundle = m.build_memo()
    assert "Fake v. Case" not in bundle.markdown and "Leans against fair use" in bundle.markdown


# --------------------------------------------------------------------------- evidence and its hashes
def test_a_report_that_does_not_match_the_works_is_stale_and_never_used():
    gen, src = "the generated words", "the source words"
    m = _texts_matter(gen, src)
    m.attach_report(_report(gen, src, share=0.95, heart=True))
    assert m.evidence_current and m.assessment.scenario.evidence
    m.set_text("generated", "an entirely new text")
    assert not m.evidence_current and m.report is not None
    assert m.stale_reports and not m.current_reports
    without = assess(m.scenario, [])
    assert m.assessment.model_dump(exclude={"created_at"}) == without.model_dump(exclude={"created_at"})
    # no memo from stale evidence, nor one that silently leaves it out (issue #12)
    with pytest.raises(StaleEvidenceError, match="analyse the works again"):
        m.build_memo()
    # a file saved in that state opens, keeps everything, and still marks the report stale
    back = Matter.loads(m.dumps())
    assert back.stale_reports and back.generated.text == "an entirely new text"


def test_attaching_a_report_of_other_works_is_refused():
    m = _texts_matter()
    with pytest.raises(InputError, match="other works"):
        m.attach_report(_report("something else", "the source words"))
    assert m.reports == []


def test_a_matter_without_works_takes_reports_as_given():
    from analysis.assess.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "ai_output_regurgitation.yaml")
    report = _report("a", "b")
    m = Matter.from_scenario(scenario, [report])
    assert m.current_reports == [report] and m.measured() == []  # evidence, not pre-filled answers
    assert m.assessment.model_dump(exclude={"created_at"}) == assess(scenario, [report]).model_dump(
        exclude={"created_at"}
    )


def test_analysing_again_refills_the_measured_answers_and_keeps_the_users():
    """The works changed and were analysed again: the old report's pre-filled answers must not stay."""
    m = _texts_matter("g one", "s")
    first = m.attach_report(_report("g one", "s", share=0.95))
    assert {"portion", "entire_work", "heart_taken"} <= set(first.filled) == set(m.measured())
    assert get_answer(m.scenario, "portion") == "entire" and get_answer(m.scenario, "entire_work") is True
    assert m.answer("portion").origin == "measured"
    m.set_answer("heart_taken", True)  # the user changes one pre-filled answer by hand
    assert m.answer("heart_taken").origin == "user"

    m.set_text("generated", "g two")
    second = m.attach_report(_report("g two", "s", share=0.01))
    assert get_answer(m.scenario, "portion") == "tiny", "kept the old report's answer"
    assert get_answer(m.scenario, "entire_work") is False
    assert {"portion", "entire_work"} <= set(second.filled) and set(m.measured()) == set(second.filled)
    assert get_answer(m.scenario, "heart_taken") is True, "an answer the user gave must be kept"
    assert "heart_taken" not in m.measured()
    assert len(m.reports) == 1, "a new comparison replaces the old report"


def test_a_comparison_that_stops_half_way_leaves_the_matter_as_it_was(monkeypatch):
    """A pre-fill that fails after the old answers were cleared (or an app run cut short there)
    must not leave the new report beside half-cleared answers: the matter is put in place at the end."""
    import analysis.assess.questionnaire as questionnaire

    m = _texts_matter("g one", "s")
    m.attach_report(_report("g one", "s", share=0.95))
    m.set_answer("heart_taken", True)
    old_report = m.report
    m.set_text("generated", "g two")
    before = m.model_dump()

    def stop(*args, **kwargs):
        raise KeyboardInterrupt("stopped half-way")

    monkeypatch.setattr(questionnaire, "prefill_from_evidence", stop)
    with pytest.raises(KeyboardInterrupt):
        m.attach_report(_report("g two", "s", share=0.01))
    assert m.report is old_report and len(m.reports) == 1, "no new report attached half-way"
    assert m.model_dump() == before, "answers, origins and reports are all as they were"
    assert get_answer(m.scenario, "portion") == "entire" and m.answer("portion").origin == "measured"


# --------------------------------------------------------------------------- answers and what-ifs
def test_answers_carry_their_origin():
    m = _texts_matter()
    assert m.answer("commercial").origin == "default" and m.answer("commercial").value is None
    m.set_answer("commercial", "nonprofit")
    a = m.answer("commercial")
    assert (a.origin, a.value, a.factor, a.field) == ("user", "nonprofit", 1, "use.commercial")
    m.clear_answer("commercial")
    assert m.answer("commercial").origin == "default"
    assert {a.question_id for a in m.answers(factor=4)} and all(a.factor == 4 for a in m.answers(factor=4))
    from analysis.errors import ScenarioError

    with pytest.raises(ScenarioError):
        m.set_answer("commercial", "not an option")
    assert m.answer("commercial").origin == "default", "a refused answer changes nothing"


def test_the_assessment_follows_every_change_of_the_answers():
    m = _texts_matter()
    before = m.assessment
    assert m.assessment is before, "asked twice without a change: computed once"
    m.set_answer("commercial", "commercial")
    assert m.assessment is not before
    changed = m.assessment
    m.scenario.use.targets_source = True  # edited in place, not through set_answer
    assert m.assessment is not changed


def test_a_what_if_shows_what_moves_and_changes_nothing():
    m = Matter.open(SCENARIOS / "ai_output_regurgitation.yaml")
    before = m.dumps()
    now = m.assessment.overall.label
    w = m.what_if("commercial", "nonprofit")
    assert m.dumps() == before and m.assessment.overall.label == now
    assert [mv.what for mv in w.moves] == [
        "Factor 1",
        "Factor 2",
        "Factor 3",
        "Factor 4",
        "Overall",
        "Substitution risk",
    ]
    assert w.then.scenario.use.commercial == "nonprofit"
    from analysis import labels

    assert (w.moves[4].now, w.moves[4].then) == (labels.overall(now), labels.overall(w.then.overall.label))
    for mv, f in zip(w.moves[:4], sorted(w.then.findings, key=lambda f: f.factor)):
        assert mv.then == labels.lean(f.lean)
    assert w.changes_anything == any(mv.moved for mv in w.moves)


# --------------------------------------------------------------------------- the memo and the CLI's reader
def test_the_memo_comes_from_the_matters_own_reports_and_options():
    gen, src = "the generated words", "the source words"
    m = _texts_matter(gen, src)
    m.attach_report(_report(gen, src))
    m.memo_options.matter = "Complaint 17"
    m.memo_options.audience = "counsel"
    bundle = m.build_memo()
    data = json.loads(bundle.json)
    assert data["memo"]["matter"] == "Complaint 17" and data["memo"]["audience"] == "counsel"
    assert len(data["reports"]) == 1
    assert data["assessment"]["overall"] == m.assessment.model_dump(mode="json")["overall"]
    override = m.build_memo(audience="creator", matter="Other")
    assert json.loads(override.json)["memo"]["matter"] == "Other"
    assert m.memo_options.matter == "Complaint 17", "an override is for one memo only"


def test_open_for_command_refuses_stale_and_foreign_reports(tmp_path):
    gen, src = "the generated words", "the source words"
    m = _texts_matter(gen, src)
    m.attach_report(_report(gen, src))
    good = m.save(tmp_path / "good.fairuse.json")
    matter, files = open_for_command(good)
    assert files[0][:2] == ("analysis file", "good.fairuse.json") and matter.evidence_current
    foreign = tmp_path / "foreign.json"
    foreign.write_text(_report("x", "y").to_json(), encoding="utf-8")
    with pytest.raises(InputError, match="foreign.json: this comparison report was made from other works"):
        open_for_command(good, [foreign])
    m.set_text("source", "the source, edited")
    stale = m.save(tmp_path / "stale.fairuse.json")
    with pytest.raises(InputError, match="does not match its works"):
        open_for_command(stale)


def test_a_sample_case_becomes_a_matter_with_its_works_titles_and_answers():
    from analysis.samples import list_samples

    case = list_samples("text")[0]
    m = Matter.from_sample(case.id)
    assert m.sample_id == case.id and m.works_ready
    assert m.generated.data == case.generated_path.read_bytes()
    assert m.generated.sha256 == hashlib.sha256(case.generated_path.read_bytes()).hexdigest()
    assert m.scenario.use == case.scenario.use
    assert m.memo_options.matter == case.title
    m.set_text("generated", "typed over")
    assert m.sample_id is None, "no longer the sample once a work is replaced"


def test_work_hash_is_memoised_and_follows_every_change():
    w = WorkInput(role="generated", kind="text", text="one " * 1000)
    first = w.sha256
    assert w.sha256 == first == _sha("one " * 1000)
    w.text = "two " * 1000
    assert w.sha256 == _sha("two " * 1000)
    w.data = b"\x89PNG"
    assert w.sha256 == hashlib.sha256(b"\x89PNG").hexdigest(), "a file's bytes are what a report hashes"
    # the memo never makes equal works unequal
    assert WorkInput.model_validate(w.model_dump()) == w
