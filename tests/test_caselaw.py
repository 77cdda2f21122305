"""The case library: every file validates, ids are stable, citations resolve and display."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.assess.caselaw import (
    CaseLibraryError,
    cite,
    load_authorities,
    load_case_file,
    load_cases,
    resolve_authority,
)
from analysis.assess.models import Authority

SUPREME_COURT = ["sony", "harper_row", "campbell", "google_oracle", "warhol"]
AI_2025 = ["bartz_training", "bartz_library", "kadrey", "ross"]


def test_library_has_at_least_60_decisions_and_the_landmarks():
    cases = load_cases()
    assert len(cases) >= 60, f"only {len(cases)} cases in the library"
    for cid in [*SUPREME_COURT, "authors_guild_google", "hathitrust", "cariou_prince", "rogers_koons"]:
        assert cid in cases, cid


def test_each_case_file_name_is_its_id_and_its_scenario_is_that_case():
    for cid, case in load_cases().items():
        assert case.id == cid
        assert case.scenario.id in (None, cid), f"{cid}: scenario id {case.scenario.id}"
        assert case.citation and case.court and 1900 < case.year <= 2026


def test_ai_rulings_of_2025_are_marked_provisional():
    cases = load_cases()
    for cid in AI_2025:
        assert cid in cases, f"{cid} is missing from the case library"
        assert cases[cid].provisional, f"{cid} should be provisional"


def test_bartz_and_bouchat_split_into_their_work_versus_use_pairings():
    cases = load_cases()
    assert cases["bartz_training"].outcome == "fair_use"
    assert cases["bartz_library"].outcome == "not_fair_use"
    assert cases["bouchat_films"].outcome == "not_fair_use"
    assert cases["bouchat_displays"].outcome == "fair_use"


def test_resolve_and_cite_known_and_unknown_authorities():
    assert resolve_authority("campbell").name.startswith("Campbell")
    assert resolve_authority("statute").id == "statute_107"
    assert "510 U.S. 569" in cite("campbell")
    assert cite(Authority(case_id="campbell", pinpoint="510 U.S. at 579")).endswith("at 579")
    assert "(provisional: may change on appeal)" in cite("kadrey")
    assert cite("statute_107") == "17 U.S.C. § 107"
    assert "usco_ai_report_2025" in load_authorities()
    with pytest.raises(KeyError):
        resolve_authority("no_such_case_v_nobody")
    assert cite("no_such_case_v_nobody").startswith("[unknown")


def test_authority_ids_do_not_collide_with_case_ids():
    assert not set(load_authorities()) & set(load_cases())


def test_a_bad_case_file_is_rejected_with_its_name_and_field(tmp_path: Path):
    good = (Path(__file__).resolve().parents[1] / "analysis/assess/data/cases/campbell.yaml").read_text(
        encoding="utf-8"
    )
    bad = tmp_path / "campbell.yaml"
    bad.write_text(good.replace("outcome: fair_use", "outcome: probably_fair"), encoding="utf-8")
    with pytest.raises(CaseLibraryError, match=r"campbell\.yaml: outcome"):
        load_case_file(bad)
    wrong_name = tmp_path / "other.yaml"
    wrong_name.write_text(good, encoding="utf-8")
    with pytest.raises(CaseLibraryError, match="does not match the file name"):
        load_case_file(wrong_name)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseLibraryError, match="malformed YAML"):
        load_case_file(broken)
    extra = tmp_path / "campbell2.yaml"
    extra.write_text(good.replace("id: campbell\n", "id: campbell2\nsurprise: 1\n", 1), encoding="utf-8")
    with pytest.raises(CaseLibraryError, match="surprise: unknown field"):
        load_case_file(extra)
