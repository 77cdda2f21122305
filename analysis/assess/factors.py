"""The four factors of 17 U.S.C. § 107, one function each, the statute's words above the code.

Catala/OpenFisca style: each function reads the scenario's answers (and, for factor 3 and
the market part of factor 4, the measurements), lists the considerations that apply with
their direction, weight and authority, and turns them into a lean. The reasons *are* the
trace: the memo prints them in order of weight, so a reader sees which rule produced the
result and can disagree with it.

Weights are relative sizes on a 0-3 scale (3 = a consideration courts treat as close to
decisive for the factor, such as a parody targeting its source under factor 1, or
substantial evidence of lost sales under factor 4; 1 = one consideration among several;
0.5 = courts mention it but it rarely moves the factor). They order the reasons and give
the lean; the factor bands live in ``data/weights.yaml``.

Measurements never decide factor 1 (*Andy Warhol Found. v. Goldsmith*, 598 U.S. 508 (2023)):
``factor1_purpose_and_character`` does not read them.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal, NamedTuple

import yaml

from analysis import defaults
from analysis.assess.models import LEAN_VALUE, Authority, FactorFinding, Lean, Reason, SubstitutionRisk
from analysis.assess.questionnaire import (
    Question,
    is_answered,
    portion_from_share,
    visible_questions,
)
from analysis.assess.scenario import Scenario
from analysis.evidence import EvidenceFacts
from analysis.resources import data_dir

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

UNPROTECTED = {"style", "facts_or_ideas"}
# Comparison-report verdicts meaning "no copied expression found" (text: none; image rungs).
NO_COPY_KINDS = {"none", "same_style_only", "unrelated"}
PREAMBLE = {"criticism", "comment", "news_reporting", "teaching", "scholarship", "research"}

Transformative = Literal["strong", "some", "none"] | None


@cache
def A(case_id: str, pinpoint: str | None = None) -> Authority:
    # model_construct: these literals are checked by the tests (every id resolves), and the
    # engine runs ~100 times per assessment for sensitivity, so validation here is wasted.
    return Authority.model_construct(case_id=case_id, pinpoint=pinpoint)


@lru_cache(maxsize=1)
def load_weights() -> dict:
    return yaml.safe_load((data_dir() / "weights.yaml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- context
@dataclass
class Context:
    """What every factor reads: the answers, the combined measurements, and the degree of
    transformative purpose (computed once from answers only, never from measurements)."""

    s: Scenario
    facts: EvidenceFacts | None
    transformative: Transformative = None
    transformative_why: str = ""
    transformative_auth: list[Authority] = field(default_factory=list)
    amount: str | None = None  # tiny/small/moderate/large/entire
    amount_source: Literal["measurement", "answer", "unknown"] = "unknown"
    visible: list[Question] = field(default_factory=list)
    # Only unprotected elements taken (style, facts, ideas). From the answers alone for
    # factor 1 (Warhol: no measurements there); answers or measurements for factors 3-4.
    unprotected_only_answer: bool = False
    unprotected_only: bool = False

    @property
    def purposes(self) -> set[str]:
        return set(self.s.use.purposes)

    @property
    def parody_on_target(self) -> bool:
        return "parody" in self.purposes and self.s.use.targets_source is True


def build_context(scenario: Scenario, facts: EvidenceFacts | None) -> Context:
    ctx = Context(s=scenario, facts=facts, visible=[] if _FAST.get() else visible_questions(scenario))
    ctx.transformative, ctx.transformative_why, ctx.transformative_auth = _transformative(scenario)
    ctx.amount, ctx.amount_source = _amount(scenario, facts)
    taken = set(scenario.use.what_is_taken)
    ctx.unprotected_only_answer = bool(taken) and taken <= UNPROTECTED
    measured_nothing = (
        facts is not None
        and facts.share_of_source_taken == 0
        and not facts.heart_taken
        and not (facts.expression_delivered or 0)
        and facts.copy_kind in NO_COPY_KINDS
    )
    ctx.unprotected_only = ctx.unprotected_only_answer or (measured_nothing and not taken - UNPROTECTED)
    return ctx


def _transformative(s: Scenario) -> tuple[Transformative, str, list[Authority]]:
    """Degree of further purpose or different character of the *use* (Campbell; Warhol).

    Read from answers about purpose only: how different the result looks is not the test.
    """
    u, ai, p = s.use, s.ai, set(s.use.purposes)
    if ai.role == "training" or "ai_training" in p:
        if ai.generative is False or ai.competing_product is True:
            return (
                "none",
                "the model is a non-generative tool that competes with the source's owner for the same purpose",
                [A("ross")],
            )
        if u.same_purpose_as_source is True:
            return "none", "the training use serves the source's own purpose", [A("warhol", "598 U.S. at 532-33")]
        return (
            "strong",
            "training a generative model on works is a different purpose from the works' own (learning statistical patterns, not reading them)",
            [A("bartz_training"), A("kadrey")],
        )
    if "parody" in p and u.targets_source is True:
        return (
            "strong",
            "a parody that targets the source comments on it and needs to conjure it up",
            [A("campbell", "510 U.S. at 580-81"), A("leibovitz"), A("mattel_walking_mountain")],
        )
    if "parody" in p and u.targets_source is None and u.same_purpose_as_source is not True:
        return (
            "some",
            "a parody comments on its source if it targets it; whether this one does is not answered",
            [A("campbell", "510 U.S. at 580-81")],
        )
    if p & {"criticism", "comment"} and u.targets_source is True and u.same_purpose_as_source is not True:
        return (
            "strong",
            "criticism or comment aimed at the source itself has a further purpose the original does not serve",
            [A("campbell", "510 U.S. at 579"), A("warhol", "598 U.S. at 532")],
        )
    if u.same_purpose_as_source is True:
        why = "the use serves the same purpose as the source"
        if u.new_expression:
            why += "; new expression or meaning alone does not change that"
        return "none", why, [A("warhol", "598 U.S. at 532-33"), A("tveyes"), A("hachette_ia")]
    if u.new_expression is False and u.same_purpose_as_source is not False:
        return (
            "none",
            "the use repackages the source without new expression, meaning or purpose",
            [A("tca_mccollum"), A("graham_prince")],
        )
    if p & {"search_indexing", "accessibility"}:
        return (
            "strong",
            "search, indexing and access for the print-disabled give the copies a new function",
            [A("authors_guild_google"), A("hathitrust"), A("kelly_arriba"), A("perfect10_amazon")],
        )
    satire_off_target = "satire" in p and u.targets_source is False and not p & {"parody", "criticism"}
    if u.same_purpose_as_source is False and satire_off_target:
        # Campbell at 580-81: satire "can stand on its own two feet and so requires justification
        # for the very act of borrowing"; a different purpose alone is "some", not strong.
        return (
            "some",
            "the use has a purpose different from the source's, but it comments on something other than the source",
            [A("campbell", "510 U.S. at 580-81"), A("warhol", "598 U.S. at 532")],
        )
    if u.same_purpose_as_source is False:
        extras = []
        if u.new_expression:
            extras.append("new expression or meaning")
        if p & PREAMBLE:
            extras.append("a purpose named in the statute's preamble")
        if u.public_benefit:
            extras.append("a public benefit")
        if extras:
            return (
                "strong",
                "the use has a further purpose from the source's, with " + " and ".join(extras),
                [A("campbell", "510 U.S. at 579"), A("warhol", "598 U.S. at 528-29"), A("bill_graham")],
            )
        return "some", "the use has a different purpose from the source's", [A("warhol", "598 U.S. at 528-29")]
    if u.new_expression is True and p & (PREAMBLE | {"satire", "parody"}):
        return (
            "some",
            "the use adds new expression for a purpose such as comment, but whether its purpose differs from the source's is not answered",
            [A("warhol", "598 U.S. at 541")],
        )
    return None, "", []


def _amount(s: Scenario, facts: EvidenceFacts | None) -> tuple[str | None, Literal["measurement", "answer", "unknown"]]:
    if facts is not None and facts.share_of_source_taken is not None:
        return portion_from_share(facts.share_of_source_taken), "measurement"
    u = s.use
    if u.portion:
        return u.portion, "answer"
    if u.entire_work is True or "whole_work" in u.what_is_taken:
        return "entire", "answer"
    return None, "unknown"


# --------------------------------------------------------------------------- shared helpers
class _FastReason(NamedTuple):
    """What the sensitivity loop needs of a reason, without building a pydantic model."""

    text: str
    basis: str
    direction: str
    weight: float
    authorities: list
    source: str

    def model_copy(self, update: dict) -> _FastReason:
        return self._replace(**update)


class _FastFinding(NamedTuple):
    factor: int
    lean: str
    reasons: list


# Set while the sensitivity analysis re-runs the factors (~100 times per assessment): the
# factors then build light tuples instead of validated models. A ContextVar keeps this
# safe under the app's threads.
_FAST: ContextVar[bool] = ContextVar("fairuse_assess_fast", default=False)


def _reason(
    text: str, basis: str, direction: str, weight: float, auths: list[Authority] | None = None, source: str = "answer"
) -> Reason:
    if _FAST.get():
        return _FastReason(text, basis, direction, round(weight, 2), auths or [], source)  # type: ignore[return-value]
    return Reason.model_construct(
        text=text,
        basis=basis,
        direction=direction,
        weight=round(weight, 2),
        authorities=list(auths or []),
        source=source,
    )


def factor_score(reasons: list[Reason]) -> float:
    return sum(
        r.weight if r.direction == "favours" else -r.weight if r.direction == "disfavours" else 0.0 for r in reasons
    )


def lean_from_score(factor: int, score: float) -> Lean:
    band = load_weights()["lean_bands"][factor]
    if score >= band["strong"]:
        return "strongly_favours"
    if score >= band["lean"]:
        return "favours"
    if score <= -band["strong"]:
        return "strongly_disfavours"
    if score <= -band["lean"]:
        return "disfavours"
    return "neutral"


def _missing(ctx: Context, factor: int, measured: set[str] = frozenset()) -> tuple[list[str], list[Question]]:
    scenario = ctx.s
    qs = [q for q in ctx.visible if q.factor == factor]
    missing = [q.id for q in qs if not is_answered(scenario, q) and q.id not in measured]
    return missing, qs


def _confidence(ctx: Context, factor: int, measured: set[str] = frozenset()) -> tuple[str, list[str]]:
    """Lower with missing answers: key questions count most (see the questionnaire's ``key``)."""
    missing, qs = _missing(ctx, factor, measured)
    keys = [q for q in qs if q.key]
    keys_ok = sum(1 for q in keys if q.id not in missing)
    share = 1 - len(missing) / len(qs) if qs else 1.0
    if keys and keys_ok == len(keys) and share >= 0.6:
        conf = "high"
    elif not keys or keys_ok * 2 >= len(keys):
        conf = "medium"
    else:
        conf = "low"
    return conf, missing


Counters = dict[str, tuple[str, list[Authority]]]
"""Fallback counter-arguments by direction ('favours' = an argument for fair use)."""


def _finish(
    factor: int, reasons: list[Reason], ctx: Context, measured: set[str] = frozenset(), counters: Counters | None = None
) -> FactorFinding:
    if _FAST.get():  # the sensitivity loop reads only the lean
        return _FastFinding(factor, lean_from_score(factor, factor_score(reasons)), reasons)  # type: ignore[return-value]
    reasons = sorted(reasons, key=lambda r: (-r.weight, r.text))
    lean = lean_from_score(factor, factor_score(reasons))
    conf, missing = _confidence(ctx, factor, measured)
    if not [r for r in reasons if r.direction != "neutral"]:
        conf = "low"
    want = "disfavours" if LEAN_VALUE[lean] > 0 else "favours" if LEAN_VALUE[lean] < 0 else None
    counter = None
    if want:
        counter = next((r for r in reasons if r.direction == want), None)
    else:
        # A neutral factor: the counter-argument answers the strongest reason given.
        active = [r for r in reasons if r.direction != "neutral"]
        if active:
            opposite = "favours" if active[0].direction == "disfavours" else "disfavours"
            counter = next((r for r in active if r.direction == opposite), None)
            want = want or opposite
    if counter is None and counters and want in counters:
        text, auths = counters[want]
        counter = _reason(text, "the law, whatever the answers", want, 0.0, auths, source="default")
    return FactorFinding.model_construct(
        factor=factor,
        title=TITLES[factor],
        statute_text=STATUTE[factor],
        lean=lean,
        confidence=conf,
        reasons=reasons,
        counter_argument=counter,
        missing=missing,
    )


# --------------------------------------------------------------------------- factor 1
def factor1_purpose_and_character(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(1): "the purpose and character of the use, including whether such use
    is of a commercial nature or is for nonprofit educational purposes".

    Asks whether the use has a further purpose or different character from the source's
    (Campbell, 510 U.S. at 579), judged for the specific use and weighed against its
    commercial nature (Warhol, 598 U.S. at 532-33). Preamble purposes help but do not decide
    (Campbell at 577-78; Harper & Row at 561). Parody must target its source; satire needs a
    justification for borrowing (Campbell at 580-81). Bad faith and unlawful acquisition count
    against (Harper & Row at 562-63; Bartz). In AI: training a generative model is
    transformative (Bartz; Kadrey, provisional), a competing non-generative tool is not (Ross).
    Measurements are deliberately not read here (Warhol).
    """
    s, u, p, t = ctx.s, ctx.s.use, ctx.purposes, ctx.transformative
    R: list[Reason] = []
    if t == "strong":
        R.append(
            _reason(
                f"Transformative purpose: {ctx.transformative_why}.",
                _purpose_basis(s),
                "favours",
                3.0,
                ctx.transformative_auth,
            )
        )
    elif t == "some":
        R.append(
            _reason(
                f"Some transformative character: {ctx.transformative_why}.",
                _purpose_basis(s),
                "favours",
                1.5,
                ctx.transformative_auth,
            )
        )
    elif t == "none":
        w = 3.0 if (u.same_purpose_as_source is True or ctx.s.ai.competing_product) else 2.0
        private_noncommercial = u.commercial == "nonprofit" and (
            u.scale == "private" or p & {"personal", "accessibility"}
        )
        if ctx.unprotected_only_answer:
            # Warhol asks about the purpose of using the *work*; a new work that takes only
            # style, facts or ideas uses no protected expression to share a purpose with.
            w = 1.0
        elif private_noncommercial:
            # Campbell at 579 (citing Sony): transformation is "not absolutely necessary";
            # private, non-commercial copying for the source's own purpose can be fair.
            w = 1.5
        R.append(
            _reason(
                f"Not transformative: {ctx.transformative_why}.",
                _purpose_basis(s),
                "disfavours",
                w,
                ctx.transformative_auth,
            )
        )

    if u.new_expression is True and t is None:
        R.append(
            _reason(
                "The new work adds new expression or meaning; that counts, but after Warhol it is not enough on its own if the use shares the source's purpose.",
                "use.new_expression = true",
                "favours",
                0.5,
                [A("campbell", "510 U.S. at 579"), A("warhol", "598 U.S. at 541")],
            )
        )
    preamble = sorted(p & PREAMBLE)
    if preamble:
        w = 0.5 if t == "none" else 1.0
        R.append(
            _reason(
                "A purpose named in the statute's preamble ("
                + ", ".join(x.replace("_", " ") for x in preamble)
                + ")"
                + (
                    "; but the preamble does not excuse a use that merely takes the source's place"
                    if t == "none"
                    else ""
                ),
                "use.purposes = " + ", ".join(preamble),
                "favours",
                w,
                [A("statute_107"), A("campbell", "510 U.S. at 577-78")]
                + ([A("harper_row", "471 U.S. at 561")] if t == "none" else []),
            )
        )

    if "satire" in p and u.targets_source is False and t != "strong":
        if u.justification:
            R.append(
                _reason(
                    f'Satire that targets something other than the source needs a justification for borrowing this work; the one given ("{u.justification}") may or may not persuade a court.',
                    "use.purposes includes satire; use.targets_source = false; use.justification given",
                    "disfavours",
                    0.75,
                    [A("campbell", "510 U.S. at 580-81"), A("warhol", "598 U.S. at 532-33"), A("seuss_penguin")],
                )
            )
        else:
            R.append(
                _reason(
                    "Satire that targets something other than the source needs a justification for borrowing this work, and none is given.",
                    "use.purposes includes satire; use.targets_source = false",
                    "disfavours",
                    1.5,
                    [A("campbell", "510 U.S. at 580-81"), A("seuss_penguin"), A("rogers_koons")],
                )
            )

    if u.commercial in ("commercial", "mixed"):
        w = {"strong": 0.5, "some": 1.0, None: 1.25, "none": 1.5}[t]
        if u.commercial == "mixed":
            w *= 0.6
        R.append(
            _reason(
                "The use is "
                + ("commercial" if u.commercial == "commercial" else "partly commercial")
                + (
                    {
                        "strong": "; that counts for little against a strongly transformative purpose",
                        "none": "; with no transformative purpose to set against it, this weighs fully",
                    }.get(t, "")
                ),
                f"use.commercial = {u.commercial}",
                "disfavours",
                w,
                [A("campbell", "510 U.S. at 584-85"), A("warhol", "598 U.S. at 531-33")],
            )
        )
    elif u.commercial == "nonprofit":
        R.append(
            _reason(
                "The use is non-commercial, which the statute's text favours.",
                "use.commercial = nonprofit",
                "favours",
                1.0,
                [A("statute_107"), A("sony", "464 U.S. at 449")],
            )
        )
    if "advertising" in p and t != "strong":
        R.append(
            _reason(
                "Use to advertise or promote a product gets less indulgence than other commercial uses.",
                "use.purposes includes advertising",
                "disfavours",
                0.5,
                [A("campbell", "510 U.S. at 585"), A("brammer")],
            )
        )
    if p & {"commercial_exploitation", "entertainment"} and t != "strong" and not ctx.unprotected_only_answer:
        R.append(
            _reason(
                "The use exploits the source's own entertainment or commercial value.",
                "use.purposes = " + ", ".join(sorted(p & {"commercial_exploitation", "entertainment"})),
                "disfavours",
                1.0,
                [A("castle_rock"), A("napster")],
            )
        )
    if "personal" in p and u.commercial in (None, "nonprofit"):
        R.append(
            _reason(
                "Private, non-commercial use of the kind Sony found fair.",
                "use.purposes includes personal",
                "favours",
                1.0,
                [A("sony", "464 U.S. at 449-50")],
            )
        )
    if u.public_benefit is True:
        R.append(
            _reason(
                "The use delivers a public benefit (access to information, interoperability, public understanding).",
                "use.public_benefit = true",
                "favours",
                1.0,
                [A("google_oracle"), A("hathitrust"), A("astm_pro")],
            )
        )
    if u.good_faith is False:
        R.append(
            _reason(
                "Evidence of bad faith weighs against the user.",
                "use.good_faith = false",
                "disfavours",
                1.0,
                [A("harper_row", "471 U.S. at 562-63"), A("rogers_koons")],
            )
        )
    if s.acquisition.how_obtained == "unauthorized":
        w = 0.75 if t == "strong" else 1.5
        R.append(
            _reason(
                "The source was obtained from an unauthorised copy"
                + (
                    "; a later transformative use does not excuse keeping pirated copies (Bartz), though Kadrey gave this little weight"
                    if t == "strong"
                    else ""
                ),
                "acquisition.how_obtained = unauthorized",
                "disfavours",
                w,
                [A("bartz_library"), A("kadrey"), A("harper_row", "471 U.S. at 562-63")],
            )
        )
    if s.ai.competing_product is True and t != "none":
        R.append(
            _reason(
                "The AI product competes with the source owner's own product.",
                "ai.competing_product = true",
                "disfavours",
                1.5,
                [A("ross")],
            )
        )
    if ctx.facts is not None:
        R.append(
            _reason(
                "Measured similarity is not weighed under this factor: it asks about the purpose of the use, not how different the result looks.",
                "measurements attached",
                "neutral",
                0.0,
                [A("warhol", "598 U.S. at 544-45")],
                source="default",
            )
        )
    return _finish(
        1,
        R,
        ctx,
        counters={
            "disfavours": (
                "After Warhol, a court asks whether this specific use shares the source's purpose; if it does, new meaning does not carry the factor and commerciality counts fully.",
                [A("warhol", "598 U.S. at 532-33")],
            ),
            "favours": (
                "Commercial use is not presumptively unfair; a further purpose or different character could still carry this factor.",
                [A("campbell", "510 U.S. at 584")],
            ),
        },
    )


def _purpose_basis(s: Scenario) -> str:
    bits = []
    if s.use.purposes:
        bits.append("use.purposes = " + ", ".join(s.use.purposes))
    for name in ("targets_source", "same_purpose_as_source", "new_expression"):
        v = getattr(s.use, name)
        if v is not None:
            bits.append(f"use.{name} = {str(v).lower()}")
    if s.ai.role not in (None, "none"):
        bits.append(f"ai.role = {s.ai.role}")
    return "; ".join(bits) or "use.purposes"


# --------------------------------------------------------------------------- factor 2
def factor2_nature_of_work(ctx: Context) -> FactorFinding:
    """17 U.S.C. § 107(2): "the nature of the copyrighted work".

    Creative works are "closer to the core of intended copyright protection" than factual or
    functional ones (Campbell, 510 U.S. at 586; Google v. Oracle). Unpublished status weighs
    heavily because of the author's right of first publication (Harper & Row, 471 U.S. at 564),
    but "shall not itself bar" fair use (§ 107, 1992 amendment). The factor counts for little
    where the use is transformative (Campbell at 586; Bill Graham; Cariou).
    """
    s = ctx.s
    R: list[Reason] = []
    nature = s.source.nature
    if nature in ("highly_creative", "creative"):
        R.append(
            _reason(
                "The source is "
                + ("highly creative" if nature == "highly_creative" else "creative")
                + " expression, close to the core of copyright.",
                f"source.nature = {nature}",
                "disfavours",
                1.5 if nature == "highly_creative" else 1.0,
                [A("campbell", "510 U.S. at 586")],
            )
        )
    elif nature == "factual":
        R.append(
            _reason(
                "The source is mainly factual; copyright protects it more thinly.",
                "source.nature = factual",
                "favours",
                1.0,
                [A("harper_row", "471 U.S. at 563"), A("swatch")],
            )
        )
    elif nature == "functional":
        R.append(
            _reason(
                "The source is functional (code, interfaces, standards), far from the core of copyright.",
                "source.nature = functional",
                "favours",
                2.0,
                [A("google_oracle"), A("sega"), A("astm_pro")],
            )
        )
    elif nature == "mixed":
        R.append(
            _reason(
                "The source mixes creative and factual material.",
                "source.nature = mixed",
                "neutral",
                0.0,
                [A("swatch")],
            )
        )
    if s.source.published is False:
        R.append(
            _reason(
                "The source was unpublished: the author's right to control first publication weighs heavily, though it does not by itself bar fair use.",
                "source.published = false",
                "disfavours",
                2.0,
                [A("harper_row", "471 U.S. at 564"), A("salinger_random_house"), A("statute_107")],
            )
        )
    elif s.source.published is True:
        R.append(
            _reason(
                "The source was already published, so the author's right of first publication is not at stake.",
                "source.published = true",
                "favours",
                0.25,
                [A("seltzer")],
            )
        )
    if ctx.transformative == "strong" or ctx.parody_on_target:
        # Campbell discounts the *creative* nature for transformative uses; the right of first
        # publication is a different interest and keeps its weight (Harper & Row at 564).
        # Courts still say which way the factor points, then give it little weight in the
        # balance; the engine does the same (factor 2's small weight in weights.yaml).
        R.append(
            _reason(
                "This factor counts for little in the overall balance where the use has a transformative purpose or parodies a creative work, since such uses almost always copy expressive works.",
                "factor 1: transformative purpose",
                "neutral",
                0.0,
                [A("campbell", "510 U.S. at 586"), A("bill_graham")],
                source="default",
            )
        )
    return _finish(
        2,
        R,
        ctx,
        counters={
            "favours": (
                "This factor rarely decides a case, and counts for little where the use has a transformative purpose.",
                [A("campbell", "510 U.S. at 586")],
            ),
            "disfavours": (
                "Even factual or published works have protected expression in their selection and arrangement; this factor rarely decides a case.",
                [A("harper_row", "471 U.S. at 563")],
            ),
        },
    )


# --------------------------------------------------------------------------- factor 3
_AMOUNT_WORDS = {
    "tiny": "a tiny part",
    "small": "a small part",
    "moderate": "a moderate part",
    "large": "a large part",
    "entire": "the whole work",
}
_AMOUNT_WEIGHT = {
    "tiny": ("favours", 2.0),
    "small": ("favours", 1.0),
    "moderate": ("disfavours", 0.5),
    "large": ("disfavours", 1.5),
    "entire": ("disfavours", 2.0),
}
_NEEDS_WHOLE = {"search_indexing", "accessibility", "ai_training", "archiving"}


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
    _s, u, f = ctx.s, ctx.s.use, ctx.facts
    R: list[Reason] = []
    measured: set[str] = set()
    amount, src = ctx.amount, ctx.amount_source
    purpose_needs_whole = (ctx.transformative == "strong" and bool(ctx.purposes & _NEEDS_WHOLE)) or (
        ctx.transformative == "strong" and u.amount_reasonable is True
    )
    heart, heart_src = (
        (f.heart_taken, "measurement") if f is not None and f.heart_taken is not None else (u.heart_taken, "answer")
    )
    if amount:
        direction, w = _AMOUNT_WEIGHT[amount]
        if heart is True and direction == "favours" and not ctx.parody_on_target:
            # Harper & Row at 565: a taking small in quantity can be "qualitatively substantial".
            w *= 0.25
        if src == "measurement":
            assert f is not None and f.share_of_source_taken is not None
            measured |= {"portion", "entire_work"}
            what = "image area" if f.medium == "image" else "source's words"
            basis = f"{f.share_of_source_taken:.0%} of the {what} reproduced ({f.copy_kind})"
            text = f"The comparison found {_AMOUNT_WORDS[amount]} of the source in the new work"
            if u.portion and u.portion != amount:
                text += f" (the answer given was '{u.portion}'; the measurement is used)"
        else:
            basis = f"use.portion = {u.portion}" if u.portion else "use.entire_work = true"
            text = f"The new work takes {_AMOUNT_WORDS[amount]} of the source"
        if heart is True and direction == "favours" and not ctx.parody_on_target:
            text += ", though a small taking counts for little when it is the heart of the work"
        auths = {
            "tiny": [A("google_oracle"), A("sofa")],
            "small": [A("brown_netflix")],
            "moderate": [A("patton")],
            "large": [A("tveyes")],
            "entire": [A("hachette_ia"), A("sony")],
        }[amount]
        if amount in ("large", "entire") and ctx.parody_on_target and u.amount_reasonable is not False:
            text += "; a parody may take enough to conjure up its target"
            w *= 0.5
            auths = [A("campbell", "510 U.S. at 588"), A("leibovitz")]
        elif amount in ("large", "entire") and purpose_needs_whole and u.amount_reasonable is not False:
            text += "; but copying the whole is what this purpose requires"
            w = 0.75 if amount == "entire" else 0.5
            auths = [A("authors_guild_google"), A("hathitrust"), A("kelly_arriba")]
        R.append(
            _reason(text + ".", basis, direction, w, auths, source="measurement" if src == "measurement" else "answer")
        )
    if f is not None and f.longest_passage_words and f.longest_passage_words >= defaults.ASSESS_LONG_PASSAGE_WORDS:
        R.append(
            _reason(
                f"The longest copied passage runs {f.longest_passage_words} words: a substantial literal taking.",
                f"longest passage {f.longest_passage_words} words",
                "disfavours",
                0.5,
                [A("harper_row", "471 U.S. at 565")],
                source="measurement",
            )
        )
    if heart_src == "measurement":
        measured.add("heart_taken")
    if heart is True:
        basis = (
            f"heart score {f.heart_score:.2f}"
            if heart_src == "measurement" and f and f.heart_score is not None
            else ("central passages copied" if heart_src == "measurement" else "use.heart_taken = true")
        )
        if ctx.parody_on_target:
            R.append(
                _reason(
                    "The heart of the source is taken, but a parody may take it to conjure up its target.",
                    basis,
                    "disfavours",
                    0.5,
                    [A("campbell", "510 U.S. at 588")],
                    source=heart_src,
                )
            )
        else:
            R.append(
                _reason(
                    "The new work takes the heart of the source, its most memorable or central part.",
                    basis,
                    "disfavours",
                    1.5,
                    [A("harper_row", "471 U.S. at 564-65")],
                    source=heart_src,
                )
            )
    elif heart is False:
        R.append(
            _reason(
                "The most central part of the source is not taken.",
                "no central passages copied" if heart_src == "measurement" else "use.heart_taken = false",
                "favours",
                0.5,
                [A("harper_row", "471 U.S. at 564-65")],
                source=heart_src,
            )
        )
    if u.amount_reasonable is True:
        R.append(
            _reason(
                "No more was taken than the purpose needed.",
                "use.amount_reasonable = true",
                "favours",
                2.0,
                [A("campbell", "510 U.S. at 586-87"), A("authors_guild_google"), A("kelly_arriba")],
            )
        )
    elif u.amount_reasonable is False:
        R.append(
            _reason(
                "More was taken than the purpose needed.",
                "use.amount_reasonable = false",
                "disfavours",
                1.5,
                [A("campbell", "510 U.S. at 586-87"), A("rdr_books"), A("seuss_comicmix")],
            )
        )
    elif ctx.parody_on_target and (heart is True or amount in ("moderate", "large", "entire")):
        R.append(
            _reason(
                "A parody may take what it needs to conjure up its target, including the most recognisable part; what matters is whether it took more than that.",
                "use.purposes includes parody; use.targets_source = true",
                "favours",
                1.0,
                [A("campbell", "510 U.S. at 588"), A("leibovitz"), A("mattel_walking_mountain")],
                source="default",
            )
        )
    elif purpose_needs_whole and amount in ("large", "entire"):
        R.append(
            _reason(
                "For search, access or model training, copying whole works is reasonably necessary to the purpose.",
                "use.purposes = " + ", ".join(sorted(ctx.purposes & _NEEDS_WHOLE)),
                "favours",
                0.75,
                [A("authors_guild_google"), A("hathitrust"), A("kadrey")],
                source="default",
            )
        )
    taken = set(u.what_is_taken)
    if taken and taken <= {"facts_or_ideas", "style"}:
        if "facts_or_ideas" in taken:
            R.append(
                _reason(
                    "Only facts or ideas are taken, and copyright does not protect them.",
                    "use.what_is_taken = facts_or_ideas",
                    "favours",
                    2.0,
                    [A("harper_row", "471 U.S. at 556-57")],
                )
            )
        if "style" in taken:
            R.append(
                _reason(
                    "Only the source's style is taken; style as such is not protected expression (its effect on the market is weighed under factor 4).",
                    "use.what_is_taken = style",
                    "favours",
                    2.0,
                    [A("kadrey")],
                )
            )
    if "character" in taken:
        R.append(
            _reason(
                "A distinctive character is taken; a well-delineated character carries protected expression.",
                "use.what_is_taken includes character",
                "disfavours",
                1.0,
                [A("salinger_colting"), A("seuss_penguin")],
            )
        )
    return _finish(
        3,
        R,
        ctx,
        measured,
        counters={
            "favours": (
                "The amount is judged in relation to the purpose: a court may find it no more than the purpose needed.",
                [A("campbell", "510 U.S. at 586-87")],
            ),
            "disfavours": (
                "Even a small taking weighs against fair use if it is the heart of the work.",
                [A("harper_row", "471 U.S. at 564-65")],
            ),
        },
    )


# --------------------------------------------------------------------------- factor 4
def factor4_market_effect(ctx: Context, substitution: SubstitutionRisk) -> FactorFinding:
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
    s, m, u, t = ctx.s, ctx.s.market, ctx.s.use, ctx.transformative
    R: list[Reason] = []
    measured: set[str] = set()
    sub_src = (
        "measurement"
        if any(pt.source == "measurement" and pt.value is not None for pt in substitution.parts)
        else "answer"
    )
    sub_auth = [A("campbell", "510 U.S. at 591"), A("authors_guild_google"), A("hachette_ia")]
    if substitution.level == "high":
        R.append(
            _reason(
                "High substitution risk: the new work could stand in for the source in its market.",
                _sub_basis(substitution),
                "disfavours",
                2.5,
                sub_auth,
                sub_src,
            )
        )
    elif substitution.level == "moderate":
        R.append(
            _reason(
                "Moderate substitution risk: the new work could take some of the source's sales or licences.",
                _sub_basis(substitution),
                "disfavours",
                1.0,
                sub_auth,
                sub_src,
            )
        )
    elif substitution.level == "low":
        R.append(
            _reason(
                "Low substitution risk: the new work is unlikely to stand in for the source.",
                _sub_basis(substitution),
                "favours",
                1.5,
                sub_auth,
                sub_src,
            )
        )
    criticism_market = ctx.parody_on_target or (t == "strong" and u.targets_source is True)
    if m.licensing_market == "established":
        if criticism_market:
            R.append(
                _reason(
                    "Owners do not license criticism or parody of their own works, so lost licence fees for this use do not count.",
                    "market.licensing_market = established; the use targets the source",
                    "neutral",
                    0.0,
                    [A("campbell", "510 U.S. at 592")],
                )
            )
        else:
            w = 0.75 if t == "strong" else 1.5
            R.append(
                _reason(
                    "An established market to license this kind of use exists, and the use takes it without paying"
                    + (
                        "; for a strongly transformative use courts discount this to avoid circular reasoning"
                        if t == "strong"
                        else ""
                    )
                    + ".",
                    "market.licensing_market = established",
                    "disfavours",
                    w,
                    [A("texaco"), A("princeton_mds"), A("warhol"), A("tveyes")],
                )
            )
    elif m.licensing_market == "emerging":
        ai_use = s.ai.role == "training" or "ai_training" in ctx.purposes
        R.append(
            _reason(
                "A licensing market for this use is emerging"
                + ("; whether a market to license AI training counts is disputed" if ai_use else "")
                + ".",
                "market.licensing_market = emerging",
                "disfavours",
                0.5,
                [A("usco_ai_report_2025"), A("kadrey"), A("ross")],
            )
        )
    elif m.licensing_market == "none":
        R.append(
            _reason(
                "There is no market to license this kind of use.",
                "market.licensing_market = none",
                "favours",
                0.5,
                [A("campbell", "510 U.S. at 592")],
            )
        )
    if m.harm_evidence == "substantial":
        R.append(
            _reason(
                "There is substantial evidence of lost sales or licences.",
                "market.harm_evidence = substantial",
                "disfavours",
                3.0,
                [A("harper_row", "471 U.S. at 567"), A("hachette_ia")],
            )
        )
    elif m.harm_evidence == "some":
        R.append(
            _reason(
                "There is some evidence of market harm.",
                "market.harm_evidence = some",
                "disfavours",
                1.5,
                [A("tveyes")],
            )
        )
    elif m.harm_evidence in ("none", "speculative"):
        nonprofit = u.commercial == "nonprofit"
        R.append(
            _reason(
                ("No" if m.harm_evidence == "none" else "Only speculative")
                + " evidence of market harm"
                + (
                    "; for a non-commercial use the owner must show a meaningful likelihood of harm"
                    if nonprofit
                    else ""
                )
                + ".",
                f"market.harm_evidence = {m.harm_evidence}",
                "favours",
                2.0 if nonprofit else 0.75,
                [A("sony", "464 U.S. at 451")] if nonprofit else [A("perfect10_amazon"), A("suntrust")],
            )
        )
    if m.derivative_market is True:
        if criticism_market:
            R.append(
                _reason(
                    "The use falls in a derivative market, but the market for criticism or parody of a work is not one the owner may claim.",
                    "market.derivative_market = true; the use targets the source",
                    "disfavours",
                    0.5,
                    [A("campbell", "510 U.S. at 592")],
                )
            )
        else:
            R.append(
                _reason(
                    "The use falls in a traditional, reasonable or likely derivative market of the source (sequels, adaptations, companions).",
                    "market.derivative_market = true",
                    "disfavours",
                    1.5,
                    [A("campbell", "510 U.S. at 590"), A("castle_rock"), A("seuss_comicmix")],
                )
            )
    elif m.derivative_market is False:
        R.append(
            _reason(
                "The use does not fall in a market for derivatives the owner would normally exploit.",
                "market.derivative_market = false",
                "favours",
                0.5,
                [A("campbell", "510 U.S. at 592")],
            )
        )
    if (
        s.source.published is False
        and (u.heart_taken or ctx.amount in ("moderate", "large", "entire"))
        and m.source_has_market is not False
    ):
        R.append(
            _reason(
                "Publishing substantial parts of an unpublished work takes the author's first-publication market and the value of the eventual publication.",
                "source.published = false; amount "
                + str(ctx.amount or "")
                + ("; heart taken" if u.heart_taken else ""),
                "disfavours",
                1.5,
                [A("harper_row", "471 U.S. at 568-69"), A("salinger_random_house")],
            )
        )
    if m.source_has_market is False:
        R.append(
            _reason(
                "The source is not sold or licensed, so there is little market to harm.",
                "market.source_has_market = false",
                "favours",
                1.5,
                [A("nunez")],
            )
        )
    if ctx.unprotected_only:
        R.append(
            _reason(
                "The new work takes no protected expression: lost sales to a non-infringing competitor in the same genre or style are not a harm copyright recognises.",
                "use.what_is_taken = " + ", ".join(sorted(set(u.what_is_taken)))
                if ctx.unprotected_only_answer
                else "no copied expression found",
                "favours",
                1.5,
                [A("authors_guild_google"), A("campbell", "510 U.S. at 591-92")],
                source="answer" if ctx.unprotected_only_answer else "measurement",
            )
        )
    if m.dilution_risk is True:
        training = s.ai.role == "training" or "ai_training" in ctx.purposes
        w = 1.5 if training or not ctx.unprotected_only else 0.5
        R.append(
            _reason(
                "The use could flood the source's market with competing works of the same kind (market dilution); courts disagree whether this counts"
                + (
                    ""
                    if w == 1.5
                    else ", and Kadrey's theory concerned training a model, not one output that takes no protected expression"
                )
                + ".",
                "market.dilution_risk = true",
                "disfavours",
                w,
                [A("kadrey"), A("usco_ai_report_2025")],
            )
        )
    elif m.dilution_risk is False:
        R.append(
            _reason(
                "No risk of diluting the source's market with competing works.",
                "market.dilution_risk = false",
                "favours",
                0.5,
                [A("bartz_training")],
            )
        )
    if s.ai.regurgitation is True:
        R.append(
            _reason(
                "The model reproduces training works in its outputs, delivering the works themselves to users.",
                "ai.regurgitation = true",
                "disfavours",
                2.0,
                [A("kadrey"), A("usco_ai_report_2025")],
            )
        )
    elif s.ai.regurgitation is False:
        R.append(
            _reason(
                "The model does not reproduce the works in its outputs.",
                "ai.regurgitation = false",
                "favours",
                0.75,
                [A("kadrey"), A("bartz_training")],
            )
        )
    if s.ai.guardrails is True:
        R.append(
            _reason(
                "Output filters guard against reproducing the works.",
                "ai.guardrails = true",
                "favours",
                0.5,
                [A("usco_ai_report_2025"), A("bartz_training")],
            )
        )
    big = ctx.amount in ("large", "entire")
    if t == "none" and u.commercial == "commercial" and big and m.harm_evidence not in ("none", "speculative"):
        R.append(
            _reason(
                "Where a commercial use merely duplicates the source for its original purpose, market harm may be inferred.",
                "factor 1: same purpose; use.commercial = commercial; amount " + str(ctx.amount),
                "disfavours",
                1.5,
                [A("campbell", "510 U.S. at 591"), A("brammer"), A("de_fontbrune")],
                source="default",
            )
        )
    if t == "strong" and m.substitutes is not True and substitution.level != "high":
        R.append(
            _reason(
                "The more transformative the purpose, the less likely the use substitutes for the original.",
                "factor 1: transformative purpose",
                "favours",
                1.0,
                [A("campbell", "510 U.S. at 591"), A("authors_guild_google")],
                source="default",
            )
        )
    if s.acquisition.how_obtained == "unauthorized" and t != "strong":
        R.append(
            _reason(
                "Each unauthorised copy kept in place of a purchased one displaces a sale.",
                "acquisition.how_obtained = unauthorized",
                "disfavours",
                1.0,
                [A("bartz_library")],
            )
        )
    if u.public_benefit is True:
        R.append(
            _reason(
                "Public benefits of the use are weighed against any loss to the owner.",
                "use.public_benefit = true",
                "favours",
                0.5,
                [A("google_oracle")],
            )
        )
    if ctx.facts is not None:
        measured |= set()
    return _finish(
        4,
        R,
        ctx,
        measured,
        counters={
            "disfavours": (
                "Courts ask what would happen if uses like this became widespread, including harm to licensing and derivative markets, not only what this one use does.",
                [A("campbell", "510 U.S. at 590")],
            ),
            "favours": (
                "The question is substitution for the original, not any loss of value: criticism that suppresses demand is not cognisable harm.",
                [A("campbell", "510 U.S. at 591-92")],
            ),
        },
    )


def _sub_basis(sub: SubstitutionRisk) -> str:
    known = [p for p in sub.parts if p.value is not None]
    return (
        "substitution risk "
        + (f"{sub.score:.2f}" if sub.score is not None else "?")
        + " from "
        + ", ".join(f"{p.name} {p.value:.2f}" for p in sorted(known, key=lambda p: -p.weight)[:4])
    )
