"""Substitution risk: a named measure shown with its parts, from measurements and answers."""

from __future__ import annotations

from analysis.assess.scenario import Scenario
from analysis.assess.substitution import substitution_risk
from analysis.evidence import EvidenceFacts


def _s(**market) -> Scenario:
    data = {"source": {"medium": "text"}, "new_work": {"medium": "text"}, "market": market}
    return Scenario.model_validate(data)


def test_verbatim_copy_for_the_same_audience_is_high():
    facts = EvidenceFacts(
        medium="text",
        share_of_source_taken=0.9,
        expression_delivered=0.9,
        semantic_similarity=0.95,
        style_similarity=0.9,
        copy_kind="verbatim",
    )
    r = substitution_risk(_s(same_audience=True, price_relation="free"), facts)
    assert r.level == "high" and r.score is not None and r.score >= 0.6
    assert {p.name for p in r.parts} >= {"expression delivered", "same audience", "style similarity", "scale"}
    assert any(p.source == "measurement" for p in r.parts)


def test_parody_for_another_audience_is_low_and_ignores_licences_for_criticism():
    s = Scenario.model_validate(
        {
            "source": {"medium": "music"},
            "new_work": {"medium": "music"},
            "use": {"purposes": ["parody"], "targets_source": True},
            "market": {"substitutes": False, "same_audience": False, "licensing_market": "established"},
        }
    )
    r = substitution_risk(s, None)
    assert r.level == "low"
    lic = next(p for p in r.parts if p.name == "licensing market")
    assert lic.value is None and "criticism" in lic.explanation


def test_unknown_without_a_direct_sign_of_standing_in():
    assert substitution_risk(Scenario(), None).level == "unknown"
    only_context = Scenario.model_validate(
        {"source": {"medium": "text"}, "new_work": {"medium": "text"}, "use": {"scale": "mass"}}
    )
    r = substitution_risk(only_context, None)
    assert r.level == "unknown" and r.score is None


def test_style_similarity_alone_is_reported_not_called_copying():
    facts = EvidenceFacts(
        medium="image",
        share_of_source_taken=0.0,
        expression_delivered=0.0,
        style_similarity=0.97,
        copy_kind="same_style_only",
    )
    r = substitution_risk(_s(same_audience=True), facts)
    style = next(p for p in r.parts if p.name == "style similarity")
    assert style.value == 0.97 and "not protected" in style.explanation
    assert r.level in ("low", "moderate")
