"""The questionnaire as data: valid, every authority resolves, no question unreachable, and
each answer's declared meaning agrees in direction with what the engine does with it."""

from __future__ import annotations

import pytest

from analysis.assess.caselaw import is_known_authority
from analysis.assess.engine import evaluate
from analysis.assess.factors import factor_score, load_weights
from analysis.assess.questionnaire import (
    get_answer,
    is_visible,
    load_questionnaire,
    prefill_from_evidence,
    questions_for_factor,
    set_answer,
    visible_questions,
)
from analysis.assess.scenario import Scenario
from analysis.errors import ScenarioError
from analysis.evidence import EvidenceFacts


def test_questionnaire_loads_with_questions_for_every_factor():
    q = load_questionnaire()
    assert len(q.questions) >= 25
    for n in (1, 2, 3, 4):
        assert questions_for_factor(n), f"no questions for factor {n}"
    for question in q.questions:
        assert question.wording.endswith("?") or question.wording.endswith("."), question.id
        assert question.help and question.options


def test_every_authority_in_the_questionnaire_and_weights_resolves():
    unknown = []
    for question in load_questionnaire().questions:
        for opt in question.options:
            unknown += [
                f"{question.id}/{opt.value}: {a.case_id}" for a in opt.authorities if not is_known_authority(a.case_id)
            ]
    for a in load_weights()["provenance"]["authorities"]:
        if not is_known_authority(a["case_id"]):
            unknown.append(f"weights.yaml: {a['case_id']}")
    assert not unknown, unknown


def _satisfy(scenario: Scenario, question) -> Scenario:
    qn = load_questionnaire()
    for cond in question.show_if:
        controller = qn.by_field(cond.field)
        assert controller is not None, f"{question.id}: show_if on {cond.field}, which no question asks"
        assert controller.id != question.id
        scenario = _satisfy(scenario, controller)
        if cond.contains_any is not None:
            value = [cond.contains_any[0]]
        elif cond.in_ is not None:
            value = cond.in_[0]
        else:
            value = cond.equals
        scenario = set_answer(scenario, controller, value)
    return scenario


def test_no_question_is_unreachable():
    for question in load_questionnaire().questions:
        s = _satisfy(Scenario(), question)
        assert is_visible(question, s), f"{question.id} cannot be shown"


def test_show_if_hides_ai_questions_until_ai_is_involved():
    ids = {q.id for q in visible_questions(Scenario())}
    assert "dilution_risk" not in ids and "ai_generative" not in ids and "targets_source" not in ids
    s = set_answer(Scenario(), "ai_role", "training")
    ids = {q.id for q in visible_questions(s)}
    assert {"dilution_risk", "ai_generative", "regurgitation"} <= ids


def test_set_answer_validates_values_and_contradictions():
    s = set_answer(Scenario(), "commercial", "commercial")
    assert get_answer(s, "commercial") == "commercial"
    assert set_answer(s, "commercial", None).use.commercial is None
    with pytest.raises(ScenarioError, match="use.commercial"):
        set_answer(s, "commercial", "very")
    with pytest.raises(ScenarioError, match="use.purposes"):
        set_answer(s, "purposes", ["parody", "laughs"])
    # a non-profit can advertise (a public-health campaign, a candidate's ad): not a contradiction
    assert set_answer(set_answer(Scenario(), "purposes", ["advertising"]), "commercial", "nonprofit")
    s2 = set_answer(Scenario(), "entire_work", True)
    with pytest.raises(ScenarioError, match="entire_work"):
        set_answer(s2, "portion", "small")


def test_prefill_from_evidence_fills_only_unanswered_questions():
    facts = EvidenceFacts(medium="text", share_of_source_taken=0.97, heart_taken=True, copy_kind="verbatim")
    s, filled = prefill_from_evidence(Scenario(), facts)
    assert set(filled) == {"portion", "entire_work", "heart_taken", "new_work_medium"}
    assert s.use.portion == "entire" and s.use.entire_work is True and s.use.heart_taken is True
    mine = set_answer(Scenario(), "heart_taken", False)
    s, filled = prefill_from_evidence(
        mine, EvidenceFacts(medium="image", share_of_source_taken=0.05, heart_taken=True, copy_kind="partial_copy")
    )
    assert s.use.heart_taken is False and "heart_taken" not in filled
    assert s.use.portion == "small" and s.new_work.medium == "image"


def _score(s: Scenario, factor: int) -> float:
    return factor_score(evaluate(s).findings[factor - 1].reasons)


def test_each_answer_moves_its_factor_the_way_the_questionnaire_says_or_not_at_all():
    wrong = []
    for question in load_questionnaire().questions:
        base = _satisfy(Scenario(), question)
        base = set_answer(base, question, None)
        before = _score(base, question.factor)
        for opt in question.options:
            if opt.meaning.direction not in ("favours", "disfavours") or opt.meaning.strength == 0:
                continue
            try:
                after = _score(
                    set_answer(base, question, [opt.value] if question.kind == "multi" else opt.value), question.factor
                )
            except ScenarioError:
                continue
            delta = after - before
            if (opt.meaning.direction == "favours" and delta < 0) or (
                opt.meaning.direction == "disfavours" and delta > 0
            ):
                wrong.append(f"{question.id}={opt.value}: declared {opt.meaning.direction}, engine moved {delta:+.2f}")
    assert not wrong, wrong
