"""The overall view: no single factor decides alone; factor 2 never decides; weights documented."""

from __future__ import annotations

import itertools

from analysis.assess.factors import STATUTE, TITLES, load_weights
from analysis.assess.models import FactorFinding
from analysis.assess.overall import weigh

LEANS = ["strongly_favours", "favours", "neutral", "disfavours", "strongly_disfavours"]


def _finding(n: int, lean: str) -> FactorFinding:
    return FactorFinding(factor=n, title=TITLES[n], statute_text=STATUTE[n], lean=lean, confidence="high", reasons=[])


def _view(leans: dict[int, str]):
    return weigh([_finding(n, leans[n]) for n in (1, 2, 3, 4)])


def test_no_single_factor_decides_alone():
    for n in (1, 2, 3, 4):
        others = [m for m in (1, 2, 3, 4) if m != n]
        against = _view({n: "strongly_disfavours", **{m: "strongly_favours" for m in others}})
        assert against.label == "leans_fair_use", f"factor {n} alone turned the result against fair use"
        for_ = _view({n: "strongly_favours", **{m: "strongly_disfavours" for m in others}})
        assert for_.label == "leans_against", f"factor {n} alone turned the result to fair use"


def test_factor_2_never_flips_the_view_on_its_own():
    for combo in itertools.product(LEANS, repeat=3):
        leans = {1: combo[0], 3: combo[1], 4: combo[2]}
        a = _view({**leans, 2: "strongly_favours"}).label
        b = _view({**leans, 2: "strongly_disfavours"}).label
        order = ["leans_against", "close_call", "leans_fair_use"]
        assert abs(order.index(a) - order.index(b)) <= 1


def test_factor_4_and_1_weigh_most_and_weights_have_provenance():
    w = load_weights()
    fw = {int(k): float(v) for k, v in w["factor_weights"].items()}
    assert fw[4] >= fw[1] > fw[3] > fw[2]
    assert all(fw[n] < sum(v for m, v in fw.items() if m != n) for n in fw)
    assert w["provenance"]["sources"] and "Beebe" in " ".join(w["provenance"]["sources"])


def test_view_has_reasons_and_never_a_probability():
    v = _view({1: "favours", 2: "disfavours", 3: "neutral", 4: "favours"})
    assert v.label == "leans_fair_use" and v.reasons
    assert not any("%" in r for r in v.reasons)
    tie = _view({1: "favours", 2: "neutral", 3: "neutral", 4: "disfavours"})
    assert tie.label == "close_call"
