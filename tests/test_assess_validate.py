"""Validation against the courts: the issue's target, a consistent confusion matrix."""

from __future__ import annotations

from analysis.assess.validate import TARGET_AGREEMENT, TARGET_CLOSE_CALL, format_validation, validate_library
from analysis.cli import main


def test_engine_meets_the_agreement_target_on_the_library():
    v = validate_library()
    assert v.clear_cases >= 50
    assert v.agreement >= TARGET_AGREEMENT, format_validation(v)
    assert v.close_call_rate <= TARGET_CLOSE_CALL, format_validation(v)
    assert sum(sum(row.values()) for row in v.confusion.values()) == v.cases_total
    assert v.agreed == v.confusion["fair_use"]["leans_fair_use"] + v.confusion["not_fair_use"]["leans_against"]
    # factor 4 and factor 1 are where the engine must track the courts best
    assert v.factor_agreement["f1"] >= 0.8 and v.factor_agreement["f4"] >= 0.75


def test_cases_without_a_clear_outcome_are_not_scored():
    v = validate_library()
    for r in v.results:
        if r.outcome in ("mixed", "not_reached"):
            assert r.agrees is None


def test_fairuse_validate_command_prints_the_figures(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "agreement with the courts" in out and "Confusion matrix" in out and "factor 4" in out
    assert "Stress test" in out
