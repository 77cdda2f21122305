"""The four-factor engine: a scenario (+ measurements) in, an ``Assessment`` out.

Pure and deterministic given ``now``; no heavy imports (torch never loads here), so the
app, the memo and the validation command can call it freely. Fast enough (a few
milliseconds per run) that sensitivity is computed honestly, by re-running the factors
with each alternative answer from the questionnaire.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from analysis import defaults
from analysis.assess.caselaw import is_provisional
from analysis.assess.factors import (
    _FAST,
    build_context,
    factor1_purpose_and_character,
    factor2_nature_of_work,
    factor3_amount_and_substantiality,
    factor4_market_effect,
)
from analysis.assess.models import (
    LEAN_LABELS,
    OVERALL_LABELS,
    Assessment,
    FactorFinding,
    OverallView,
    Sensitivity,
    SubstitutionRisk,
)
from analysis.assess.overall import label_for_score, overall_score, weigh
from analysis.assess.precedents import disagreements, nearest_precedents
from analysis.assess.questionnaire import (
    Question,
    combined_facts,
    get_answer,
    is_answered,
    load_questionnaire,
)
from analysis.assess.scenario import Scenario
from analysis.assess.substitution import substitution_risk
from analysis.evidence import ComparisonReport, EvidenceFacts


@dataclass
class Core:
    findings: list[FactorFinding]
    substitution: SubstitutionRisk
    overall: OverallView
    unprotected_only: bool = False


def evaluate(scenario: Scenario) -> Core:
    """The four findings, the substitution risk and the overall view (no precedents)."""
    return _evaluate(scenario)


def _quick_label(scenario: Scenario) -> tuple[str, dict[int, str]]:
    """Overall label and factor leans only: the sensitivity loop's inner step."""
    token = _FAST.set(True)
    try:
        core = _evaluate(scenario, full_overall=False)
    finally:
        _FAST.reset(token)
    return label_for_score(overall_score(core.findings)), {f.factor: f.lean for f in core.findings}


def _evaluate(scenario: Scenario, full_overall: bool = True) -> Core:
    facts = combined_facts(list(scenario.evidence))
    ctx = build_context(scenario, facts)
    sub = substitution_risk(scenario, facts)
    f1 = factor1_purpose_and_character(ctx)
    f2 = factor2_nature_of_work(ctx)
    f3 = factor3_amount_and_substantiality(ctx)
    f4 = factor4_market_effect(ctx, sub)
    findings = [f1, f2, f3, f4]
    overall = weigh(findings) if full_overall else None
    if overall is not None and ctx.unprotected_only:
        overall.reasons.insert(
            0, "Only unprotected elements (style, facts or ideas) appear to be taken; fair use may not even be needed."
        )
    return Core(findings=findings, substitution=sub, overall=overall, unprotected_only=ctx.unprotected_only)  # type: ignore[arg-type]


def _facts_of(evidence: Sequence[ComparisonReport | EvidenceFacts]) -> list[EvidenceFacts]:
    out = []
    for e in evidence:
        if isinstance(e, ComparisonReport):
            out.append(e.facts)
        elif isinstance(e, EvidenceFacts):
            out.append(e)
        else:
            raise TypeError(f"evidence must be ComparisonReport or EvidenceFacts, not {type(e).__name__}")
    return out


def assess(
    scenario: Scenario,
    evidence: Sequence[ComparisonReport | EvidenceFacts] = (),
    *,
    now: datetime | None = None,
    precedents: bool = True,
    sensitivity: bool = True,
) -> Assessment:
    """Walk the four factors for one work-versus-use pairing.

    ``evidence`` (comparison reports or their facts) is attached to the scenario; it feeds
    factor 3 and the substitution part of factor 4 only. ``precedents`` and ``sensitivity``
    can be switched off for bulk runs (validation).
    """
    facts = _facts_of(evidence)
    s = scenario.with_evidence(facts) if facts else scenario
    core = evaluate(s)
    a = Assessment(
        created_at=now or datetime.now(timezone.utc),
        law_as_of=defaults.LAW_AS_OF,
        scenario=s,
        findings=core.findings,
        substitution=core.substitution,
        overall=core.overall,
        precedents=nearest_precedents(s, core.findings) if precedents else [],
        disagreements=disagreements(s),
        sensitivity=sensitivity_of(s, core) if sensitivity else [],
        out_of_scope=out_of_scope(s, now),
        notes=_notes(s, core),
    )
    return a


# --------------------------------------------------------------------------- sensitivity
def _alternatives(q: Question, current) -> list[tuple[object, str]]:
    """Alternative answers to try, with how to phrase them."""
    if q.kind == "multi":
        cur = list(current or [])
        out = []
        for o in q.options:
            if o.value in cur:
                out.append(([v for v in cur if v != o.value], f'removing "{o.label}"'))
            else:
                out.append(([*cur, o.value], f'adding "{o.label}"'))
        return out
    return [(o.value, f'answering "{o.label}"') for o in q.options if o.value != current]


def _with_answer(scenario: Scenario, path: str, value: object) -> Scenario:
    """``set_answer`` without re-validating the whole scenario (values come from the
    questionnaire's own options); the Scenario's contradiction check still runs."""
    head, _, leaf = path.rpartition(".")
    if head:
        sub = getattr(scenario, head)
        new = scenario.model_copy(update={head: sub.model_copy(update={leaf: value})})
    else:
        new = scenario.model_copy(update={leaf: value})
    new._no_contradictions()  # raises ValueError on contradictory answers
    return new


def sensitivity_of(scenario: Scenario, core: Core | None = None) -> list[Sensitivity]:
    """Answers (given or not) that would change a factor's lean or the overall view.

    Computed by re-running the engine with each alternative answer; overall changes are
    listed first, then changes to factor leans from unanswered questions.
    """
    core = core or evaluate(scenario)
    base_label = core.overall.label
    base_leans = {f.factor: f.lean for f in core.findings}
    overall_hits: list[Sensitivity] = []
    factor_hits: list[Sensitivity] = []
    questionnaire = load_questionnaire()
    for q in questionnaire.visible_questions(scenario):
        current = get_answer(scenario, q)
        answered = is_answered(scenario, q)
        best_overall = None
        best_factor = None
        for value, phrase in _alternatives(q, current):
            try:
                alt = _with_answer(scenario, q.field, value)
            except ValueError:  # contradicts another answer: not a possible alternative
                continue
            alt_label, alt_leans = _quick_label(alt)
            if alt_label != base_label and best_overall is None:
                best_overall = f"{phrase} moves the overall view from {OVERALL_LABELS[base_label].lower()} to {OVERALL_LABELS[alt_label].lower()}"
            if best_factor is None:
                for n in (1, 2, 3, 4):
                    if alt_leans[n] != base_leans[n]:
                        best_factor = f"{phrase} moves factor {n} from {LEAN_LABELS[base_leans[n]]} to {LEAN_LABELS[alt_leans[n]]}"
                        break
        prefix = "" if answered else "(unanswered) "
        if best_overall:
            overall_hits.append(Sensitivity(question_id=q.id, question=q.wording, change=prefix + best_overall))
        elif best_factor and not answered:
            factor_hits.append(Sensitivity(question_id=q.id, question=q.wording, change=prefix + best_factor))
    # unanswered questions first within each group: they are what the user can still settle
    overall_hits.sort(key=lambda x: not x.change.startswith("(unanswered)"))
    return (overall_hits + factor_hits)[: defaults.ASSESS_SENSITIVITY_SHOWN]


# --------------------------------------------------------------------------- scope
_YEAR = re.compile(r"(1[6-9]\d\d|20\d\d)")
_BRAND_WORDS = re.compile(r"\b(trademark|trade mark|brand|logo|mcdonald|disney|nike|coca[- ]cola|mascot)\b", re.I)


def _year_of(text: str | None) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None


def out_of_scope(s: Scenario, now: datetime | None = None) -> list[str]:
    """Questions § 107 does not answer that the facts raise; named so the user seeks them elsewhere."""
    out: list[str] = []
    text = " ".join(
        x or ""
        for x in (
            s.title,
            s.notes,
            s.source.title,
            s.source.description,
            s.new_work.title,
            s.new_work.description,
            s.use.venue,
            s.use.justification,
        )
    )
    if "character" in s.use.what_is_taken or s.source.medium == "character":
        out.append(
            "Character copyright: a well-delineated character can be protected apart from any one work. Where an early version has entered the public domain "
            "(the 1928 Steamboat Willie Mickey Mouse did on 1 January 2024), that version's expression is free to use, but traits added in later, "
            "still-protected works remain protected. Check which version the new work draws on; this tool does not decide it."
        )
    if _BRAND_WORDS.search(text) or "advertising" in s.use.purposes or "character" in s.use.what_is_taken:
        out.append(
            "Trademark and false endorsement: names, logos, mascots and famous characters may also be trademarks; whether the use confuses consumers, dilutes a famous mark "
            "or implies endorsement is a Lanham Act question that § 107 fair use does not answer."
        )
    year = _year_of(s.source.date)
    as_of_year = s.as_of.year if s.as_of else (now or datetime.now(timezone.utc)).year
    if (
        year is not None
        and s.source.published is not False
        and year + defaults.ASSESS_PUBLISHED_TERM_YEARS < as_of_year
    ):
        out.append(
            f"Public domain: a work published in {year} is out of U.S. copyright by {year + defaults.ASSESS_PUBLISHED_TERM_YEARS + 1} (95-year term for works published 1927-1977, "
            "earlier works sooner). If the source is in the public domain, no fair-use analysis is needed; check the publication date and any renewal."
        )
    if s.ai.role in ("generated_output", "training"):
        out.append(
            "Other AI questions: whether AI-generated output is itself protected (human authorship), the model provider's terms of use, and removal of copyright "
            "management information (17 U.S.C. § 1202) are separate from fair use."
        )
    if s.jurisdiction and not re.search(
        r"(cir|u\.s\.|scotus|supreme|d\.|n\.d|s\.d|c\.d|e\.d|w\.d)", s.jurisdiction.lower()
    ):
        out.append(
            f"Jurisdiction '{s.jurisdiction}': fair use under 17 U.S.C. § 107 is U.S. law; other countries have narrower exceptions (fair dealing, quotation) not covered here."
        )
    return out


def _notes(s: Scenario, core: Core) -> list[str]:
    notes = [f"Law as of {defaults.LAW_AS_OF}. This is an analysis aid, not legal advice."]
    if core.unprotected_only:
        notes.insert(
            0,
            "Threshold question: fair use excuses copying of protected expression. The answers or measurements indicate that only "
            "unprotected elements (style, facts or ideas) were taken; if so, there may be no infringement to excuse, and the factors below matter only if a court finds otherwise.",
        )
    cited = {a.case_id for f in core.findings for r in f.reasons for a in r.authorities}
    prov = sorted(c for c in cited if is_provisional(c))
    if prov:
        notes.append(
            "Provisional authorities cited (2025 AI rulings and the Copyright Office's pre-publication report may change on appeal or revision): "
            + ", ".join(prov)
            + "."
        )
    if s.jurisdiction:
        notes.append(
            f"Jurisdiction: {s.jurisdiction.rstrip('.')}. Circuit law differs at the margins (e.g. on transformativeness); Supreme Court decisions bind everywhere."
        )
    if not s.evidence:
        notes.append("No comparison report attached: factor 3 and the substitution risk rest on your answers alone.")
    if s.ai.role == "generated_output":
        notes.append(
            "This assesses the output as a use of the source. Training the model on the source is a different use; analyse it as its own scenario (Bartz)."
        )
    return notes
