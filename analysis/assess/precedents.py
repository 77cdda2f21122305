"""Nearest precedents: the library's decisions closest to a scenario, and where courts disagree.

Closeness is by the facts courts treat as decisive (medium, purpose, commerciality, amount,
whether the use shares the source's purpose or targets it, AI role, market) and by factor
profile (the court's finding on each factor against this scenario's lean). Each match says
how the case is alike and how it differs, so a reader can distinguish it, as a lawyer would.
Only features known on both sides count; sparse comparisons are discounted.
"""

from __future__ import annotations

from analysis import defaults, labels
from analysis.assess.caselaw import is_known_authority, load_cases
from analysis.assess.models import LEAN_VALUE, VISUAL_MEDIA, Case, FactorFinding, PrecedentMatch
from analysis.assess.scenario import Scenario

_MEDIUM_WORDS = {
    "text": "text",
    "image": "image",
    "photograph": "photograph",
    "artwork": "artwork",
    "music": "musical work",
    "sound_recording": "sound recording",
    "audiovisual": "film or video",
    "software": "program",
    "character": "character",
    "other": "work",
}
_AMOUNT_ORDER = ["tiny", "small", "moderate", "large", "entire"]
_CODE_TO_SIGN = {"F": 1, "A": -1, "N": 0}
_LEAN_SIGN = {lean: (v > 0) - (v < 0) for lean, v in LEAN_VALUE.items()}
_CODE_WORDS = {
    "F": "favoured fair use",
    "A": "weighed against",
    "N": "neutral",
    "mixed": "mixed",
    "T": "triable issue",
    "not_reached": "not reached",
}

# Feature weights: purpose and the market questions dominate, as in the factor weights.
WEIGHTS = {
    "medium": 0.14,
    "purposes": 0.2,
    "commercial": 0.08,
    "amount": 0.1,
    "same_purpose": 0.1,
    "targets": 0.06,
    "ai": 0.12,
    "market": 0.08,
    "profile": 0.12,
    "taken": 0.08,
}


def _medium_group(m: str | None) -> str | None:
    return None if m is None else "visual" if m in VISUAL_MEDIA else m


def _amount(s: Scenario) -> str | None:
    """The amount factor 3 uses: measured when a comparison is attached, else the answer."""
    measured = [f.share_of_source_taken for f in s.evidence if f.share_of_source_taken is not None]
    if measured:
        from analysis.assess.questionnaire import portion_from_share

        return portion_from_share(max(measured))
    if s.use.portion:
        return s.use.portion
    if s.use.entire_work:
        return "entire"
    return None


def _ai(s: Scenario) -> str:
    return s.ai.role or ("training" if "ai_training" in s.use.purposes else "none")


def compare(scenario: Scenario, findings: list[FactorFinding], case: Case) -> PrecedentMatch:
    c = case.scenario
    alike: list[str] = []
    differs: list[str] = []
    got = total = 0.0

    def feat(name: str, a, b, same_text: str, diff_text: str, score: float | None = None) -> None:
        nonlocal got, total
        if a is None or b is None or a == [] or b == []:
            return
        w = WEIGHTS[name]
        total += w
        sc = score if score is not None else (1.0 if a == b else 0.0)
        got += w * sc
        (alike if sc >= 0.5 else differs).append(same_text if sc >= 0.5 else diff_text)

    ma, mb = _medium_group(scenario.source.medium), _medium_group(c.source.medium)
    wa, wb = _MEDIUM_WORDS.get(scenario.source.medium or "", "work"), _MEDIUM_WORDS.get(c.source.medium or "", "work")
    feat(
        "medium",
        ma,
        mb,
        f"both sources are {wa}s" if wa == wb else f"both sources are visual works ({wa} / {wb})",
        f"the source here is a {wa}; in the case it was a {wb}",
    )
    generic = {"ai_output", "other"}
    pa, pb = set(scenario.use.purposes) - generic, set(c.use.purposes) - generic
    if pa and pb:
        j = len(pa & pb) / min(len(pa), len(pb))  # overlap: sharing the distinctive purpose counts
        feat(
            "purposes",
            sorted(pa),
            sorted(pb),
            "shared purpose: " + ", ".join(sorted(pa & pb)).replace("_", " ") if pa & pb else "",
            "purposes differ: here "
            + ", ".join(sorted(pa)).replace("_", " ")
            + "; there "
            + ", ".join(sorted(pb)).replace("_", " "),
            score=j,
        )
    ta, tb = set(scenario.use.what_is_taken), set(c.use.what_is_taken)
    if ta and tb:
        feat(
            "taken",
            sorted(ta),
            sorted(tb),
            "both take " + ", ".join(sorted(ta & tb)).replace("_", " ") if ta & tb else "",
            "what is taken differs: here "
            + ", ".join(sorted(ta)).replace("_", " ")
            + "; there "
            + ", ".join(sorted(tb)).replace("_", " "),
            score=len(ta & tb) / min(len(ta), len(tb)),
        )
    feat(
        "commercial",
        scenario.use.commercial,
        c.use.commercial,
        f"both uses {labels.label('commercial', scenario.use.commercial)}",
        f"this use is {labels.label('commercial', scenario.use.commercial)}; "
        f"the case's was {labels.label('commercial', c.use.commercial)}",
    )
    aa, ab = _amount(scenario), _amount(c)
    if aa and ab:
        d = abs(_AMOUNT_ORDER.index(aa) - _AMOUNT_ORDER.index(ab))
        feat(
            "amount",
            aa,
            ab,
            f"similar amount taken ({aa} / {ab})",
            f"amount differs: {aa} here, {ab} there",
            score=max(0.0, 1 - d / 2),
        )
    feat(
        "same_purpose",
        scenario.use.same_purpose_as_source,
        c.use.same_purpose_as_source,
        "both "
        + (
            "share the source's purpose"
            if scenario.use.same_purpose_as_source
            else "serve a purpose different from the source's"
        ),
        "here the use "
        + ("shares" if scenario.use.same_purpose_as_source else "does not share")
        + " the source's purpose; there it "
        + ("did" if c.use.same_purpose_as_source else "did not"),
    )
    feat(
        "targets",
        scenario.use.targets_source,
        c.use.targets_source,
        "both target the source itself" if scenario.use.targets_source else "neither targets the source itself",
        "here the use "
        + ("targets" if scenario.use.targets_source else "does not target")
        + " the source; there it "
        + ("did" if c.use.targets_source else "did not"),
    )
    ra, rb = _ai(scenario), _ai(c)
    # An AI model's output is judged like any other work by its purpose; only training is a
    # different kind of use, so only it makes the AI role a point of likeness or difference.
    if "training" in (ra, rb):
        feat(
            "ai",
            ra,
            rb,
            f"both involve AI ({ra.replace('_', ' ')})",
            f"AI role differs: {ra.replace('_', ' ')} here, {rb.replace('_', ' ')} there",
        )
    feat(
        "market",
        scenario.market.substitutes,
        c.market.substitutes,
        "both could substitute for the source" if scenario.market.substitutes else "neither substitutes for the source",
        "here the new work "
        + ("could" if scenario.market.substitutes else "could not")
        + " replace the source; there it "
        + ("could" if c.market.substitutes else "could not"),
    )
    # factor profile: the court's findings against this scenario's leans
    prof_hits, prof_n = 0, 0
    for f in findings:
        code = getattr(case.factors, f"f{f.factor}")
        if code in _CODE_TO_SIGN:
            prof_n += 1
            prof_hits += int(_CODE_TO_SIGN[code] == _LEAN_SIGN[f.lean])
    if prof_n:
        feat(
            "profile",
            1,
            1,
            f"factor profile matches on {prof_hits} of {prof_n} factors",
            f"factor profile matches on only {prof_hits} of {prof_n} factors",
            score=prof_hits / prof_n,
        )
    sim = (got / total) if total else 0.0
    coverage = min(1.0, total / sum(WEIGHTS.values()))
    sim *= 0.5 + 0.5 * coverage
    name = case.name + (" (provisional)" if case.provisional else "")
    return PrecedentMatch(
        case_id=case.id,
        name=name,
        citation=case.citation,
        similarity=round(max(0.0, min(1.0, sim)), 3),
        outcome=case.outcome,
        factor_findings={f"factor {i}": _CODE_WORDS[getattr(case.factors, f"f{i}")] for i in (1, 2, 3, 4)},
        alike=[a for a in alike if a],
        differs=[d for d in differs if d],
    )


def nearest_precedents(scenario: Scenario, findings: list[FactorFinding], k: int | None = None) -> list[PrecedentMatch]:
    """The k closest decisions (excluding the scenario's own case when it is one)."""
    k = k or defaults.ASSESS_PRECEDENTS_SHOWN
    # Decisions that never reached fair use (motions to dismiss, the DMCA's Lenz) are not precedents for an outcome.
    matches = [
        compare(scenario, findings, case)
        for cid, case in load_cases().items()
        if cid != scenario.id and case.outcome != "not_reached"
    ]
    matches.sort(key=lambda m: (-m.similarity, m.case_id))
    top = matches[:k]
    # A lawyer reads the closest case on the other side too: if every shown case came out the
    # same way, the most similar decision with the other outcome takes the last place.
    outcomes = {m.outcome for m in top if m.outcome in ("fair_use", "not_fair_use")}
    if len(outcomes) == 1 and k >= 2:
        other = "not_fair_use" if outcomes == {"fair_use"} else "fair_use"
        contrary = next((m for m in matches[k:] if m.outcome == other), None)
        if contrary is not None:
            top[-1] = contrary
    return top


def disagreements(scenario: Scenario) -> list[str]:
    """Splits among courts that bear on this scenario (only those whose cases are in the library)."""
    s, _p = scenario, set(scenario.use.purposes)
    out: list[str] = []
    ai = _ai(s) != "none"

    def have(*ids: str) -> bool:
        return all(is_known_authority(i) for i in ids)

    if ai and have("kadrey", "bartz_training"):
        out.append(
            "Market dilution by AI output: Kadrey v. Meta (N.D. Cal. 2025) said a flood of competing AI-generated works could often decide factor 4 against fair use; "
            "Bartz v. Anthropic (N.D. Cal. 2025) rejected that theory, likening training to teaching people to write. Both are provisional district-court rulings."
        )
    if ai and s.acquisition.how_obtained == "unauthorized" and have("kadrey", "bartz_library"):
        out.append(
            "Pirated sources: Bartz held that building a library from pirate sites was not excused by later training; Kadrey gave the use of shadow libraries little weight once training was found transformative."
        )
    if _ai(s) == "training" and s.market.licensing_market in ("established", "emerging") and have("kadrey", "ross"):
        out.append(
            "A market to license works for AI training: Kadrey treated it as not cognisable (circular); Thomson Reuters v. Ross counted harm to a market for AI training data; the Copyright Office's 2025 report counts lost licensing. "
            "Ross is on interlocutory appeal to the Third Circuit."
        )
    visual = s.source.medium in VISUAL_MEDIA
    appropriation = visual and s.use.new_expression is True and s.use.targets_source is not True
    jur = (s.jurisdiction or "").lower()
    if (appropriation or "7th" in jur or "seventh" in jur) and have("kienitz", "cariou_prince"):
        out.append(
            "What counts as transformative: the Seventh Circuit (Kienitz v. Sconnie Nation, 2014) doubted the Second Circuit's transformative-use test and asked mainly about market substitution; "
            "the Second Circuit (Cariou v. Prince, 2013) found new aesthetics enough. Warhol (2023) now governs both."
        )
    if appropriation and have("cariou_prince", "warhol"):
        out.append(
            "Appropriation art: Cariou v. Prince's 'reasonable observer' test of new aesthetics was narrowed by Warhol, which asks whether the specific use shares the source's purpose; treat Cariou's reasoning with care."
        )
    return out
