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
from analysis.assess.factors import FACTORS, Context, build_context, score_factors
from analysis.assess.models import (
    LEAN_LABELS,
    OVERALL_LABELS,
    Assessment,
    FactorFinding,
    Lean,
    OverallView,
    ProtectionFinding,
    Sensitivity,
    SubstitutionRisk,
)
from analysis.assess.overall import label_for, weigh
from analysis.assess.precedents import disagreements, nearest_precedents
from analysis.assess.protection import protection_of
from analysis.assess.questionnaire import (
    Question,
    combined_facts,
    get_answer,
    is_answered,
    load_questionnaire,
)
from analysis.assess.scenario import Scenario
from analysis.assess.weights import Weights
from analysis.evidence import ComparisonReport, EvidenceFacts


@dataclass
class Core:
    findings: list[FactorFinding]
    substitution: SubstitutionRisk
    overall: OverallView
    protection: ProtectionFinding
    context: Context

    @property
    def unprotected_only(self) -> bool:
        return self.protection.status == "not_protectable"


def context_of(scenario: Scenario, weights: Weights | None = None) -> Context:
    """The derived facts of a scenario (measurements combined, substitution risk computed)."""
    facts = combined_facts(list(scenario.evidence))
    return build_context(scenario, facts, weights)


def quick_outcome(scenario: Scenario, weights: Weights | None = None) -> tuple[str, dict[int, Lean]]:
    """The overall label and the four leans only, from the same considerations and weights
    as ``evaluate`` but without building reasons: the inner step of the sensitivity analysis
    and of cross-validation."""
    ctx = context_of(scenario, weights)
    leans = score_factors(ctx)
    return label_for(leans, ctx.weights), leans


def evaluate(scenario: Scenario, weights: Weights | None = None) -> Core:
    """Protection, the four findings, the substitution risk and the overall view (no precedents)."""
    ctx = context_of(scenario, weights)
    findings = [FACTORS[n](ctx) for n in (1, 2, 3, 4)]
    overall = weigh(findings, ctx.weights, purpose_degree=ctx.purpose_degree)
    prot = protection_of(
        scenario,
        takes_only_unprotected=bool(ctx.facts.get("takes_only_unprotected")),
        no_copied_expression=bool(ctx.facts.get("no_copied_expression")),
        rules=ctx.rules,
    )
    if not prot.fair_use_needed:
        why = prot.reasons[0].text if prot.reasons else prot.summary
        for f in findings:
            f.needed = False
            f.not_needed_reason = why
        overall.fair_use_needed = False
        overall.reasons.insert(0, f"{prot.summary} {why}")
    elif prot.status == "unknown":
        overall.reasons.insert(0, prot.summary)
    return Core(findings=findings, substitution=ctx.substitution, overall=overall, protection=prot, context=ctx)


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
        protection=core.protection,
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
        out: list[tuple[object, str]] = []
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
    new._no_contradictions()  # type: ignore[operator]  # raises ValueError on contradictory answers
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
        if q.factor == 0:  # protection answers change the threshold question, not the factors
            continue
        current = get_answer(scenario, q)
        answered = is_answered(scenario, q)
        best_overall = None
        best_factor = None
        for value, phrase in _alternatives(q, current):
            try:
                alt = _with_answer(scenario, q.field, value)
            except ValueError:  # contradicts another answer: not a possible alternative
                continue
            alt_label, alt_leans = quick_outcome(alt)
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
_BRAND_WORDS = re.compile(r"\b(trademark|trade mark|brand|logo|mcdonald|disney|nike|coca[- ]cola|mascot)\b", re.I)


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
            "unprotected elements (facts, ideas, style, short phrases or stock elements) were taken; if so, there may be no infringement "
            "to excuse, and the factors below matter only if a court finds otherwise.",
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
