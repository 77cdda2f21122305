"""Considerations and holdings as data: each is written once, valid against the scenario format,
and every authority is cited only for a proposition its holding supports."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from analysis.assess.caselaw import is_known_authority, load_cases
from analysis.assess.considerations import ConsiderationError, compile_condition, load_rules
from analysis.assess.corpus import load_fui
from analysis.assess.engine import assess, context_of
from analysis.assess.scenario import Scenario, load_scenario
from analysis.assess.weights import shipped_weights

SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"


@lru_cache(maxsize=1)
def _all_scenarios() -> list[Scenario]:
    return (
        [c.scenario for c in load_cases().values()]
        + [r.scenario for r in load_fui()]
        + [load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
        + [Scenario()]
    )


def test_considerations_and_holdings_load_and_are_written_once():
    rules = load_rules()
    assert len(rules.considerations) >= 60
    assert len(rules.holdings) >= 100
    ids = [c.id for c in rules.considerations]
    assert len(ids) == len(set(ids))
    texts = [c.text for c in rules.considerations]
    assert len(texts) == len(set(texts)), "two considerations share a wording: write each once"
    for c in rules.considerations:
        assert c.factor in (1, 2, 3, 4) and c.text.strip()
        if c.direction != "neutral":
            assert c.cites, f"{c.id} moves its factor but cites no authority"


def test_the_engine_code_holds_no_legal_prose_or_inline_weights():
    src = (Path(__file__).resolve().parents[1] / "analysis/assess/factors.py").read_text(encoding="utf-8")
    assert "_reason(" not in src and "_FAST" not in src
    # the weights of considerations live in the data, not in the factor functions
    assert not re.search(r'"(favours|disfavours)",\s*\d', src)


def test_every_citation_names_a_holding_whose_direction_factor_and_topic_fit_the_consideration():
    """The structural check of issue 9: an authority is cited only for what it held."""
    rules = load_rules()
    wrong = []
    for c in rules.considerations:
        for hid in c.cites:
            h = rules.holdings[hid]
            if not is_known_authority(h.authority):
                wrong.append(f"{c.id}: {hid}: authority not in the library")
            if h.factor != c.factor:
                wrong.append(f"{c.id} (factor {c.factor}) cites {hid}, a factor-{h.factor} holding")
            if c.topic not in h.topics:
                wrong.append(f"{c.id} (topic {c.topic}) cites {hid}, which holds on {h.topics}")
            if c.direction != "neutral" and h.direction not in (c.direction, "either"):
                wrong.append(f"{c.id} ({c.direction}) cites {hid}, which {h.direction} fair use")
    for n, by_dir in rules.counters.items():
        for direction, ctr in by_dir.items():
            for hid in ctr.cites:
                h = rules.holdings[hid]
                if h.factor != n or h.direction not in (direction, "either"):
                    wrong.append(f"counter {n}/{direction} cites {hid} ({h.factor}, {h.direction})")
    assert not wrong, "\n".join(wrong)


def test_holdings_cited_in_every_assessment_apply_to_its_facts():
    """Where a holding's proposition needs facts (a pirated copy, a parody, criticism of the
    source), every reason that cites it is given only where those facts hold."""
    rules = load_rules()
    wrong = []
    for s in _all_scenarios():
        ctx = context_of(s)
        a = assess(s, sensitivity=False, precedents=False)
        reasons = [r for f in a.findings for r in f.reasons + ([f.counter_argument] if f.counter_argument else [])]
        for r in reasons + (a.protection.reasons if a.protection else []):
            for au in r.authorities:
                assert au.holding, f"{s.id}: {au.case_id} cited without a holding"
                assert au.holds and au.holding in rules.holdings
                req = rules.requires.get(au.holding)
                if req is not None and not req(ctx.facts):
                    wrong.append(f"{s.id}: {r.consideration} cites {au.holding} outside its scope")
    assert not wrong, "\n".join(wrong[:20])


def test_the_issues_examples_of_misused_authorities_cannot_recur():
    rules = load_rules()
    for c in rules.considerations:
        auths = {rules.holdings[h].authority for h in c.cites}
        if "sony" in auths:
            assert c.direction != "disfavours", f"{c.id}: Sony cited against fair use"
        if auths & {"texaco", "princeton_mds", "kinkos"}:
            for h in c.cites:
                if rules.holdings[h].authority in ("texaco", "princeton_mds") and rules.holdings[h].factor == 4:
                    assert rules.holdings[h].requires == {"criticism_of_source": False}
        if "bartz_library" in auths:
            assert c.when.get("acquisition.how_obtained") == "unauthorized", c.id
    parody = Scenario.model_validate(
        {
            "use": {"purposes": ["parody"], "targets_source": True, "commercial": "commercial", "entire_work": True},
            "market": {"licensing_market": "established", "derivative_market": True},
            "acquisition": {"how_obtained": "purchased"},
        }
    )
    a = assess(parody, sensitivity=False, precedents=False)
    cited = {au.case_id for f in a.findings for r in f.reasons for au in r.authorities}
    assert not cited & {"texaco", "princeton_mds", "bartz_library"}, cited
    assert not any(
        au.case_id == "sony" for r in a.finding(3).reasons if r.direction == "disfavours" for au in r.authorities
    )


def test_a_condition_naming_a_field_or_answer_that_does_not_exist_is_refused():
    with pytest.raises(ConsiderationError, match="not a scenario field"):
        compile_condition({"use.nonsense": True}, "test")
    with pytest.raises(ConsiderationError, match="cannot be 'search_index'"):
        compile_condition({"use.purposes": {"has": "search_index"}}, "test")
    with pytest.raises(ConsiderationError, match="cannot be 'sometimes'"):
        compile_condition({"use.same_purpose_as_source": "sometimes"}, "test")
    ok = compile_condition({"use.same_purpose_as_source": "partly", "any": [{"use.commercial": "nonprofit"}]}, "t")
    assert ok({"use.same_purpose_as_source": "partly", "use.commercial": "nonprofit"})
    assert not ok({"use.same_purpose_as_source": True, "use.commercial": "nonprofit"})


def test_true_is_not_partly_and_partly_is_not_true():
    yes = compile_condition({"use.targets_source": True}, "t")
    assert yes({"use.targets_source": True}) and not yes({"use.targets_source": "partly"})
    assert not compile_condition({"use.targets_source": "partly"}, "t")({"use.targets_source": True})


def test_reasons_basis_is_in_plain_words_never_field_names_or_stored_values():
    internal = re.compile(r"\b(use|market|source|ai|acquisition|protection)\.[a-z_]+|\w+_\w+|\s=\s")
    for s in _all_scenarios():
        a = assess(s, sensitivity=False, precedents=False)
        for f in a.findings:
            for r in f.reasons + ([f.counter_argument] if f.counter_argument else []):
                assert not internal.search(r.basis), f"{s.id}: {r.consideration}: {r.basis!r}"
                assert "{" not in r.text and "}" not in r.text, f"{s.id}: unfilled placeholder in {r.text!r}"
                assert set(r.wording) == {"creator", "counsel", "student"}


def test_fitted_weights_name_only_considerations_that_exist():
    w = shipped_weights()
    ids = {c.id for c in load_rules().considerations}
    assert set(w.considerations) <= ids
    assert all(v >= 0 for v in w.considerations.values()), "a fitted weight never turns a consideration around"


def _applied(s: Scenario, factor: int) -> set[str]:
    ctx = context_of(s)
    return {c.id for c in ctx.rules.applicable(factor, ctx.facts)}


def test_what_the_source_is_used_for_is_read_under_factors_1_and_3():
    """The second blind pass's answers: a use that shares part of the source's purpose and uses
    it for its own expression has no further purpose (Warhol), reproducing it unaltered for that
    counts against, and a purpose that could not be served without the source (evidence,
    comment, function) makes the amount reasonable to it (Campbell; Bill Graham)."""
    base = {"same_purpose_as_source": "partly", "new_expression": "partly", "commercial": "commercial"}
    expr = Scenario.model_validate({"use": {**base, "used_as": "expression", "unaltered": True}})
    ctx = context_of(expr)
    assert ctx.purpose_rule is not None and ctx.purpose_rule.id == "f1.purpose.expression_shared_purpose"
    assert ctx.purpose_degree == "none"
    assert "f1.unaltered_expression" in _applied(expr, 1)
    raw = Scenario.model_validate({"use": {**base, "used_as": "raw_material", "unaltered": True}})
    assert context_of(raw).purpose_degree == "some"
    assert "f1.unaltered_expression" not in _applied(raw, 1)
    for used_as in ("evidence_or_fact", "subject_of_comment", "functional"):
        needed = Scenario.model_validate({"use": {**base, "used_as": used_as, "could_do_without": False}})
        assert "f3.needed_for_purpose" in _applied(needed, 3), used_as
    not_needed = Scenario.model_validate({"use": {**base, "used_as": "evidence_or_fact", "could_do_without": True}})
    assert "f3.needed_for_purpose" not in _applied(not_needed, 3)
    # a declared answer on the amount's reasonableness is the user's own; this one stands back
    declared = Scenario.model_validate(
        {"use": {**base, "used_as": "evidence_or_fact", "could_do_without": False, "amount_reasonable": False}}
    )
    assert "f3.needed_for_purpose" not in _applied(declared, 3)
