"""The overall view: no single factor decides alone; factors 2 and 3 never decide on their own;
the reasons never contradict the leans; the weights keep the empirical record's order and
carry their provenance."""

from __future__ import annotations

import itertools

from analysis.assess.factors import STATUTE, TITLES
from analysis.assess.models import FactorFinding, Reason
from analysis.assess.overall import weigh
from analysis.assess.weights import prior_weights, shipped_weights

LEANS = ["strongly_favours", "favours", "neutral", "disfavours", "strongly_disfavours"]
ORDER = ["leans_against", "close_call", "leans_fair_use"]


def _finding(n: int, lean: str, reasons: list[Reason] | None = None) -> FactorFinding:
    return FactorFinding(
        factor=n, title=TITLES[n], statute_text=STATUTE[n], lean=lean, confidence="high", reasons=reasons or []
    )


def _view(leans: dict[int, str], weights=None, **kw):
    return weigh([_finding(n, leans[n]) for n in (1, 2, 3, 4)], weights or shipped_weights(), **kw)


def test_no_single_factor_decides_alone():
    for w in (shipped_weights(), prior_weights()):
        for n in (1, 2, 3, 4):
            others = [m for m in (1, 2, 3, 4) if m != n]
            against = _view({n: "strongly_disfavours", **{m: "strongly_favours" for m in others}}, w)
            assert against.label != "leans_against", f"factor {n} alone turned the result against fair use"
            for_ = _view({n: "strongly_favours", **{m: "strongly_disfavours" for m in others}}, w)
            assert for_.label != "leans_fair_use", f"factor {n} alone turned the result to fair use"


def test_factor_2_never_flips_the_view_on_its_own():
    for w in (shipped_weights(), prior_weights()):
        for combo in itertools.product(LEANS, repeat=3):
            leans = {1: combo[0], 3: combo[1], 4: combo[2]}
            a = _view({**leans, 2: "strongly_favours"}, w).label
            b = _view({**leans, 2: "strongly_disfavours"}, w).label
            assert abs(ORDER.index(a) - ORDER.index(b)) <= 1


def test_factors_2_and_3_do_not_decide_a_case_while_1_and_4_are_neutral():
    for w in (shipped_weights(), prior_weights()):
        for l2, l3 in itertools.product(LEANS, repeat=2):
            v = _view({1: "neutral", 2: l2, 3: l3, 4: "neutral"}, w)
            assert v.label == "close_call", (l2, l3, v.label)
            assert "Factors 1 and 4" in v.reasons[0]


def test_factor_weights_keep_the_empirical_order_and_have_provenance():
    for w in (shipped_weights(), prior_weights()):
        fw = w.factor_weights
        assert fw[4] >= fw[1] >= fw[3] >= fw[2] >= 0
        assert fw[1] > fw[2]
        assert all(fw[n] < sum(v for m, v in fw.items() if m != n) for n in fw)
    p = prior_weights().provenance
    assert p["sources"] and "Beebe" in " ".join(p["sources"])
    s = shipped_weights()
    if s.fitted:
        prov = s.provenance
        assert prov["method"] and prov["folds"]["k"] >= 5 and prov["folds"]["repeats"] >= 1
        assert prov["out_of_fold"]["agreement"] > 0 and "in_sample" in prov


def test_view_has_reasons_and_never_a_probability():
    v = _view({1: "favours", 2: "disfavours", 3: "neutral", 4: "favours"})
    assert v.label == "leans_fair_use" and v.reasons
    assert not any("%" in r for r in v.reasons)
    tie = _view({1: "favours", 2: "neutral", 3: "neutral", 4: "disfavours"}, prior_weights())
    assert tie.label == "close_call"


def _r(text: str, direction: str, weight: float) -> Reason:
    return Reason(text=text, basis="an answer", direction=direction, weight=weight)


def test_each_factor_line_quotes_a_reason_that_points_the_way_the_factor_leans():
    # factor 3 leans against, but its heaviest reason favours: the line must not quote it
    f3 = _finding(
        3,
        "disfavours",
        [
            _r("No more was taken than the purpose needed.", "favours", 2.0),
            _r("The whole work is taken.", "disfavours", 3.0),
        ],
    )
    f3.reasons.sort(key=lambda r: -r.weight if r.direction == "favours" else 0)
    findings = [_finding(1, "favours"), _finding(2, "neutral"), f3, _finding(4, "favours")]
    v = weigh(findings)
    line = next(r for r in v.reasons if r.startswith("Factor 3"))
    assert "No more was taken" not in line and "The whole work is taken" in line


def test_transformative_line_only_where_factor_1_found_a_further_purpose():
    leans = {1: "favours", 2: "neutral", 3: "neutral", 4: "disfavours"}
    none = _view(leans, purpose_degree=None)
    assert not any("further purpose found under factor 1" in r for r in none.reasons)
    found = _view(leans, purpose_degree="strong")
    assert any("further purpose found under factor 1" in r for r in found.reasons)
