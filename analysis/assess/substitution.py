"""Substitution risk: how far the new work could stand in for the source in the source's markets.

A named measure, always shown with its parts, because factor 4's core question is
substitution (*Campbell*, 510 U.S. at 591; *Authors Guild v. Google*): a copy that delivers
the source's expression to the source's audience at a lower price and at scale substitutes;
a parody or a search index does not. Parts come from the comparison report (expression
delivered, semantic similarity, style similarity) and from the user's market answers
(same medium and genre, audience, "would a buyer take it instead", licensing market, price,
scale). Style similarity is reported as a market signal, never as copying (*Kadrey*).

The score is a weighted mean of the known parts (weights below, each part 0..1); unknown
parts are left out rather than guessed, and the level is "unknown" when too few are known.
"""

from __future__ import annotations

from typing import Literal

from analysis import defaults
from analysis.assess.models import VISUAL_MEDIA, SubstitutionPart, SubstitutionRisk
from analysis.assess.scenario import Scenario
from analysis.evidence import EvidenceFacts

# Relative weights of the parts. The two direct measures of standing in for the source —
# how much of its expression the new work delivers (measured) and the user's own answer to
# "would a buyer take it instead" — weigh most; the contextual signals weigh less.
PART_WEIGHTS = {
    "expression delivered": 3.0,
    "buyer would take it instead": 4.0,
    "same audience": 2.0,
    "same medium and genre": 1.0,
    "semantic similarity": 1.0,
    "style similarity": 1.0,
    "licensing market": 1.0,
    "price": 0.5,
    "scale": 0.5,
}
# Declared amount -> share delivered, at the middle of each band in defaults.ASSESS_PORTION_BANDS.
_PORTION = {"tiny": 0.01, "small": 0.06, "moderate": 0.2, "large": 0.6, "entire": 1.0}
_PRICE = {"free": 1.0, "cheaper": 0.8, "similar": 0.6, "higher": 0.3}
_SCALE = {"private": 0.0, "small": 0.3, "large": 0.7, "mass": 1.0}
_LICENSING = {"established": 1.0, "emerging": 0.6, "none": 0.1}
# Cosine similarity of sentence embeddings: unrelated English texts score about 0.1-0.3 with
# all-MiniLM-L6-v2, paraphrases about 0.8+ (sentence-transformers' STS benchmarks), so the
# 0.3..0.9 range is mapped to 0..1.
_SEM_LOW, _SEM_HIGH = 0.3, 0.9


def _same_medium(a: str | None, b: str | None) -> bool | None:
    if a is None or b is None:
        return None
    return a == b or (a in VISUAL_MEDIA and b in VISUAL_MEDIA)


def substitution_risk(
    scenario: Scenario, facts: EvidenceFacts | None, purpose_degree: str | None = None
) -> SubstitutionRisk:
    """The substitution risk and its parts. ``purpose_degree`` is factor 1's degree of further
    purpose (from the answers): copies made for a strongly different purpose are taken, not
    delivered to the source's audience, so a declared amount does not count as delivered."""
    parts: list[SubstitutionPart] = []
    m, u = scenario.market, scenario.use

    def add(name: str, value: float | None, explanation: str, source: Literal["measurement", "answer"]) -> None:
        parts.append(
            SubstitutionPart.model_construct(
                name=name,
                value=None if value is None else round(min(1.0, max(0.0, value)), 3),
                weight=PART_WEIGHTS[name],
                explanation=explanation,
                source=source if value is not None else "unknown",
            )
        )

    exp = None
    if facts is not None:
        exp = facts.expression_delivered if facts.expression_delivered is not None else facts.share_of_source_taken
    if exp is not None:
        add(
            "expression delivered",
            exp,
            f"the comparison found the new work delivers about {exp:.0%} of the source's expression",
            "measurement",
        )
    elif (
        (u.portion or u.entire_work)
        and (u.same_purpose_as_source in (True, "partly") or m.same_audience is True)
        and purpose_degree != "strong"
    ):
        # A declared amount stands in for a measurement only where the use is known to serve
        # the source's purpose or audience: copies made for a different function (search, reverse
        # engineering, training) are taken, not delivered to the source's audience.
        declared = _PORTION["entire" if u.entire_work else u.portion]  # type: ignore[index]
        add(
            "expression delivered",
            declared,
            f"your answer: the new work takes {('the whole work' if u.entire_work else 'a ' + str(u.portion) + ' part')} of the source (attach a comparison report to measure it)",
            "answer",
        )
    else:
        add(
            "expression delivered",
            None,
            "no comparison report: attach one to measure how much of the source the new work delivers",
            "measurement",
        )
    add(
        "buyer would take it instead",
        None if m.substitutes is None else float(m.substitutes),
        "your answer: a buyer would take the new work instead of the source"
        if m.substitutes
        else "your answer: a buyer would not take the new work instead of the source"
        if m.substitutes is False
        else "not answered",
        "answer",
    )
    add(
        "same audience",
        None if m.same_audience is None else float(m.same_audience),
        {True: "aimed at the source's audience", False: "aimed at a different audience", None: "not answered"}[
            m.same_audience
        ],
        "answer",
    )
    same = _same_medium(scenario.source.medium, scenario.new_work.medium or (facts.medium if facts else None))
    genre_same = (
        scenario.source.genre
        and scenario.new_work.genre
        and scenario.source.genre.strip().lower() == scenario.new_work.genre.strip().lower()
    )
    add(
        "same medium and genre",
        None if same is None else (1.0 if same and genre_same else 0.6 if same else 0.0),
        "not answered"
        if same is None
        else ("same medium and genre" if same and genre_same else "same medium" if same else "a different medium"),
        "answer",
    )
    sem = facts.semantic_similarity if facts is not None else None
    add(
        "semantic similarity",
        None if sem is None else (sem - _SEM_LOW) / (_SEM_HIGH - _SEM_LOW),
        f"embedding similarity of subject and content {sem:.2f}" if sem is not None else "not measured",
        "measurement",
    )
    sty = facts.style_similarity if facts is not None else None
    add(
        "style similarity",
        sty,
        f"style similarity {sty:.2f} (style is not protected; it matters only to whether the work competes)"
        if sty is not None
        else "not measured",
        "measurement",
    )
    if u.targets_source is True and set(u.purposes) & {"parody", "criticism", "comment"}:
        # Campbell, 510 U.S. at 592: no protectable market for criticism or parody of one's own work.
        add(
            "licensing market",
            None,
            "not counted: owners do not license criticism or parody of their own works",
            "answer",
        )
    else:
        add(
            "licensing market",
            _LICENSING.get(m.licensing_market or ""),
            f"licensing market: {m.licensing_market}" if m.licensing_market in _LICENSING else "not answered",
            "answer",
        )
    add(
        "price",
        _PRICE.get(m.price_relation or ""),
        f"price: {m.price_relation}" if m.price_relation else "not answered",
        "answer",
    )
    add("scale", _SCALE.get(u.scale or ""), f"distribution: {u.scale}" if u.scale else "not answered", "answer")

    known = [p for p in parts if p.value is not None]
    # A direct sign of standing in (expression delivered, the buyer question) is enough on its
    # own; the audience needs one more part; context such as price or scale says too little.
    names = {p.name for p in known}
    direct = bool(names & {"expression delivered", "buyer would take it instead"})
    enough = direct or ("same audience" in names and len(known) >= defaults.ASSESS_SUBSTITUTION_MIN_PARTS)
    if not enough:
        return SubstitutionRisk.model_construct(
            level="unknown",
            score=None,
            parts=parts,
            explanation="Too little is known to judge whether the new work could stand in for the source: answer the market questions or attach a comparison report.",
        )
    values = [(p, float(p.value or 0.0)) for p in known]
    score = sum(v * p.weight for p, v in values) / sum(p.weight for p, _ in values)
    bands = defaults.ASSESS_SUBSTITUTION_BANDS
    level: Literal["low", "moderate", "high"] = (
        "high" if score >= bands["high"] else "moderate" if score >= bands["moderate"] else "low"
    )
    top = [p for p, _ in sorted(values, key=lambda pv: -(pv[0].weight * abs(pv[1] - 0.5)))[:3]]
    explanation = (
        f"Substitution risk is {level} ({len(known)} of {len(parts)} parts known), driven by: "
        + "; ".join(p.explanation for p in top)
        + "."
    )
    return SubstitutionRisk.model_construct(level=level, score=round(score, 3), parts=parts, explanation=explanation)
