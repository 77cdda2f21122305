"""The questionnaire as data: valid, every authority resolves, no question unreachable, and
each answer's declared meaning agrees in direction with what the engine does with it."""

from __future__ import annotations

import pytest

from analysis.assess.caselaw import is_known_authority
from analysis.assess.engine import evaluate
from analysis.assess.factors import factor_score
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
from analysis.assess.weights import prior_weights
from analysis.errors import ScenarioError
from analysis.evidence import EvidenceFacts


def test_questionnaire_loads_with_questions_for_every_factor():
    q = load_questionnaire()
    assert len(q.questions) >= 25
    for n in (1, 2, 3, 4):
        assert questions_for_factor(n), f"no questions for factor {n}"
    for question in q.questions:
        assert question.wording.endswith("?") or question.wording.endswith("."), question.id
        assert question.help and (question.options or question.kind in ("year", "text"))


def test_every_authority_in_the_questionnaire_and_weights_resolves():
    unknown = []
    for question in load_questionnaire().questions:
        for opt in question.options:
            unknown += [
                f"{question.id}/{opt.value}: {a.case_id}" for a in opt.authorities if not is_known_authority(a.case_id)
            ]
    for a in prior_weights().provenance["authorities"]:
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


def test_meanings_come_from_the_considerations_not_the_questionnaire_file():
    from analysis.resources import data_dir

    raw = (data_dir() / "questionnaire.yaml").read_text(encoding="utf-8")
    assert "meaning:" not in raw and "strength:" not in raw, "the questionnaire keeps only questions and options"
    q = load_questionnaire().by_id("same_purpose")
    yes, no, partly = q.option(True), q.option(False), q.option("partly")
    assert yes is not None and no is not None and partly is not None, "a purpose can be partly shared"
    assert yes.meaning.direction == "disfavours" and yes.authorities
    assert no.meaning.direction in ("favours", "depends")
    parody = load_questionnaire().by_id("purposes").option("parody")
    assert parody is not None and parody.meaning.direction == "depends"  # only when it targets the source


def test_answers_of_degree_are_offered_where_they_are_real_answers():
    qn = load_questionnaire()
    for field in ("use.same_purpose_as_source", "use.new_expression", "use.targets_source", "use.amount_reasonable"):
        q = qn.by_field(field)
        assert q is not None and q.option("partly") is not None, field
        s = set_answer(_satisfy(Scenario(), q), q, "partly")
        assert get_answer(s, q) == "partly"


def test_protection_questions_come_before_the_factors():
    qn = load_questionnaire()
    step0 = [q for q in qn.questions if q.factor == 0]
    assert {q.field for q in step0} >= {
        "protection.first_publication_year",
        "protection.first_publication_country",
        "protection.us_government_work",
        "protection.licence",
        "protection.licence_terms_met",
        "protection.permission",
    }
    assert qn.questions.index(step0[-1]) < min(qn.questions.index(q) for q in qn.questions if q.factor == 1)
    s = set_answer(Scenario(), "first_publication_year", 1813)
    assert s.protection.first_publication_year == 1813
    with pytest.raises(ScenarioError, match="whole number"):
        set_answer(Scenario(), "first_publication_year", "long ago")
    assert (
        set_answer(Scenario(), "first_publication_country", "  United Kingdom ").protection.first_publication_country
        == "United Kingdom"
    )


def test_every_question_has_a_short_label_in_plain_words():
    for q in load_questionnaire().questions:
        assert q.short and "_" not in q.short and not any(ch.isdigit() for ch in q.short), q.id
        assert q.field not in q.short


def test_the_second_pass_questions_are_asked_and_move_their_factors():
    """What the source is used for, whether it is reproduced unaltered and whether the purpose
    could do without it are in the corpus and read by the engine; a user can answer them too."""
    from analysis.matter import Matter

    qn = load_questionnaire()
    assert {qn.by_id("used_as").factor, qn.by_id("unaltered").factor, qn.by_id("could_do_without").factor} == {1, 3}
    m = Matter.new()
    m.set_answer("purposes", ["entertainment"])
    before = {r.consideration for r in m.assessment.finding(1).reasons}
    m.set_answer("used_as", "expression")
    m.set_answer("unaltered", True)
    after = {r.consideration for r in m.assessment.finding(1).reasons}
    assert "f1.unaltered_expression" in after - before
    assert m.answer("used_as").origin == "user"
    m.set_answer("purposes", ["comment"])
    m.set_answer("used_as", "subject_of_comment")
    m.set_answer("could_do_without", False)
    assert "f3.needed_for_purpose" in {r.consideration for r in m.assessment.finding(3).reasons}
