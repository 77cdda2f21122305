"""Validation against the case library: the issue's targets (>= 95 %, stress test above 80 %),
a consistent confusion matrix, and the command's output and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.assess.validate import (
    CONCLUSORY_ANSWERS,
    TARGET_AGREEMENT,
    TARGET_CLOSE_CALL,
    TARGET_STRESS,
    format_validation,
    validate_library,
)
from analysis.cli import main


def test_engine_meets_the_agreement_target_on_the_library():
    v = validate_library()
    assert v.clear_cases >= 50
    assert TARGET_AGREEMENT >= 0.95
    assert v.agreement >= TARGET_AGREEMENT, format_validation(v)
    assert v.close_call_rate <= TARGET_CLOSE_CALL, format_validation(v)
    assert sum(sum(row.values()) for row in v.confusion.values()) == v.cases_total
    assert v.agreed == v.confusion["fair_use"]["leans_fair_use"] + v.confusion["not_fair_use"]["leans_against"]
    # factor 4 and factor 1 are where the engine must track the courts best
    assert v.factor_agreement["f1"] >= 0.8 and v.factor_agreement["f4"] >= 0.75


def test_stress_test_with_the_courts_characterisations_withheld_stays_above_80_percent():
    s = validate_library(withhold=CONCLUSORY_ANSWERS)
    assert s.agreement > TARGET_STRESS, format_validation(s)


def test_cases_without_a_clear_outcome_are_not_scored():
    v = validate_library()
    for r in v.results:
        if r.outcome in ("mixed", "not_reached"):
            assert r.agrees is None


def test_fairuse_validate_command_prints_the_figures(capsys, tmp_path: Path):
    out = tmp_path / "lib.json"
    assert main(["validate", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "agreement with the courts" in text and "Confusion matrix" in text and "factor 4" in text
    assert "Stress test" in text and "use." not in text.split("Stress test")[1], "no field names in the output"
    v = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "corpus",
        "decisions",
        "agreement",
        "close_calls",
        "per_factor",
        "misses_by_outcome",
        "baselines",
        "folds",
    ):
        assert key in v
    assert v["corpus"] == "library" and v["in_sample"] is True
