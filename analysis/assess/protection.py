"""Is the source protected at all? The question before the four factors.

Fair use excuses the use of protected expression. A source in the U.S. public domain, a
work of the U.S. government, a source licensed for this use, or a new work that takes only
unprotectable elements (facts, ideas, style, short phrases, scenes a faire) needs no excuse;
the assessment then says so first and shows the four factors as not needed.

Term rules are applied for the year of the scenario's own date (``as_of``), or else the
year of the law this release reflects (``defaults.LAW_AS_OF``); no year is written into the
rules themselves:

- published more than 95 years before that year: the U.S. term has run (17 U.S.C. § 304(b),
  95 years from publication, to the end of the calendar year, § 305);
- published from then to 1963: protected only if renewed (U.S. works), or restored by the
  URAA (§ 104A) for most foreign works;
- published 1964-1977: 95 years, renewal automatic; from 1978: life plus 70 years, or 95/120
  years for works made for hire (§ 302);
- unpublished: life plus 70 years, where the author's death year is known (§ 302).

The rules are U.S. law; a work's status in other countries can differ and is named as such.
"""

from __future__ import annotations

from typing import Literal

from analysis import defaults
from analysis.assess.considerations import Rules, load_rules
from analysis.assess.models import Authority, ProtectionFinding, ProtectionStatus, Reason
from analysis.assess.scenario import Scenario

TERM_YEARS = defaults.ASSESS_PUBLISHED_TERM_YEARS
LAST_RENEWAL_YEAR = 1963
"""Works first published in or before this year needed a renewal registration to keep their
full term; from 1964 renewal was automatic (Copyright Renewal Act of 1992)."""
LIFE_PLUS = 70
_US = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "america"}
_CC_NAMES = {
    "cc0": "CC0 (a public-domain dedication)",
    "cc_by": "CC BY (attribution)",
    "cc_by_sa": "CC BY-SA (attribution, share-alike)",
    "cc_by_nd": "CC BY-ND (attribution, no derivatives)",
    "cc_by_nc": "CC BY-NC (attribution, non-commercial)",
    "cc_by_nc_sa": "CC BY-NC-SA (attribution, non-commercial, share-alike)",
    "cc_by_nc_nd": "CC BY-NC-ND (attribution, non-commercial, no derivatives)",
    "other_permissive": "a permissive licence",
}
_TAKEN_WORDS = {
    "style": "style",
    "facts_or_ideas": "facts or ideas",
    "short_phrases": "short phrases",
    "scenes_a_faire": "stock elements (scenes a faire)",
}


def year_of_law(scenario: Scenario) -> int:
    """The year whose law the term rules apply: the scenario's date, else the law's date."""
    if scenario.as_of is not None:
        return scenario.as_of.year
    return int(defaults.LAW_AS_OF[:4])


def _publication_year(s: Scenario) -> tuple[int | None, str]:
    p = s.protection
    if p.first_publication_year is not None:
        return p.first_publication_year, "answer"
    if s.source.published is not False and s.source.date:
        import re

        m = re.search(r"(1[4-9]\d\d|2[01]\d\d)", s.source.date)
        if m:
            return int(m.group(1)), "the source's date"
    return None, ""


def _is_us(country: str | None) -> bool | None:
    if not country:
        return None
    return country.strip().lower() in _US


class _Builder:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.reasons: list[Reason] = []

    def add(
        self, text: str, basis: str, direction: Literal["favours", "disfavours", "neutral"], cites: list[str]
    ) -> None:
        auths: list[Authority] = []
        for hid in cites:
            h = self.rules.holdings[hid]
            auths.append(
                Authority.model_construct(case_id=h.authority, pinpoint=h.pinpoint, holding=h.id, holds=h.holds)
            )
        self.reasons.append(
            Reason.model_construct(
                text=text,
                basis=basis,
                direction=direction,
                weight=0.0,
                authorities=auths,
                source="answer",
                consideration=None,
                wording={"creator": text, "counsel": text, "student": text},
            )
        )


def _licence(s: Scenario, b: _Builder) -> ProtectionStatus | None:
    """'licensed', 'protected' (terms not kept), 'unknown' (a term open), or None (no licence)."""
    p, u = s.protection, s.use
    lic = p.licence
    if lic in (None, "none"):
        return None
    name = _CC_NAMES[lic]
    cites = ["cc_legal_code.terms", "statute_106.authorize"] if lic != "other_permissive" else ["statute_106.authorize"]
    if lic == "cc0":
        b.add(
            f"The source is offered under {name}: its owner has waived copyright as far as the law allows.",
            f"Licence: {name}",
            "favours",
            cites,
        )
        return "licensed"
    if p.licence_terms_met is True:
        b.add(
            f"The source is offered under {name}, and the use keeps its terms.",
            f"Licence: {name}; its terms kept: yes",
            "favours",
            cites,
        )
        return "licensed"
    if p.licence_terms_met is False:
        b.add(
            f"The source is offered under {name}, but the use does not keep its terms, so the licence does not cover it; fair use must carry it.",
            f"Licence: {name}; its terms kept: no",
            "disfavours",
            cites,
        )
        return "protected"
    if lic == "other_permissive":
        b.add(
            f"The source is offered under {name}; check that the use keeps its terms.",
            f"Licence: {name}",
            "neutral",
            cites,
        )
        return "unknown"
    broken: list[str] = []
    open_terms: list[str] = []
    adapted = u.new_expression in (True, "partly")
    if u.attribution is False:
        broken.append("it requires credit to the author, and the source is not credited")
    elif u.attribution is None:
        open_terms.append("credit to the author (attribution)")
    if "_nc" in lic:
        if u.commercial == "commercial":
            broken.append("it allows only non-commercial use, and this use is commercial")
        elif u.commercial != "nonprofit":
            open_terms.append("non-commercial use only")
    if lic.endswith("_nd"):
        if adapted:
            broken.append("it allows no adapted versions, and the new work adapts or builds on the source")
        elif u.new_expression is None:
            open_terms.append("no adapted versions (no derivatives)")
    if lic.endswith("_sa") and adapted:
        open_terms.append("an adapted version must be shared under the same licence (share-alike)")
    basis = f"Licence: {name}"
    if broken:
        b.add(
            f"The source is offered under {name}, but the use falls outside it: "
            + "; ".join(broken)
            + ". Fair use must carry it.",
            basis,
            "disfavours",
            cites,
        )
        return "protected"
    if open_terms:
        b.add(
            f"The source is offered under {name}; the use is licensed if it keeps these terms: "
            + "; ".join(open_terms)
            + ".",
            basis,
            "neutral",
            cites,
        )
        return "unknown"
    b.add(f"The source is offered under {name}, and the answers show the use keeps its terms.", basis, "favours", cites)
    return "licensed"


def protection_of(
    s: Scenario, *, takes_only_unprotected: bool = False, no_copied_expression: bool = False, rules: Rules | None = None
) -> ProtectionFinding:
    """Whether the source, or the part taken, is protected; reasons say which rule applies."""
    b = _Builder(rules or load_rules())
    p = s.protection
    year_now = year_of_law(s)
    us = _is_us(p.first_publication_country)
    abroad = (
        f" This is the U.S. rule; in other countries (including {p.first_publication_country}) the term may differ, often the author's life plus 70 years."
        if us is False
        else ""
    )
    status: ProtectionStatus | None = None
    if p.us_government_work is True:
        b.add(
            "The source is a work of the U.S. government, which copyright does not protect (17 U.S.C. § 105).",
            "Work of the U.S. government: yes",
            "favours",
            ["statute_105.government_works"],
        )
        status = "public_domain"
    year, year_src = _publication_year(s)
    if status is None and year is not None and s.source.published is not False:
        basis = f"First published: {year}" + (" (from the source's date)" if year_src != "answer" else "")
        if year + TERM_YEARS < year_now:
            b.add(
                f"The source was first published in {year}, more than {TERM_YEARS} years before {year_now}: its U.S. copyright "
                f"(at most {TERM_YEARS} years from publication, to the end of the calendar year) has expired, so it is in the public domain."
                + abroad,
                basis,
                "favours",
                ["statute_304.term_pre1978"],
            )
            status = "public_domain"
        elif year <= LAST_RENEWAL_YEAR:
            if us is True:
                b.add(
                    f"The source was first published in the U.S. in {year}: it kept its copyright only if the copyright was renewed "
                    "in its 28th year, and many were not. Check the Copyright Office's renewal records; a work published without a "
                    "copyright notice before 1978 may also have entered the public domain.",
                    basis + "; country: " + str(p.first_publication_country),
                    "neutral",
                    ["statute_304.term_pre1978"],
                )
                status = "unknown"
            elif us is False:
                b.add(
                    f"The source was first published abroad in {year}: even where a renewal was missed, the Uruguay Round Agreements "
                    f"Act restored U.S. copyright in most such foreign works, for the rest of a {TERM_YEARS}-year term.",
                    basis + "; country: " + str(p.first_publication_country),
                    "disfavours",
                    ["statute_104a.uraa_restoration", "statute_304.term_pre1978"],
                )
            else:
                b.add(
                    f"The source was first published in {year}: a U.S. work kept its copyright only if renewed, while most foreign works "
                    "had U.S. copyright restored (URAA). Say where it was first published to settle this.",
                    basis,
                    "neutral",
                    ["statute_304.term_pre1978", "statute_104a.uraa_restoration"],
                )
                status = "unknown"
        elif year < 1978:
            b.add(
                f"The source was first published in {year}: its U.S. term runs {TERM_YEARS} years from publication, to the end of {year + TERM_YEARS}.",
                basis,
                "disfavours",
                ["statute_304.term_pre1978"],
            )
        else:
            b.add(
                f"The source was first published in {year}: it is protected for the author's life plus {LIFE_PLUS} years "
                "(or 95 years from publication for a work made for hire).",
                basis,
                "disfavours",
                ["statute_302.term_post1978"],
            )
    if status is None and s.source.published is False and p.author_death_year is not None:
        basis = f"Author died: {p.author_death_year}"
        if p.author_death_year + LIFE_PLUS < year_now:
            b.add(
                f"The source is unpublished and its author died in {p.author_death_year}, more than {LIFE_PLUS} years before {year_now}: "
                "its U.S. copyright has expired.",
                basis,
                "favours",
                ["statute_302.term_post1978"],
            )
            status = "public_domain"
        else:
            b.add(
                f"The source is unpublished; its copyright lasts until the end of {p.author_death_year + LIFE_PLUS} (the author's life plus {LIFE_PLUS} years).",
                basis,
                "disfavours",
                ["statute_302.term_post1978"],
            )
    if status is None and p.permission is True:
        b.add(
            "The owner gave explicit permission for this use: a use the owner authorises infringes nothing.",
            "Permission from the owner: yes",
            "favours",
            ["statute_106.authorize"],
        )
        status = "licensed"
    if status is None:
        status = _licence(s, b)
    if status in (None, "protected") and (takes_only_unprotected or no_copied_expression):
        taken = [_TAKEN_WORDS[t] for t in s.use.what_is_taken if t in _TAKEN_WORDS]
        if takes_only_unprotected:
            text = (
                "Only unprotectable elements are taken ("
                + ", ".join(taken)
                + "): copyright protects expression, not facts, ideas, style, short phrases or stock elements."
            )
            basis = "What is taken: " + ", ".join(taken)
        else:
            text = "The comparison found no copied expression: what the works share appears to be unprotectable (ideas, style, facts)."
            basis = "measured: no copied expression found"
        b.add(
            text,
            basis,
            "favours",
            ["harper_row.facts_ideas_protection", "statute_102b.ideas_protection"]
            + (["cfr_202_1.short_phrases_protection"] if "short_phrases" in s.use.what_is_taken else []),
        )
        if status is None or takes_only_unprotected:
            status = "not_protectable"
    if status is None:
        if not b.reasons:
            b.add(
                "Nothing is known about the source's publication date, origin or licence, so it is treated as protected "
                "(answer the protection questions to check).",
                "the answers given",
                "disfavours",
                [],
            )
        status = "protected"
    summary = {
        "public_domain": "Not protected: the source is in the public domain, so fair use is not needed.",
        "licensed": "Licensed: the use is permitted, so fair use is not needed.",
        "not_protectable": "Not protected: only unprotectable elements are taken, so fair use is not needed.",
        "unknown": "Protection not settled: the answers leave open whether the source is protected; the four factors apply if it is.",
        "protected": "Protected: the four factors decide whether the use is fair.",
    }[status]
    return ProtectionFinding.model_construct(status=status, summary=summary, reasons=b.reasons, year_of_law=year_now)
