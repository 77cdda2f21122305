"""The overall view: leans fair use, close call, or leans against — with its reasons.

Courts weigh the four factors "together, in light of the purposes of copyright" (*Campbell*,
510 U.S. at 578) and reject mechanical arithmetic (*Cambridge Univ. Press v. Patton*). The
engine still needs a reproducible rule, so it combines the factor leans with the weights in
``data/weights.yaml`` (set from the empirical record: factor 4 and transformative purpose
dominate, factor 2 rarely decides — Beebe; Liu) and shows only a three-way label with the
reasons that drive it, never a probability. A test shows that no single factor decides alone.
"""

from __future__ import annotations

from analysis.assess.factors import load_weights
from analysis.assess.models import LEAN_LABELS, LEAN_VALUE, FactorFinding, OverallView


def overall_score(findings: list[FactorFinding]) -> float:
    w = load_weights()["factor_weights"]
    return sum(float(w[f.factor]) * LEAN_VALUE[f.lean] for f in findings)


def label_for_score(score: float) -> str:
    band = float(load_weights()["close_call_band"])
    # Strict: a score exactly on the band's edge is a close call, so factor 2 (weight 0.25,
    # at most +/-0.5) can never carry a balanced case from one side to the other.
    if score > band:
        return "leans_fair_use"
    if score < -band:
        return "leans_against"
    return "close_call"


def weigh(findings: list[FactorFinding]) -> OverallView:
    weights = load_weights()["factor_weights"]
    score = overall_score(findings)
    label = label_for_score(score)
    band = float(load_weights()["close_call_band"])
    contrib = sorted(findings, key=lambda f: -abs(float(weights[f.factor]) * LEAN_VALUE[f.lean]))
    reasons: list[str] = []
    for f in contrib:
        if LEAN_VALUE[f.lean] == 0:
            continue
        top = next((r for r in f.reasons if r.direction != "neutral"), None)
        line = f"Factor {f.factor} ({f.title.lower()}) {LEAN_LABELS[f.lean]}"
        if top is not None:
            line += f": {top.text.rstrip('.')}"
        if f.factor == 2:
            line += " (this factor rarely decides a case)"
        reasons.append(line + ".")
    neutral = [f for f in findings if LEAN_VALUE[f.lean] == 0]
    if neutral:
        reasons.append("Neutral: " + ", ".join(f"factor {f.factor}" for f in neutral) + ".")
    if label == "close_call":
        reasons.insert(0, "The factors pull in different directions, or too few answers are given to tip the balance.")
    f1 = next((f for f in findings if f.factor == 1), None)
    f4 = next((f for f in findings if f.factor == 4), None)
    if f1 and f4 and LEAN_VALUE[f1.lean] > 0 and LEAN_VALUE[f4.lean] < 0:
        reasons.append(
            "A transformative purpose and harm to the market point opposite ways; courts have usually let a real transformative purpose prevail unless the use substitutes for the original."
        )
    reasons.append(
        "Factors weighed together, factor 4 and the purpose of the use most heavily, as courts have in practice; this is a structured view of the arguments, not a prediction or a probability."
    )
    confs = [f.confidence for f in findings if f.factor in (1, 4)]
    margin = abs(score) - band
    if "low" in confs or margin < 0.25:
        confidence = "low"
    elif confs.count("high") == len(confs) and margin >= 1.0:
        confidence = "high"
    else:
        confidence = "medium"
    return OverallView(label=label, confidence=confidence, reasons=reasons)
