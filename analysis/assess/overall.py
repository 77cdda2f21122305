"""The overall view: leans fair use, close call, or leans against — with its reasons.

Courts weigh the four factors "together, in light of the purposes of copyright" (*Campbell*,
510 U.S. at 578) and reject mechanical arithmetic (*Cambridge Univ. Press v. Patton*). The
engine still needs a reproducible rule, so it combines the factor leans with the factor
weights in ``data/weights.yaml`` (priors from the empirical record — factor 4 and the purpose
of the use dominate, factor 2 rarely decides: Beebe; Liu — fitted by cross-validation on the
Fair Use Index corpus) and shows only a three-way label with the reasons that drive it, never
a probability.

Two rules keep the view honest:
- factors 2 and 3 never decide a case on their own: when factors 1 and 4 are both neutral the
  view is a close call, whatever factors 2 and 3 say (the record the weights cite: Beebe);
- each factor's line quotes a reason that points the way the factor leans, and the line on a
  transformative purpose meeting market harm appears only where factor 1 found one.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.assess.models import LEAN_LABELS, LEAN_VALUE, FactorFinding, OverallView
from analysis.assess.weights import Weights, shipped_weights


def overall_score(leans: Mapping[int, str], weights: Weights | None = None) -> float:
    w = (weights or shipped_weights()).factor_weights
    return sum(w[n] * LEAN_VALUE[lean] for n, lean in leans.items())


def label_for(leans: Mapping[int, str], weights: Weights | None = None) -> str:
    """The three-way label from the four leans."""
    weights = weights or shipped_weights()
    if LEAN_VALUE[leans[1]] == 0 and LEAN_VALUE[leans[4]] == 0:
        return "close_call"
    score = overall_score(leans, weights)
    # Strict: a score exactly on the band's edge is a close call.
    if score > weights.close_call_band:
        return "leans_fair_use"
    if score < -weights.close_call_band:
        return "leans_against"
    return "close_call"


def weigh(
    findings: list[FactorFinding], weights: Weights | None = None, *, purpose_degree: str | None = None
) -> OverallView:
    weights = weights or shipped_weights()
    leans: dict[int, str] = {f.factor: f.lean for f in findings}
    label = label_for(leans, weights)
    fw = weights.factor_weights
    score = overall_score(leans, weights)
    contrib = sorted(findings, key=lambda f: -abs(fw[f.factor] * LEAN_VALUE[f.lean]))
    reasons: list[str] = []
    for f in contrib:
        v = LEAN_VALUE[f.lean]
        if v == 0:
            continue
        same_way = "favours" if v > 0 else "disfavours"
        top = next((r for r in f.reasons if r.direction == same_way), None)
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
        if LEAN_VALUE[leans[1]] == 0 and LEAN_VALUE[leans[4]] == 0:
            reasons.insert(
                0,
                "Factors 1 and 4, which decide most cases, are both neutral; factors 2 and 3 alone do not decide a case.",
            )
        else:
            reasons.insert(
                0, "The factors pull in different directions, or too few answers are given to tip the balance."
            )
    f4 = next((f for f in findings if f.factor == 4), None)
    if purpose_degree in ("strong", "some") and LEAN_VALUE[leans[1]] > 0 and f4 is not None and LEAN_VALUE[f4.lean] < 0:
        reasons.append(
            "The further purpose found under factor 1 and the harm to the market under factor 4 point opposite ways; courts have "
            "usually let a real transformative purpose prevail unless the use substitutes for the original."
        )
    reasons.append(
        "Factors weighed together, factor 4 and the purpose of the use most heavily, as courts have in practice; this is a "
        "structured view of the arguments, not a prediction or a probability."
    )
    confs = [f.confidence for f in findings if f.factor in (1, 4)]
    margin = abs(score) - weights.close_call_band
    if "low" in confs or margin < 0.25:
        confidence = "low"
    elif confs.count("high") == len(confs) and margin >= 1.0:
        confidence = "high"
    else:
        confidence = "medium"
    return OverallView.model_validate({"label": label, "confidence": confidence, "reasons": reasons})
