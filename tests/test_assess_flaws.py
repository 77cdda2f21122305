"""The classes of flaws seen in out-of-sample runs (issue 9, step 5), each fixed as a class and
checked here as a class, not case by case."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from analysis.assess.caselaw import load_cases
from analysis.assess.considerations import load_rules
from analysis.assess.corpus import load_fui
from analysis.assess.engine import assess, context_of, evaluate
from analysis.assess.models import LEAN_LABELS, LEAN_VALUE, FactorFinding
from analysis.assess.scenario import Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"
GENERIC = ("f1.purpose.same_purpose", "f1.purpose.repackaging")


@lru_cache(maxsize=1)
def _scenarios() -> list[Scenario]:
    return (
        [c.scenario for c in load_cases().values()]
        + [r.scenario for r in load_fui()]
        + [load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
    )


# ------------------------------------------------------------------ 1. rule order
SPECIFIC: dict[str, dict[str, object]] = {
    "search_indexing": {"purposes": ["search_indexing"]},
    "reverse_engineering": {"purposes": ["reverse_engineering"]},
    "intermediate_copying": {"purposes": ["intermediate_copying"]},
    "criticism": {"purposes": ["criticism"], "targets_source": True},
    "news_reporting": {"purposes": ["news_reporting"], "same_purpose_as_source": False},
    "legal_proceedings": {"purposes": ["legal_proceedings"]},
}


SPECIFIC_RULES = (
    "f1.purpose.parody_on_target",
    "f1.purpose.criticism_of_source",
    "f1.purpose.search_indexing",
    "f1.purpose.interoperability",
    "f1.purpose.evidence",
    "f1.purpose.work_is_the_news",
    "f1.purpose.historical_artefact",
    "f1.purpose.news_purpose_unsettled",
    "f1.purpose.history_purpose_unsettled",
    "f1.purpose.evidence_purpose_unsettled",
)


def test_specific_purposes_come_before_the_generic_rules_in_the_data():
    order = [c.id for c in load_rules().considerations if c.group == "purpose"]
    first_generic = min(order.index(g) for g in GENERIC)
    for cid in SPECIFIC_RULES:
        assert order.index(cid) < first_generic, f"{cid} is weighed after a generic rule"


@pytest.mark.parametrize("name", sorted(SPECIFIC))
def test_a_specific_purpose_is_weighed_before_no_new_expression_fires(name):
    use: dict[str, object] = {"new_expression": False, "commercial": "commercial"}
    use.update(SPECIFIC[name])
    s = Scenario.model_validate({"use": use})
    ctx = context_of(s)
    assert ctx.purpose_rule is not None and ctx.purpose_rule.id not in GENERIC, ctx.purpose_rule
    assert ctx.purpose_degree in ("strong", "some")
    assert LEAN_VALUE[evaluate(s).findings[0].lean] >= 0
    # the same use with the source's own purpose is still judged on that purpose
    same = Scenario.model_validate({"use": {**use, "same_purpose_as_source": True}})
    if name not in ("criticism",):
        assert context_of(same).purpose_degree == "none"


# ------------------------------------------------------------------ 2. factors 2 and 3 do not decide
def test_factors_2_and_3_never_decide_a_scenario_when_1_and_4_are_neutral():
    for nature in ("highly_creative", "factual", "functional"):
        for portion in ("tiny", "entire"):
            for published in (True, False):
                s = Scenario.model_validate(
                    {"source": {"nature": nature, "published": published}, "use": {"portion": portion}}
                )
                core = evaluate(s)
                leans = {f.factor: f.lean for f in core.findings}
                if LEAN_VALUE[leans[1]] == 0 and LEAN_VALUE[leans[4]] == 0:
                    assert core.overall.label == "close_call", (nature, portion, published, leans)


def test_nowhere_in_the_corpora_do_factors_2_and_3_decide_alone():
    for s in _scenarios():
        core = evaluate(s)
        leans = {f.factor: f.lean for f in core.findings}
        if LEAN_VALUE[leans[1]] == 0 and LEAN_VALUE[leans[4]] == 0:
            assert core.overall.label == "close_call", s.id


# ------------------------------------------------------------------ 3. whose use is judged
def _recorder(enables: bool | None, commercial: str) -> Scenario:
    return Scenario.model_validate(
        {
            "source": {"medium": "audiovisual", "nature": "highly_creative", "published": True},
            "use": {
                "user": "maker of a home recorder; its buyers",
                "commercial": commercial,
                "purposes": ["personal"],
                "same_purpose_as_source": True,
                "new_expression": False,
                "entire_work": True,
                "scale": "private",
                "enables_users_copying": enables,
            },
            "market": {"source_has_market": True, "harm_evidence": "speculative"},
        }
    )


def test_a_device_maker_is_judged_through_its_users_private_use():
    a = assess(_recorder(True, "nonprofit"), sensitivity=False, precedents=False)
    f1 = a.finding(1)
    assert any(r.consideration == "f1.whose_use.users" for r in f1.reasons)
    assert not any(r.consideration and r.consideration.startswith("f1.commercial") for r in f1.reasons)
    assert a.overall.label != "leans_against", a.overall
    # whole copies for private viewing do not count against the users
    assert any(r.consideration == "f3.amount.whole_private_viewing" for r in a.finding(3).reasons)
    # the same copying sold by a business that makes the copies itself is its own commercial use
    shop = assess(_recorder(False, "commercial"), sensitivity=False, precedents=False)
    assert not any(r.consideration == "f1.whose_use.users" for r in shop.finding(1).reasons)
    assert LEAN_VALUE[shop.finding(1).lean] < LEAN_VALUE[f1.lean]


def test_users_mass_copying_instead_of_buying_counts_against_them():
    s = _recorder(True, "nonprofit")
    s = s.model_copy(update={"use": s.use.model_copy(update={"scale": "mass", "purposes": ["entertainment"]})})
    a = assess(s, sensitivity=False, precedents=False)
    assert any(r.consideration == "f1.users_exploitative_copying" for r in a.finding(1).reasons)


# ------------------------------------------------------------------ 4. overall reasons that contradict themselves
_LINE = re.compile(r"^Factor (\d) \([^)]*\) (.+?)(?:: (.*?))?(?: \(this factor rarely decides a case\))?\.$")


def test_overall_reasons_never_contradict_the_findings():
    words = {v: k for k, v in LEAN_LABELS.items()}
    for s in _scenarios():
        core = evaluate(s)
        by_n: dict[int, FactorFinding] = {f.factor: f for f in core.findings}
        for line in core.overall.reasons:
            m = _LINE.match(line)
            if m:
                n, lean_words, quoted = int(m.group(1)), m.group(2), m.group(3)
                f = by_n[n]
                assert words[lean_words] == f.lean, (s.id, line)
                if quoted:
                    same_way = "favours" if LEAN_VALUE[f.lean] > 0 else "disfavours"
                    match = [r for r in f.reasons if r.text.rstrip(".") == quoted]
                    assert match and all(r.direction == same_way for r in match), (s.id, line)
            if "further purpose found under factor 1" in line:
                assert core.context.purpose_degree in ("strong", "some"), (s.id, line)
                assert LEAN_VALUE[by_n[1].lean] > 0 and LEAN_VALUE[by_n[4].lean] < 0


def test_no_reason_says_amount_reasonable_while_its_factor_line_says_against():
    s = Scenario.model_validate(
        {"use": {"amount_reasonable": True, "entire_work": True, "heart_taken": True, "purposes": ["entertainment"]}}
    )
    core = evaluate(s)
    f3 = core.findings[2]
    for line in core.overall.reasons:
        if line.startswith("Factor 3") and LEAN_VALUE[f3.lean] < 0:
            assert "No more was taken than the purpose needed" not in line


# ------------------------------------------------------------------ 5. authorities for what they held
def test_every_reason_in_every_corpus_cites_holdings_that_fit_it():
    rules = load_rules()
    for s in _scenarios():
        for f in evaluate(s).findings:
            for r in f.reasons:
                if r.consideration is None:
                    continue
                c = rules.by_id[r.consideration]
                for au in r.authorities:
                    assert au.holding is not None
                    h = rules.holdings[au.holding]
                    assert h.authority == au.case_id and h.factor == f.factor and c.topic in h.topics
                    assert r.direction == "neutral" or h.direction in (r.direction, "either"), (s.id, c.id, h.id)
