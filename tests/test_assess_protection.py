"""Is the source protected at all? Term rules computed from the law's or the scenario's date,
U.S. government works, licences and their terms, permission, unprotectable elements only; the
assessment says so first and shows the four factors as not needed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from analysis import defaults
from analysis.assess.engine import assess
from analysis.assess.protection import TERM_YEARS, protection_of, year_of_law
from analysis.assess.scenario import Scenario, load_scenario
from analysis.cli import main

SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"


def _s(protection: dict | None = None, use: dict | None = None, source: dict | None = None, as_of=None) -> Scenario:
    return Scenario.model_validate(
        {
            "source": {"published": True, **(source or {})},
            "use": use or {},
            "protection": protection or {},
            **({"as_of": as_of} if as_of else {}),
        }
    )


def test_year_of_law_is_the_scenarios_date_else_the_laws_never_a_fixed_year():
    assert year_of_law(_s(as_of=date(2031, 5, 1))) == 2031
    assert year_of_law(_s()) == int(defaults.LAW_AS_OF[:4])


@pytest.mark.parametrize("year_now", [2024, 2026, 2040])
def test_published_more_than_95_years_before_the_law_year_is_public_domain(year_now: int):
    old = protection_of(_s({"first_publication_year": year_now - TERM_YEARS - 1}, as_of=date(year_now, 6, 1)))
    assert old.status == "public_domain"
    assert f"more than {TERM_YEARS} years before {year_now}" in old.reasons[0].text
    edge = protection_of(
        _s(
            {"first_publication_year": year_now - TERM_YEARS, "first_publication_country": "France"},
            as_of=date(year_now, 6, 1),
        )
    )
    assert edge.status != "public_domain", "a work published exactly 95 years before is still protected that year"


def test_1928_mickey_is_free_in_2024_and_1929_works_are_not():
    assert protection_of(_s({"first_publication_year": 1928}, as_of=date(2024, 1, 2))).status == "public_domain"
    assert (
        protection_of(
            _s({"first_publication_year": 1929, "first_publication_country": "US"}, as_of=date(2024, 1, 2))
        ).status
        == "unknown"
    )


def test_renewal_and_uraa_restoration_for_works_published_up_to_1963():
    us = protection_of(_s({"first_publication_year": 1950, "first_publication_country": "United States"}))
    assert us.status == "unknown" and "renew" in us.reasons[0].text
    foreign = protection_of(_s({"first_publication_year": 1950, "first_publication_country": "Italy"}))
    assert foreign.status == "protected" and "Uruguay Round" in foreign.reasons[0].text
    assert any(a.case_id == "statute_104a" for a in foreign.reasons[0].authorities)
    unknown = protection_of(_s({"first_publication_year": 1950}))
    assert unknown.status == "unknown" and "where it was first published" in unknown.reasons[0].text
    later = protection_of(_s({"first_publication_year": 1970}))
    assert later.status == "protected" and str(1970 + TERM_YEARS) in later.reasons[0].text


def test_unpublished_works_run_for_life_plus_70():
    s = _s({"author_death_year": 1900}, source={"published": False})
    assert protection_of(s).status == "public_domain"
    assert protection_of(_s({"author_death_year": 1990}, source={"published": False})).status == "protected"


def test_us_government_work_is_not_protected():
    p = protection_of(_s({"us_government_work": True}))
    assert p.status == "public_domain" and "105" in p.reasons[0].text
    assert p.reasons[0].authorities[0].case_id == "statute_105"


def test_explicit_permission_licenses_the_use():
    assert protection_of(_s({"permission": True, "first_publication_year": 2010})).status == "licensed"


@pytest.mark.parametrize(
    ("licence", "use", "status"),
    [
        ("cc0", {}, "licensed"),
        ("cc_by", {"attribution": True}, "licensed"),
        ("cc_by", {"attribution": False}, "protected"),
        ("cc_by", {}, "unknown"),
        ("cc_by_nc", {"attribution": True, "commercial": "commercial"}, "protected"),
        ("cc_by_nc", {"attribution": True, "commercial": "nonprofit"}, "licensed"),
        ("cc_by_nd", {"attribution": True, "new_expression": True}, "protected"),
        ("cc_by_nd", {"attribution": True, "new_expression": False}, "licensed"),
        ("cc_by_sa", {"attribution": True, "new_expression": "partly"}, "unknown"),
        ("cc_by_nc_nd", {"attribution": True, "commercial": "nonprofit", "new_expression": False}, "licensed"),
        ("other_permissive", {}, "unknown"),
    ],
)
def test_creative_commons_terms_are_checked_against_the_answers(licence, use, status):
    p = protection_of(_s({"licence": licence}, use=use))
    assert p.status == status, [r.text for r in p.reasons]


def test_licence_terms_answered_directly_win():
    assert (
        protection_of(_s({"licence": "cc_by_nc", "licence_terms_met": True}, use={"commercial": "commercial"})).status
        == "licensed"
    )
    assert (
        protection_of(_s({"licence": "cc_by", "licence_terms_met": False}, use={"attribution": True})).status
        == "protected"
    )


def test_unprotectable_elements_only():
    for taken in (["facts_or_ideas"], ["style"], ["short_phrases"], ["scenes_a_faire"], ["style", "short_phrases"]):
        p = protection_of(_s(use={"what_is_taken": taken}), takes_only_unprotected=True)
        assert p.status == "not_protectable", taken
    p = protection_of(_s(use={"what_is_taken": ["short_phrases"]}), takes_only_unprotected=True)
    assert any(a.case_id == "cfr_202_1" for a in p.reasons[-1].authorities)


def test_nothing_known_is_treated_as_protected_and_says_why():
    p = protection_of(Scenario())
    assert p.status == "protected" and "treated as protected" in p.reasons[0].text


def test_a_public_domain_source_says_not_protected_first_and_marks_the_factors_not_needed():
    a = assess(load_scenario(SCENARIOS / "pride_and_prejudice_retelling.yaml"), sensitivity=False)
    assert a.protection is not None
    assert a.protection.status == "public_domain"
    assert a.overall.reasons[0].startswith("Not protected")
    assert not a.overall.fair_use_needed
    assert all(not f.needed and "1813" in (f.not_needed_reason or "") for f in a.findings)
    assert all(f.reasons for f in a.findings), "the factors are still computed"


def test_a_licensed_source_says_licensed_first():
    a = assess(load_scenario(SCENARIOS / "cc_licensed_photo.yaml"), sensitivity=False)
    assert a.protection is not None
    assert a.protection.status == "licensed" and a.overall.reasons[0].startswith("Licensed")
    assert all(not f.needed for f in a.findings)
    uncredited = a.scenario.model_copy(update={"use": a.scenario.use.model_copy(update={"attribution": False})})
    b = assess(uncredited, sensitivity=False)
    assert b.protection is not None
    assert b.protection.status == "protected" and b.overall.fair_use_needed and all(f.needed for f in b.findings)


def test_the_cli_prints_protection_before_the_factors(capsys):
    assert main(["assess", str(SCENARIOS / "pride_and_prejudice_retelling.yaml")]) == 0
    out = capsys.readouterr().out
    head = out.split("Factor 1")[0]
    assert "NOT PROTECTED" in head and "1813" in head
    assert "NOT NEEDED" in out
    assert main(["assess", str(SCENARIOS / "cc_licensed_photo.yaml")]) == 0
    assert "LICENSED" in capsys.readouterr().out.split("Factor 1")[0]


def test_protection_round_trips_in_the_assessment_json():
    from analysis.assess.models import Assessment

    a = assess(load_scenario(SCENARIOS / "cc_licensed_photo.yaml"), sensitivity=False)
    back = Assessment.model_validate_json(a.model_dump_json())
    assert back.protection is not None
    assert back.protection.status == "licensed" and back.protection.reasons
    data = a.model_dump(mode="json")
    assert data["protection"]["status"] == "licensed" and data["protection"]["reasons"]


@pytest.mark.parametrize(
    ("sample", "headline"),
    [
        ("pride_and_prejudice_retelling.yaml", "Fair use not needed: the source is in the public domain"),
        ("cc_licensed_photo.yaml", "Fair use not needed: the licence permits the use"),
    ],
)
def test_when_fair_use_is_not_needed_that_is_the_bottom_line_everywhere(sample, headline, capsys):
    """The CLI, the memo and the sidebar say "fair use not needed" as the bottom line, not the
    moot lean of the four factors ("Leans against fair use" for a novel of 1813 misled a
    creator before); the lean is still given, as what the factors would give if protected."""
    from analysis import labels
    from analysis.report.memo import build_memo

    a = assess(load_scenario(SCENARIOS / sample), sensitivity=False)
    assert labels.headline(a) == headline
    assert main(["assess", str(SCENARIOS / sample)]) == 0
    out = capsys.readouterr().out
    assert f"Overall view: {headline.upper()}" in out
    assert "Overall view: LEANS" not in out and "Overall view: CLOSE" not in out
    assert "Had the source been protected, the four factors would give" in out
    leads: tuple[tuple[Literal["creator", "counsel", "student"], str], ...] = (
        ("creator", "Our view"),
        ("counsel", "Preliminary view"),
        ("student", "Conclusion of the engine"),
    )
    for audience, lead in leads:
        md = build_memo(a, audience=audience).markdown
        assert f"**{lead}: {headline}.**" in md, audience
        assert f"{lead}: Leans" not in md and f"{lead}: Close call" not in md
        assert "Had the source been protected, the four factors would give" in md
        # nothing to lower when fair use is not needed: no "seek a licence" or "take less"
        assert "Nothing needs to change" in md
        assert "Seek a licence" not in md and "Take less" not in md


def test_a_protected_source_keeps_the_overall_view_as_its_bottom_line():
    from analysis import labels

    a = assess(load_scenario(SCENARIOS / "mickey_food_poisoning.yaml"), sensitivity=False)
    assert a.overall.fair_use_needed
    assert labels.headline(a) == labels.overall(a.overall.label)
