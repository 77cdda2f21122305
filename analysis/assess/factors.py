"""The four factors of 17 U.S.C. § 107, one function each, the statute's words above the code.

Catala/OpenFisca style. The considerations themselves, with their conditions, directions,
weights, authorities and wording, are data (``data/considerations.yaml``, read by
``analysis.assess.considerations``); this module derives the facts they test (the degree of
further purpose, the amount taken, the substitution risk ...), weighs the considerations that
apply, and turns them into each factor's lean. The reasons *are* the trace: each names the
consideration that produced it, its basis in plain words, its weight and what its
authorities held.

Measurements never decide factor 1 (*Andy Warhol Found. v. Goldsmith*, 598 U.S. 508 (2023)):
no factor-1 consideration reads them, and the degree of further purpose is derived from the
answers alone.

``score_factors`` is the cheap core (no reasons built) that the sensitivity analysis and the
cross-validation call thousands of times; ``factor1_purpose_and_character`` … build the full
findings from the same considerations and the same weights, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from analysis import defaults
from analysis.assess.considerations import Consideration, Rules, load_rules
from analysis.assess.models import LEAN_VALUE, Authority, Confidence, FactorFinding, Lean, Reason, SubstitutionRisk
from analysis.assess.questionnaire import (
    Question,
    is_answered,
    load_questionnaire,
    portion_from_share,
    visible_questions,
)
from analysis.assess.scenario import Scenario
from analysis.assess.weights import Weights, shipped_weights
from analysis.evidence import EvidenceFacts

STATUTE = {
    1: "the purpose and character of the use, including whether such use is of a commercial nature or is for nonprofit educational purposes",
    2: "the nature of the copyrighted work",
    3: "the amount and substantiality of the portion used in relation to the copyrighted work as a whole",
    4: "the effect of the use upon the potential market for or value of the copyrighted work",
}
TITLES = {
    1: "Purpose and character of the use",
    2: "Nature of the copyrighted work",
    3: "Amount and substantiality of the portion used",
    4: "Effect on the potential market for or value of the work",
}

UNPROTECTED = frozenset({"style", "facts_or_ideas", "short_phrases", "scenes_a_faire"})
"""What the new work may take without taking protected expression."""
NO_COPY_KINDS = {"none", "same_style_only", "unrelated"}
"""Comparison-report verdicts meaning "no copied expression found" (text: none; image rungs)."""
PREAMBLE = ("criticism", "comment", "news_reporting", "teaching", "scholarship", "research")
_RECORD_PURPOSES = {"news_reporting", "legal_proceedings", "biography_history"}
_INTEROPERABILITY = {"reverse_engineering", "intermediate_copying"}

_AMOUNT_WORDS = {
    "tiny": "a tiny part",
    "small": "a small part",
    "moderate": "a moderate part",
    "large": "a large part",
    "entire": "the whole work",
}
_DEGREE_WORDS = {"strong": "a further purpose", "some": "some further purpose", "none": "no further purpose"}
_COPY_KIND_WORDS = {
    "verbatim": "verbatim copy",
    "near_verbatim": "near-verbatim copy",
    "paraphrase": "paraphrase",
    "none": "no copied text",
    "near_duplicate": "near-duplicate image",
    "partial_copy": "copied region",
    "recoloured_copy": "recoloured copy",
    "same_composition": "same composition",
    "same_style_only": "same style only",
    "unrelated": "unrelated",
}


def A(case_id: str, pinpoint: str | None = None) -> Authority:
    """An authority by library id (tests check that every id resolves)."""
    return Authority.model_construct(case_id=case_id, pinpoint=pinpoint, holding=None, holds=None)


# --------------------------------------------------------------------------- facts
@dataclass
class Context:
    """What every factor reads: the answers, the measurements, and the facts derived from
    them (a flat dictionary the considerations' conditions test)."""

    s: Scenario
    evidence: EvidenceFacts | None
    substitution: SubstitutionRisk
    facts: dict[str, Any]
    rules: Rules
    weights: Weights
    purpose_rule: Consideration | None = None
    visible: list[Question] | None = None

    @property
    def purpose_degree(self) -> str | None:
        return self.facts.get("purpose_degree")

    @property
    def unprotected_only(self) -> bool:
        return bool(self.facts.get("takes_only_unprotected") or self.facts.get("no_copied_expression"))


def _field(scenario: Scenario, path: str) -> Any:
    obj: Any = scenario
    for part in path.split("."):
        obj = getattr(obj, part)
    return tuple(obj) if isinstance(obj, list) else obj


def _amount(s: Scenario, ev: EvidenceFacts | None) -> tuple[str | None, bool]:
    if ev is not None and ev.share_of_source_taken is not None:
        return portion_from_share(ev.share_of_source_taken), True
    u = s.use
    if u.portion:
        return u.portion, False
    if u.entire_work is True or "whole_work" in u.what_is_taken:
        return "entire", False
    return None, False


def build_context(
    scenario: Scenario,
    evidence: EvidenceFacts | None,
    weights: Weights | None = None,
    rules: Rules | None = None,
) -> Context:
    """Derive the facts the considerations test, in dependency order (the degree of
    further purpose first, from the answers alone; the substitution risk reads it)."""
    from analysis.assess.substitution import substitution_risk

    rules = rules or load_rules()
    s, ev = scenario, evidence
    f: dict[str, Any] = {path: _field(s, path) for path in rules.fields}
    purposes = set(s.use.purposes)
    f["training"] = s.ai.role == "training" or "ai_training" in purposes
    f["ai_involved"] = s.ai.role in ("training", "generated_output") or bool(purposes & {"ai_training", "ai_output"})
    f["users_copying"] = s.use.enables_users_copying is True
    targets = s.use.targets_source
    f["parody_on_target"] = "parody" in purposes and targets is True
    f["criticism_of_source"] = bool(purposes & {"parody", "criticism", "comment"}) and targets in (True, "partly")
    taken = set(s.use.what_is_taken)
    f["takes_only_unprotected"] = bool(taken) and taken <= UNPROTECTED
    measured_nothing = (
        ev is not None
        and ev.share_of_source_taken == 0
        and not ev.heart_taken
        and not (ev.expression_delivered or 0)
        and ev.copy_kind in NO_COPY_KINDS
    )
    f["no_copied_expression"] = bool(measured_nothing and not taken - UNPROTECTED)
    f["expression_measured_absent"] = f["no_copied_expression"] and not f["takes_only_unprotected"]
    f["measured"] = ev is not None
    # the degree of further purpose: the first purpose rule that holds (answers only: Warhol)
    rule = rules.purpose_rule(f)
    f["purpose_degree"] = rule.degree if rule is not None else None
    degree = f["purpose_degree"]
    if f["training"] and degree == "strong":
        f["needs_whole_for"] = "training"
    elif "search_indexing" in purposes and degree == "strong":
        f["needs_whole_for"] = "search"
    elif "accessibility" in purposes:
        f["needs_whole_for"] = "access"
    elif purposes & _INTEROPERABILITY and degree == "strong":
        f["needs_whole_for"] = "interoperability"
    elif purposes & _RECORD_PURPOSES and degree == "strong":
        f["needs_whole_for"] = "record"
    else:
        f["needs_whole_for"] = None
    f["amount"], f["amount_measured"] = _amount(s, ev)
    if ev is not None and ev.heart_taken is not None:
        f["heart"], f["heart_measured"] = ev.heart_taken, True
    else:
        f["heart"], f["heart_measured"] = s.use.heart_taken, False
    f["long_passage"] = bool(
        ev is not None and ev.longest_passage_words and ev.longest_passage_words >= defaults.ASSESS_LONG_PASSAGE_WORDS
    )
    substitution = substitution_risk(s, ev, degree)
    f["substitution"] = substitution.level
    f["substitution_measured"] = any(p.source == "measurement" and p.value is not None for p in substitution.parts)
    return Context(
        s=s,
        evidence=ev,
        substitution=substitution,
        facts=f,
        rules=rules,
        weights=weights or shipped_weights(),
        purpose_rule=rule,
    )


# --------------------------------------------------------------------------- the cheap core
def factor_considerations(n: int, ctx: Context) -> list[Consideration]:
    """The considerations of factor ``n`` that apply (groups resolved: first match wins)."""
    return ctx.rules.applicable(n, ctx.facts)


def score_of(considerations: list[Consideration], weights: Weights) -> float:
    return sum(c.sign * weights.weight(c.id, c.weight) for c in considerations)


def lean_from_score(factor: int, score: float, weights: Weights | None = None) -> Lean:
    lean, strong = (weights or shipped_weights()).lean_bands[factor]
    if score >= strong:
        return "strongly_favours"
    if score >= lean:
        return "favours"
    if score <= -strong:
        return "strongly_disfavours"
    if score <= -lean:
        return "disfavours"
    return "neutral"


def cap_lean(factor: int, lean: Lean, purpose_degree: str | None) -> Lean:
    """Factor 1 leans strongly only as far as the purpose does (Campbell, 510 U.S. at 579;
    Warhol): strongly for fair use only with a strong further purpose, strongly against only
    with none. Other considerations (non-profit, good faith, bad faith) move it within that."""
    if factor != 1:
        return lean
    if lean == "strongly_favours" and purpose_degree != "strong":
        return "favours"
    if lean == "strongly_disfavours" and purpose_degree != "none":
        return "disfavours"
    return lean


def factor_lean(n: int, considerations: list[Consideration], ctx: Context) -> Lean:
    return cap_lean(n, lean_from_score(n, score_of(considerations, ctx.weights), ctx.weights), ctx.purpose_degree)


def score_factors(ctx: Context) -> dict[int, Lean]:
    """Each factor's lean, without building reasons (sensitivity, cross-validation)."""
    return {n: factor_lean(n, factor_considerations(n, ctx), ctx) for n in (1, 2, 3, 4)}


def factor_score(reasons: list[Reason]) -> float:
    """A finding's score from its reasons (favours +, against -)."""
    return sum(
        r.weight if r.direction == "favours" else -r.weight if r.direction == "disfavours" else 0.0 for r in reasons
    )


# --------------------------------------------------------------------------- reasons
_FIELD_WORDS = {
    "use.justification": "why this source was needed",
    "use.enables_users_copying": "the copying is done by the users of a device or service",
}


def _question_words(path: str, value: Any) -> str | None:
    q = load_questionnaire().by_field(path)
    if q is None:
        return None
    values = value if isinstance(value, (list, tuple)) else [value]
    labels = []
    for v in values:
        opt = q.option(v)
        label = opt.label if opt else str(v).replace("_", " ")
        labels.append(label.split(" (")[0] if not label.startswith("(") else label)
    return f"{q.short}: " + ", ".join(lbl[:1].lower() + lbl[1:] for lbl in labels)


def _derived_words(key: str, ctx: Context) -> str | None:
    f, ev = ctx.facts, ctx.evidence
    if key == "purpose_degree":
        d = f.get("purpose_degree")
        return f"factor 1: {_DEGREE_WORDS[d]}" if d else None
    if key == "amount":
        if f.get("amount_measured") and ev is not None and ev.share_of_source_taken is not None:
            what = "image area" if ev.medium == "image" else "source's words"
            kinds = ", ".join(
                _COPY_KIND_WORDS.get(k.strip(), k.strip().replace("_", " ")) for k in ev.copy_kind.split(",")
            )
            if ev.medium == "text" and ev.share_paraphrased is not None:
                parts = [
                    f"verbatim {ev.share_verbatim or 0:.0%}",
                    f"near-verbatim {ev.share_near_verbatim or 0:.0%}",
                    f"paraphrased {ev.share_paraphrased:.0%}",
                ]
                if ev.share_quoted:
                    parts.append(f"quoted {ev.share_quoted:.0%}")
                return f"measured: {ev.share_of_source_taken:.0%} of the {what} taken ({', '.join(parts)}; {kinds})"
            return f"measured: {ev.share_of_source_taken:.0%} of the {what} reproduced ({kinds})"
        return (
            _question_words("use.portion", ctx.s.use.portion) if ctx.s.use.portion else "amount taken: the whole work"
        )
    if key == "heart":
        if f.get("heart_measured"):
            score = f" (heart score {ev.heart_score:.2f})" if ev is not None and ev.heart_score is not None else ""
            return (
                "measured: central passages copied" if f["heart"] else "measured: no central passages copied"
            ) + score
        return _question_words("use.heart_taken", f.get("heart"))
    if key == "long_passage":
        return f"measured: longest copied passage {ev.longest_passage_words} words" if ev else None
    if key == "substitution":
        sub = ctx.substitution
        known = sorted((p for p in sub.parts if p.value is not None), key=lambda p: -p.weight)[:4]
        score = f" ({sub.score:.2f})" if sub.score is not None else ""
        return f"substitution risk {sub.level}{score}, from " + ", ".join(f"{p.name} {p.value:.2f}" for p in known)
    if key == "training":
        return "an AI model is trained on the source"
    if key in ("criticism_of_source", "parody_on_target"):
        return _question_words("use.targets_source", ctx.s.use.targets_source)
    if key == "takes_only_unprotected":
        return _question_words("use.what_is_taken", list(ctx.s.use.what_is_taken))
    if key == "no_copied_expression":
        return "measured: no copied expression found"
    if key == "users_copying":
        return _FIELD_WORDS["use.enables_users_copying"]
    if key == "needs_whole_for":
        return {
            "search": "a search or indexing purpose",
            "access": "access for people with print disabilities",
            "training": "training a model",
            "interoperability": "reaching functional elements (intermediate copies)",
            "record": "reporting or documenting the work itself",
        }.get(f.get("needs_whole_for") or "")
    return None  # ai_involved, measured and the like are context, not a basis


def _leaf_words(key: str, wanted: Any, ctx: Context) -> str | None:
    if key in ctx.facts and key not in ctx.rules.fields:
        return _derived_words(key, ctx)
    actual = ctx.facts.get(key)
    if key == "use.purposes":  # name the purposes that made it apply, not all of them
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        hits = [p for p in (actual or ()) if p in wanted_list]
        return _question_words(key, hits or wanted_list)
    if key == "use.what_is_taken":
        return _question_words(key, list(actual or ()))
    if key == "use.justification":
        return f'{_FIELD_WORDS[key]}: "{actual}"' if actual else None
    if key in _FIELD_WORDS:
        return _FIELD_WORDS[key]
    return _question_words(key, actual)


def basis_of(c: Consideration, ctx: Context) -> str:
    """The answers or measurements a consideration rests on, in the questionnaire's words."""
    from analysis.assess.considerations import compile_condition, condition_leaves

    parts: list[str] = []
    leaves = condition_leaves(c.when)
    for alt in c.when.get("any", []) or []:  # the alternative that held
        if compile_condition(alt, c.id)(ctx.facts):
            leaves += condition_leaves(alt)
            break
    for key, wanted in leaves:
        words = _leaf_words(key, wanted, ctx)
        if words and words not in parts:
            parts.append(words)
    if not parts:
        return "the law, whatever the answers" if c.source == "default" else "the answers given"
    return "; ".join(parts)


def _display(ctx: Context) -> dict[str, str]:
    s, f, ev = ctx.s, ctx.facts, ctx.evidence
    amount = f.get("amount")
    if amount and f.get("amount_measured"):
        phrase = f"The comparison found {_AMOUNT_WORDS[amount]} of the source in the new work"
        if s.use.portion and s.use.portion != amount:
            phrase += f" (the answer given was {_AMOUNT_WORDS[s.use.portion]}; the measurement is used)"
    elif amount:
        phrase = f"The new work takes {_AMOUNT_WORDS[amount]} of the source"
    else:
        phrase = "The amount taken is not known"
    preamble = [p.replace("_", " ") for p in PREAMBLE if p in s.use.purposes]
    return {
        "amount_phrase": phrase,
        "preamble": ", ".join(preamble),
        "justification": s.use.justification or "",
        "longest": str(ev.longest_passage_words if ev is not None else ""),
    }


def _authorities(cites: list[str], rules: Rules) -> list[Authority]:
    out: list[Authority] = []
    seen: set[tuple[str, str | None]] = set()
    for hid in cites:
        h = rules.holdings[hid]
        key = (h.authority, h.pinpoint)
        if key in seen:
            continue
        seen.add(key)
        out.append(Authority.model_construct(case_id=h.authority, pinpoint=h.pinpoint, holding=h.id, holds=h.holds))
    return out


def reason_for(c: Consideration, ctx: Context, display: dict[str, str] | None = None) -> Reason:
    display = display or _display(ctx)
    source = c.source
    if c.measured_if is not None:
        source = "measurement" if ctx.facts.get(c.measured_if) else "answer"
    wording = {k: v.format(**display) for k, v in c.wording.for_audience().items()}
    return Reason.model_construct(
        text=wording["creator"],
        basis=basis_of(c, ctx),
        direction=c.direction,
        weight=round(ctx.weights.weight(c.id, c.weight), 2),
        authorities=_authorities(c.cites, ctx.rules),
        source=source,
        consideration=c.id,
        wording=wording,
    )


def _confidence(ctx: Context, factor: int, measured: frozenset[str] | set[str]) -> tuple[Confidence, list[str]]:
    """Lower with missing answers: key questions count most (see the questionnaire's ``key``)."""
    if ctx.visible is None:
        ctx.visible = visible_questions(ctx.s)
    qs = [q for q in ctx.visible if q.factor == factor]
    missing = [q.id for q in qs if not is_answered(ctx.s, q) and q.id not in measured]
    keys = [q for q in qs if q.key]
    keys_ok = sum(1 for q in keys if q.id not in missing)
    share = 1 - len(missing) / len(qs) if qs else 1.0
    conf: Confidence
    if keys and keys_ok == len(keys) and share >= 0.6:
        conf = "high"
    elif not keys or keys_ok * 2 >= len(keys):
        conf = "medium"
    else:
        conf = "low"
    return conf, missing


def _finding(n: Literal[1, 2, 3, 4], ctx: Context, measured: frozenset[str] | set[str] = frozenset()) -> FactorFinding:
    applicable = factor_considerations(n, ctx)
    lean = factor_lean(n, applicable, ctx)
    display = _display(ctx)
    reasons = sorted((reason_for(c, ctx, display) for c in applicable), key=lambda r: (-r.weight, r.text))
    conf, missing = _confidence(ctx, n, measured)
    if not [r for r in reasons if r.direction != "neutral"]:
        conf = "low"
    want: Literal["favours", "disfavours"] | None = (
        "disfavours" if LEAN_VALUE[lean] > 0 else "favours" if LEAN_VALUE[lean] < 0 else None
    )
    counter = None
    if want:
        counter = next((r for r in reasons if r.direction == want), None)
    else:  # a neutral factor: the counter-argument answers the strongest reason given
        active = [r for r in reasons if r.direction != "neutral"]
        if active:
            want = "favours" if active[0].direction == "disfavours" else "disfavours"
            counter = next((r for r in active if r.direction == want), None)
    if counter is None and want and want in ctx.rules.counters.get(n, {}):
        ctr = ctx.rules.counters[n][want]
        counter = Reason.model_construct(
            text=ctr.text,
            basis="the law, whatever the answers",
            direction=want,
            weight=0.0,
            authorities=_authorities(ctr.cites, ctx.rules),
            source="default",
            consideration=None,
            wording={"creator": ctr.text, "counsel": ctr.text, "student": ctr.text},
        )
    return FactorFinding.model_construct(
        factor=n,
        title=TITLES[n],
        statute_text=STATUTE[n],
        lean=lean,
        confidence=conf,
        reasons=reasons,
        counter_argument=counter,
        missing=missing,
        needed=True,
        not_needed_reason=None,
    )


# --------------------------------------------------------------------------- the four factors
def factor1_purpose_and_character(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(1): "the purpose and character of the use, including whether such use
    is of a commercial nature or is for nonprofit educational purposes".

    Asks whether the use has a further purpose or different character from the source's
    (Campbell, 510 U.S. at 579), judged for the specific use and weighed against its
    commercial nature (Warhol, 598 U.S. at 532-33). Specific purposes (parody or criticism
    of the source, search, reaching functional elements, evidence, the work as news or
    history) are weighed before the generic rules (same purpose; no new expression). Preamble
    purposes help but do not decide (Campbell at 577-78; Harper & Row at 561). Parody must
    target its source; satire needs a justification for borrowing (Campbell at 580-81). Where
    a device or service is accused, the use judged is its users' (Sony). Bad faith and
    unlawful acquisition count against (Harper & Row at 562-63; Bartz). In AI: training a
    generative model is transformative (Bartz; Kadrey, provisional), a competing
    non-generative tool is not (Ross). Measurements are deliberately not read here (Warhol).
    """
    return _finding(1, ctx)


def factor2_nature_of_work(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(2): "the nature of the copyrighted work".

    Creative works are "closer to the core of intended copyright protection" than factual or
    functional ones (Campbell, 510 U.S. at 586; Google v. Oracle). Unpublished status weighs
    heavily because of the author's right of first publication (Harper & Row, 471 U.S. at 564),
    but "shall not itself bar" fair use (§ 107, 1992 amendment). The creative nature counts
    for little where the use is transformative (Campbell at 586; Bill Graham).
    """
    return _finding(2, ctx)


def factor3_amount_and_substantiality(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(3): "the amount and substantiality of the portion used in relation to
    the copyrighted work as a whole".

    Quantity and quality: a small taking weighs heavily if it is "the heart" of the work
    (Harper & Row, 471 U.S. at 564-65). The amount must be reasonable in relation to the
    purpose (Campbell, 510 U.S. at 586-87); a parody may take enough to conjure up its target
    (Campbell at 588); whole copies can be reasonable for search, access or training
    (Authors Guild v. Google; HathiTrust; Kelly; Kadrey). Measurements feed this factor:
    share of the source taken (text words or image area), longest passage, heart.
    """
    measured: set[str] = set()
    if ctx.facts.get("amount_measured"):
        measured |= {"portion", "entire_work"}
    if ctx.facts.get("heart_measured"):
        measured.add("heart_taken")
    return _finding(3, ctx, measured)


def factor4_market_effect(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(4): "the effect of the use upon the potential market for or value of the
    copyrighted work".

    Asks whether the use, and uses like it if widespread, would substitute for the source or
    its licensed derivatives (Campbell, 510 U.S. at 590-92; Harper & Row, 471 U.S. at 566-68).
    No presumption of harm for commercial uses that are transformative (Campbell at 591); for
    non-commercial uses the owner must show a meaningful likelihood of harm (Sony, 464 U.S. at
    451). Markets for criticism or parody do not count (Campbell at 592). In AI: market
    dilution (Kadrey; Copyright Office 2025, disputed by Bartz), regurgitation, guardrails,
    and each pirated copy that displaces a purchase (Bartz).
    """
    return _finding(4, ctx)


FACTORS = {
    1: factor1_purpose_and_character,
    2: factor2_nature_of_work,
    3: factor3_amount_and_substantiality,
    4: factor4_market_effect,
}
Transformative = Literal["strong", "some", "none"] | None
