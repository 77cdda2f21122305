"""Check the engine against the courts, on two corpora.

``library`` (the default): every decision in the hand-written case library, assessed with
the shipped weights. Those scenarios were written by people who knew the outcomes, so the
figure is a consistency check, not an out-of-sample result; its stress test withholds the
answers closest to a court's conclusion.

``fui``: the Copyright Office's Fair Use Index, 251 decisions encoded blind from their
stripped key facts (``analysis.assess.corpus``; ``benchmarks/fui/PROTOCOL.md``). The
engine's weights are fitted by repeated stratified k-fold cross-validation
(``analysis.assess.fit``): each held-out fold is assessed with weights fitted on the other
folds only, and every figure reported is out-of-fold, beside simple baselines computed on
the same folds and the same encodings. In-sample figures (weights fitted on everything) are
printed beside them, labelled.

Agreement counts clear outcomes (fair use found / not found): the engine agrees when it
leans the way the court ruled; a close call counts as not agreeing and is reported as its
own rate. Each factor's agreement compares the engine's lean (favours / against / neutral)
with the court's finding where the court made one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from analysis.assess.caselaw import load_cases
from analysis.assess.engine import evaluate, quick_outcome
from analysis.assess.models import LEAN_VALUE, Lean
from analysis.assess.weights import Weights, shipped_weights

_EXPECTED = {"fair_use": "leans_fair_use", "not_fair_use": "leans_against"}
_SIGN = {lean: "F" if v > 0 else "A" if v < 0 else "N" for lean, v in LEAN_VALUE.items()}
LABELS = ("leans_fair_use", "close_call", "leans_against")
TARGET_AGREEMENT = 0.95
"""The library target (issue 9: the library stays at or above 95 %)."""
TARGET_CLOSE_CALL = 0.15
TARGET_STRESS = 0.80
FUI_TARGETS = {
    "agreement": 0.90,
    "close_calls": 0.05,
    "per_factor": 0.85,
    "above_best_baseline": 0.05,
    "miss_split": 0.60,
}
"""Issue 9's targets on the Fair Use Index clear outcomes (out-of-fold)."""
DEFAULT_FOLDS = 10
DEFAULT_REPEATS = 5
DEFAULT_SEED = 20260101


class CaseResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    name: str
    outcome: str
    predicted: str
    agrees: bool | None = Field(description="None for cases without a clear outcome")
    factor_leans: dict[str, str]
    court_factors: dict[str, str]
    provisional: bool = False


class ValidationResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases_total: int
    clear_cases: int
    agreed: int
    agreement: float
    close_calls: int
    close_call_rate: float
    confusion: dict[str, dict[str, int]] = Field(description="court outcome -> engine label -> count")
    factor_agreement: dict[str, float]
    factor_counts: dict[str, int]
    disagreements: list[CaseResult]
    results: list[CaseResult]
    fitted: bool = False
    weights_provenance: str = ""

    @property
    def meets_target(self) -> bool:
        return self.agreement >= TARGET_AGREEMENT and self.close_call_rate <= TARGET_CLOSE_CALL


# Answers that come close to restating a court's conclusion (did the use share the source's
# purpose, would it substitute, was there harm, was the amount reasonable). Withholding them
# is a stress test: how much does agreement rest on facts versus characterisations?
CONCLUSORY_ANSWERS = (
    "use.same_purpose_as_source",
    "market.substitutes",
    "market.harm_evidence",
    "use.amount_reasonable",
)


def _withhold(scenario, fields: tuple[str, ...]):
    updates: dict[str, dict] = {}
    for path in fields:
        head, leaf = path.split(".")
        updates.setdefault(head, {})[leaf] = None
    return scenario.model_copy(update={h: getattr(scenario, h).model_copy(update=u) for h, u in updates.items()})


def validate_library(withhold: tuple[str, ...] = (), weights: Weights | None = None) -> ValidationResult:
    """Run the engine on every case; ``withhold`` clears the named answers first (stress test)."""
    weights = weights or shipped_weights()
    cases = load_cases()
    results: list[CaseResult] = []
    confusion: dict[str, dict[str, int]] = {}
    f_hits = {f"f{i}": 0 for i in range(1, 5)}
    f_n = {f"f{i}": 0 for i in range(1, 5)}
    for cid, case in sorted(cases.items()):
        core = evaluate(_withhold(case.scenario, withhold) if withhold else case.scenario, weights)
        pred = core.overall.label
        clear = case.outcome in _EXPECTED
        agrees = (pred == _EXPECTED[case.outcome]) if clear else None
        leans = {f"f{f.factor}": f.lean for f in core.findings}
        court = case.factors.model_dump()
        results.append(
            CaseResult(
                case_id=cid,
                name=case.name,
                outcome=case.outcome,
                predicted=pred,
                agrees=agrees,
                factor_leans=leans,
                court_factors=court,
                provisional=case.provisional,
            )
        )
        row = confusion.setdefault(case.outcome, {k: 0 for k in LABELS})
        row[pred] += 1
        for k, code in court.items():
            if code in ("F", "A", "N"):
                f_n[k] += 1
                f_hits[k] += int(_SIGN[leans[k]] == code)
    clear_results = [r for r in results if r.agrees is not None]
    agreed = sum(1 for r in clear_results if r.agrees)
    close = sum(1 for r in clear_results if r.predicted == "close_call")
    n = len(clear_results)
    return ValidationResult(
        cases_total=len(results),
        clear_cases=n,
        agreed=agreed,
        agreement=round(agreed / n, 4) if n else 0.0,
        close_calls=close,
        close_call_rate=round(close / n, 4) if n else 0.0,
        confusion=confusion,
        factor_agreement={k: round(f_hits[k] / f_n[k], 4) if f_n[k] else 0.0 for k in f_hits},
        factor_counts=f_n,
        disagreements=[r for r in clear_results if not r.agrees],
        results=results,
        fitted=weights.fitted,
        weights_provenance=str(weights.provenance.get("method", "")),
    )


def format_validation(v: ValidationResult) -> str:
    lines = [
        "Four-factor engine against the case library (scenarios written knowing the outcomes: a consistency check)",
        f"  cases: {v.cases_total} ({v.clear_cases} with a clear outcome; mixed / not reached listed, not scored)",
        f"  agreement with the courts: {v.agreed}/{v.clear_cases} = {v.agreement:.1%} (target >= {TARGET_AGREEMENT:.0%})",
        f"  close calls: {v.close_calls}/{v.clear_cases} = {v.close_call_rate:.1%} (target <= {TARGET_CLOSE_CALL:.0%})",
        f"  weights: {'fitted on the Fair Use Index corpus (none of these scenarios), ' if v.fitted else 'hand-set priors, '}"
        f"{v.weights_provenance or 'see data/weights.yaml'}",
        "",
        "Confusion matrix (rows: court; columns: engine)",
        f"  {'':16}{'leans fair':>12}{'close call':>12}{'leans against':>15}",
    ]
    for outcome, row in sorted(v.confusion.items()):
        lines.append(f"  {outcome:16}{row['leans_fair_use']:>12}{row['close_call']:>12}{row['leans_against']:>15}")
    lines += ["", "Each factor: engine's lean vs the court's finding (F / A / N findings only)"]
    for k, rate in v.factor_agreement.items():
        lines.append(f"  factor {k[1]}: {rate:.1%} of {v.factor_counts[k]}")
    if v.disagreements:
        lines += ["", "Where the engine and the court differ"]
        for r in v.disagreements:
            lines.append(
                f"  {r.case_id}: court {r.outcome}, engine {r.predicted} "
                f"(engine {', '.join(_SIGN[x] for x in r.factor_leans.values())}; court {', '.join(r.court_factors.values())})"
            )
    lines += ["", f"Target met: {'yes' if v.meets_target else 'NO'}"]
    return "\n".join(lines)


def library_json(v: ValidationResult, stress: ValidationResult) -> dict[str, Any]:
    misses = Counter(r.outcome for r in v.disagreements)
    total = sum(misses.values())
    return {
        "corpus": "library",
        "decisions": v.clear_cases,
        "agreement": v.agreement,
        "close_calls": v.close_call_rate,
        "per_factor": {k[1]: rate for k, rate in v.factor_agreement.items()},
        "per_factor_counts": {k[1]: n for k, n in v.factor_counts.items()},
        "misses_by_outcome": {
            o: {"n": misses.get(o, 0), "share": round(misses.get(o, 0) / total, 4) if total else 0.0} for o in _EXPECTED
        },
        "confusion": v.confusion,
        "baselines": _rule_baselines_on(
            [(c.scenario, c.outcome) for c in load_cases().values() if c.outcome in _EXPECTED]
        ),
        "folds": None,
        "in_sample": True,
        "note": "library scenarios were written knowing the outcomes; the weights were fitted on the Fair Use Index corpus",
        "stress_test": {
            "withheld": list(CONCLUSORY_ANSWERS),
            "agreement": stress.agreement,
            "close_calls": stress.close_call_rate,
        },
        "disagreements": [r.model_dump() for r in v.disagreements],
    }


# --------------------------------------------------------------------------- baselines
def _g(s, path: str) -> Any:
    obj = s
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def rule_same_purpose_or_substitute(s) -> str:
    """Fair use unless the use serves the source's purpose (yes) or substitutes for it."""
    return "not_fair_use" if s.use.same_purpose_as_source is True or s.market.substitutes is True else "fair_use"


def rule_same_purpose_partly_or_substitute(s) -> str:
    """The same rule, counting a partly shared purpose as shared."""
    return (
        "not_fair_use"
        if s.use.same_purpose_as_source in (True, "partly") or s.market.substitutes is True
        else "fair_use"
    )


def rule_substitute(s) -> str:
    """A substitute is not fair use; anything else is."""
    return "not_fair_use" if s.market.substitutes is True else "fair_use"


RULES: dict[str, Callable[[Any], str]] = {
    "fair use unless same purpose or a substitute": rule_same_purpose_or_substitute,
    "fair use unless same or partly same purpose, or a substitute": rule_same_purpose_partly_or_substitute,
    "a substitute is not fair use": rule_substitute,
}


def _rule_baselines_on(pairs: list[tuple[Any, str]]) -> dict[str, float]:
    out = {}
    for name, rule in RULES.items():
        out[name] = round(sum(rule(s) == o for s, o in pairs) / len(pairs), 4) if pairs else 0.0
    return out


_SKIP_FIELDS = {
    "id",
    "title",
    "description",
    "notes",
    "user",
    "date",
    "venue",
    "justification",
    "audience",
    "genre",
    "author",
    "schema_version",
    "as_of",
    "evidence",
    "first_publication_year",
    "author_death_year",
    "first_publication_country",
}


def answer_features(s) -> dict[str, float]:
    """The answers as one-hot features for the logistic-regression baseline."""
    out: dict[str, float] = {}

    def walk(d: dict[str, Any], pre: str) -> None:
        for k, v in d.items():
            if k in _SKIP_FIELDS or v is None:
                continue
            key = pre + k
            if isinstance(v, dict):
                walk(v, key + ".")
            elif isinstance(v, list):
                for x in v:
                    out[f"{key}={x}"] = 1.0
            elif isinstance(v, (bool, str)):
                out[f"{key}={v}"] = 1.0

    walk(s.model_dump(mode="python", exclude_none=True), "")
    return out


# --------------------------------------------------------------------------- the FUI run
def _factor_hit(lean: str, code: str) -> bool:
    return _SIGN[lean] == code


def _summary(idx: list[int], rows, preds: Sequence[Mapping[int, tuple[str, Mapping[int, str]]]]) -> dict[str, Any]:
    """Figures over the clear-outcome rows in ``idx``, averaged over the repeats."""
    clear = [i for i in idx if rows[i].clear]
    if not clear:
        return {"decisions": 0}
    agree = close = 0
    f_hit: Counter[int] = Counter()
    f_n: Counter[int] = Counter()
    for p in preds:
        for i in clear:
            label, leans = p[i]
            agree += label == _EXPECTED[rows[i].outcome]
            close += label == "close_call"
            for n, code in rows[i].court_codes().items():
                if code in ("F", "A", "N"):
                    f_n[n] += 1
                    f_hit[n] += _factor_hit(leans[n], code)
    reps = len(preds)
    return {
        "decisions": len(clear),
        "agreement": round(agree / (len(clear) * reps), 4),
        "close_calls": round(close / (len(clear) * reps), 4),
        "per_factor": {str(n): round(f_hit[n] / f_n[n], 4) if f_n[n] else None for n in (1, 2, 3, 4)},
        "per_factor_counts": {str(n): f_n[n] // reps for n in (1, 2, 3, 4)},
    }


def cross_validate_fui(
    folds: int = DEFAULT_FOLDS,
    repeats: int = DEFAULT_REPEATS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
    baselines: bool = True,
    corpus_rows: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Out-of-fold figures on the Fair Use Index, with baselines on the same folds.

    ``corpus_rows`` (``FuiRow``s) replaces the shipped encodings, for comparing other readings
    of the same facts (``benchmarks/fui_readers.py``); the shipped-weights check and the
    library overlap always read the shipped corpus.
    """
    import numpy as np

    from analysis.assess.corpus import library_matches, load_fui
    from analysis.assess.fit import _folds, design, fit
    from analysis.assess.weights import prior_weights

    all_rows = tuple(corpus_rows) if corpus_rows is not None else load_fui()
    rows = [r for r in all_rows if not r.encoding.thin]
    skipped = [
        {"row": r.row, "name": r.name, "reason": r.encoding.thin_reason or "too thin"}
        for r in all_rows
        if r.encoding.thin
    ]
    d = design([(f"fui-{r.row:03d}", r.scenario, r.outcome, r.court_codes()) for r in rows])
    labels: list[str] = [r.outcome for r in rows]
    clear_idx = [i for i, r in enumerate(rows) if r.clear]
    preds: list[dict[int, tuple[str, dict[int, Lean]]]] = []
    base_preds: dict[str, list[dict[int, str]]] = {"majority class": [], "logistic regression on the answers": []}
    factor_base: dict[str, Counter] = {"majority": Counter(), "logistic regression": Counter()}
    factor_base_n: Counter[int] = Counter()
    feats = [answer_features(r.scenario) for r in rows]
    chosen: list[dict[str, Any]] = []
    for rep in range(repeats):
        p: dict[int, tuple[str, dict[int, Lean]]] = {}
        bp_major: dict[int, str] = {}
        bp_lr: dict[int, str] = {}
        for k, (tr, te) in enumerate(_folds(labels, folds, seed + rep)):
            if progress:
                progress(f"repeat {rep + 1}/{repeats}, fold {k + 1}/{folds}")
            fitted = fit(d, list(tr), seed=seed + rep * 100 + k)
            chosen.append(fitted.info)
            w = fitted.weights()
            for i in te:
                p[int(i)] = quick_outcome(rows[i].scenario, w)
            if baselines:
                _baseline_fold(rows, feats, list(tr), list(te), bp_major, bp_lr, factor_base, factor_base_n, seed + rep)
        preds.append(p)
        base_preds["majority class"].append(bp_major)
        base_preds["logistic regression on the answers"].append(bp_lr)
    head = _summary(list(range(len(rows))), rows, preds)
    # confusion and misses, averaged over repeats
    confusion: dict[str, dict[str, float]] = {o: {lab: 0.0 for lab in LABELS} for o in _EXPECTED}
    misses: dict[str, float] = {o: 0.0 for o in _EXPECTED}
    per_rep = []
    for p in preds:
        hits = 0
        for i in clear_idx:
            label = p[i][0]
            confusion[rows[i].outcome][label] += 1 / repeats
            if label != _EXPECTED[rows[i].outcome]:
                misses[rows[i].outcome] += 1 / repeats
            else:
                hits += 1
        per_rep.append(round(hits / len(clear_idx), 4))
    total_miss = sum(misses.values())
    out: dict[str, Any] = {
        "corpus": "fui",
        "decisions": head["decisions"],
        "encoded": len(rows),
        "skipped": skipped,
        "agreement": head["agreement"],
        "close_calls": head["close_calls"],
        "per_factor": head["per_factor"],
        "per_factor_counts": head["per_factor_counts"],
        "misses_by_outcome": {
            o: {"n": round(misses[o], 1), "share": round(misses[o] / total_miss, 4) if total_miss else 0.0}
            for o in _EXPECTED
        },
        "confusion": {o: {lab: round(v, 1) for lab, v in row.items()} for o, row in confusion.items()},
        "agreement_by_repeat": per_rep,
    }
    # per factor on every decided row (clear, preliminary and mixed), out-of-fold
    f_hit: Counter[int] = Counter()
    f_n: Counter[int] = Counter()
    for p in preds:
        for i, r in enumerate(rows):
            for n, code in r.court_codes().items():
                if code in ("F", "A", "N"):
                    f_n[n] += 1
                    f_hit[n] += _factor_hit(p[i][1][n], code)
    out["per_factor_all_rows"] = {str(n): round(f_hit[n] / f_n[n], 4) for n in (1, 2, 3, 4)}
    out["per_factor_all_rows_counts"] = {str(n): f_n[n] // repeats for n in (1, 2, 3, 4)}
    # baselines, same folds, same encodings
    base: dict[str, float] = {}
    for name, rule in RULES.items():
        base[name] = round(sum(rule(rows[i].scenario) == rows[i].outcome for i in clear_idx) / len(clear_idx), 4)
    if baselines:
        for name, reps in base_preds.items():
            hits = sum(rp[i] == rows[i].outcome for rp in reps for i in clear_idx)
            base[name] = round(hits / (len(clear_idx) * repeats), 4)
        out["baselines_per_factor"] = {
            name: {str(n): round(c[n] / factor_base_n[n], 4) if factor_base_n[n] else None for n in (1, 2, 3, 4)}
            for name, c in factor_base.items()
        }
    out["baselines"] = base
    best = max(base.values()) if base else 0.0
    out["best_baseline"] = {"name": max(base, key=lambda k: base[k]) if base else None, "agreement": best}
    # reference: the same engine with the hand-set priors (nothing fitted)
    prior = [{i: quick_outcome(r.scenario, prior_weights()) for i, r in enumerate(rows)}]
    out["reference_prior_weights"] = _summary(list(range(len(rows))), rows, prior)
    # recognised / unrecognised, preliminary and mixed
    out["recognised"] = _summary([i for i, r in enumerate(rows) if r.encoding.recognised], rows, preds)
    out["unrecognised"] = _summary([i for i, r in enumerate(rows) if not r.encoding.recognised], rows, preds)
    prelim = [i for i, r in enumerate(rows) if r.outcome == "preliminary"]
    directed = [i for i in prelim if rows[i].direction_known]
    stated = {i: str(rows[i].direction_known) for i in directed}
    out["preliminary"] = {
        "decisions": len(prelim),
        "with_a_stated_direction": len(directed),
        "agreement_with_stated_direction": round(
            sum(p[i][0] == _EXPECTED[stated[i]] for p in preds for i in directed) / (len(directed) * repeats),
            4,
        )
        if directed
        else None,
        "labels": _label_counts(prelim, preds),
    }
    mixed = [i for i, r in enumerate(rows) if r.outcome == "mixed"]
    out["mixed"] = {"decisions": len(mixed), "labels": _label_counts(mixed, preds)}
    out["folds"] = {
        "k": folds,
        "repeats": repeats,
        "seeds": [seed + r for r in range(repeats)],
        "stratified_by": "outcome (fair use, not fair use, preliminary, mixed)",
        "inner_folds": 5,
        "what_is_fitted_inside_each_fold": "consideration weights per factor (vs the court's factor findings), "
        "each factor's lean band, the factor weights (vs outcomes), the close-call band; penalty strengths "
        "and bands chosen by inner 5-fold CV",
        "lambdas_chosen": _lambda_counts(chosen),
        "rows_per_fold": round(len(rows) / folds, 1),
    }
    # in-sample, labelled: fitted on every decision, scored on the same decisions
    full = fit(d, list(range(len(rows))), seed=seed)
    wf = full.weights()
    ins = [{i: quick_outcome(r.scenario, wf) for i, r in enumerate(rows)}]
    out["in_sample"] = {
        "label": "IN-SAMPLE (fitted on these same decisions): not a result",
        **_summary(list(range(len(rows))), rows, ins),
    }
    sh = shipped_weights()
    out["shipped_weights_match_a_fresh_fit"] = sh.fitted and _same_weights(sh, wf)
    out["library_overlap"] = _overlap(library_matches())
    out["targets"] = _targets(out)
    _ = np  # numpy is imported for the fit's arrays
    return out


def _same_weights(a: Weights, b: Weights, tol: float = 2e-3) -> bool:
    if set(a.considerations) != set(b.considerations):
        return False
    if any(abs(a.considerations[k] - b.considerations[k]) > tol for k in a.considerations):
        return False
    if any(abs(a.factor_weights[n] - b.factor_weights[n]) > tol for n in (1, 2, 3, 4)):
        return False
    return abs(a.close_call_band - b.close_call_band) <= tol and all(
        abs(a.lean_bands[n][0] - b.lean_bands[n][0]) <= tol for n in (1, 2, 3, 4)
    )


def _label_counts(idx: list[int], preds) -> dict[str, float]:
    c = Counter(p[i][0] for p in preds for i in idx)
    return {lab: round(c[lab] / len(preds), 1) for lab in LABELS}


def _lambda_counts(chosen: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for info in chosen:
        for n, lam in info.get("lambda", {}).items():
            out.setdefault(f"factor {n}", {}).setdefault(str(lam), 0)
            out[f"factor {n}"][str(lam)] += 1
        lam = info.get("lambda_overall")
        out.setdefault("factor weights", {}).setdefault(str(lam), 0)
        out["factor weights"][str(lam)] += 1
    return out


LR_CS = (0.03, 0.1, 0.3, 1.0, 3.0)
"""Penalties the logistic-regression baseline chooses among, by inner 5-fold CV (accuracy)."""


def _baseline_fold(rows, feats, tr, te, bp_major, bp_lr, factor_base, factor_base_n, seed) -> None:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    clear_tr = [i for i in tr if rows[i].clear]
    ys = [rows[i].outcome for i in clear_tr]
    major = Counter(ys).most_common(1)[0][0]
    for i in te:
        bp_major[i] = major
    dv = DictVectorizer(sparse=False)
    X = dv.fit_transform([feats[i] for i in clear_tr])
    # the baseline gets its own inner cross-validation for the penalty, like the engine
    inner = StratifiedKFold(5, shuffle=True, random_state=seed)
    best_c = max(LR_CS, key=lambda c: cross_val_score(LogisticRegression(C=c, max_iter=5000), X, ys, cv=inner).mean())
    lr = LogisticRegression(C=best_c, max_iter=5000).fit(X, ys)
    Xt = dv.transform([feats[i] for i in te])
    for i, yhat in zip(te, lr.predict(Xt)):
        bp_lr[i] = str(yhat)
    # per factor: majority of the court's findings in the training folds, and a logistic regression
    for n in (1, 2, 3, 4):
        tr_n = [i for i in tr if rows[i].court_codes()[n] in ("F", "A", "N")]
        te_n = [i for i in te if rows[i].court_codes()[n] in ("F", "A", "N") and rows[i].clear]
        if not tr_n or not te_n:
            continue
        codes = [rows[i].court_codes()[n] for i in tr_n]
        maj = Counter(codes).most_common(1)[0][0]
        dvn = DictVectorizer(sparse=False)
        Xn = dvn.fit_transform([feats[i] for i in tr_n])
        m = LogisticRegression(C=best_c, max_iter=5000).fit(Xn, codes)  # the outcome model's penalty
        pred = m.predict(dvn.transform([feats[i] for i in te_n]))
        for i, yhat in zip(te_n, pred):
            code = rows[i].court_codes()[n]
            factor_base_n[n] += 1
            factor_base["majority"][n] += maj == code
            factor_base["logistic regression"][n] += str(yhat) == code
    _ = np


def _overlap(matches) -> list[dict[str, Any]]:
    """Where the blind FUI encoding and the library's hand encoding of one decision differ."""
    cases = load_cases()
    fields = [
        "use.commercial",
        "use.purposes",
        "use.targets_source",
        "use.same_purpose_as_source",
        "use.new_expression",
        "use.amount_reasonable",
        "use.portion",
        "use.heart_taken",
        "source.nature",
        "source.published",
        "market.substitutes",
        "market.harm_evidence",
        "market.licensing_market",
        "market.derivative_market",
    ]
    out = []
    for row, cid, how in matches:
        case = cases[cid]
        diffs = {}
        for f in fields:
            a, b = _g(row.scenario, f), _g(case.scenario, f)
            if isinstance(a, list):
                a, b = sorted(a), sorted(b)
            if a in (None, "unknown") or b in (None, "unknown"):  # "not known" is no answer to compare
                continue
            if a != b:
                diffs[f] = {"fui": a, "library": b}
        court_fui = row.court_codes()
        court_lib = case.factors.model_dump()
        fdiff = {
            str(n): {"fui": court_fui[n], "library": court_lib[f"f{n}"]}
            for n in (1, 2, 3, 4)
            if court_fui[n] != court_lib[f"f{n}"]
        }
        out.append(
            {
                "row": row.row,
                "case_id": cid,
                "matched_by": how,
                "outcome": {"fui": row.outcome, "library": case.outcome},
                "answers_differ": diffs,
                "court_findings_differ": fdiff,
            }
        )
    return out


def _targets(v: dict[str, Any]) -> dict[str, Any]:
    t = FUI_TARGETS
    best = v["best_baseline"]["agreement"]
    shares = [m["share"] for m in v["misses_by_outcome"].values()]
    per = [x for x in v["per_factor"].values() if x is not None]
    return {
        "agreement >= 90%": v["agreement"] >= t["agreement"],
        "close calls <= 5%": v["close_calls"] <= t["close_calls"],
        "each factor >= 85%": bool(per) and min(per) >= t["per_factor"],
        "5 points above the best baseline": v["agreement"] >= best + t["above_best_baseline"],
        "misses no worse than 60/40": bool(shares) and max(shares) <= t["miss_split"],
    }


def format_fui(v: dict[str, Any]) -> str:
    pct = lambda x: "n/a" if x is None else f"{x:.1%}"  # noqa: E731
    f = v["folds"]
    lines = [
        "Four-factor engine against the Fair Use Index (encoded blind from the stripped key facts)",
        f"  decisions encoded: {v['encoded']} (skipped as too thin: {len(v['skipped'])}); clear outcomes scored: {v['decisions']}",
        f"  OUT-OF-FOLD: {f['k']}-fold stratified cross-validation x {f['repeats']} repeats (seeds {f['seeds'][0]}..{f['seeds'][-1]});",
        "  weights, lean bands and factor weights fitted inside each fold on the other folds only",
        f"  agreement with the courts: {pct(v['agreement'])} (target >= 90%; by repeat "
        + ", ".join(pct(x) for x in v["agreement_by_repeat"])
        + ")",
        f"  close calls: {pct(v['close_calls'])} (target <= 5%)",
        "",
        "Baselines (same folds, same encodings)",
    ]
    for name, a in sorted(v["baselines"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {name:<60} {pct(a)}")
    lines.append(
        f"  engine minus best baseline: {(v['agreement'] - v['best_baseline']['agreement']) * 100:+.1f} points (target >= +5)"
    )
    ref = v["reference_prior_weights"]
    lines.append(
        f"  reference: the engine with the hand-set priors, nothing fitted: {pct(ref['agreement'])}, close calls {pct(ref['close_calls'])}"
    )
    lines += ["", "Confusion matrix, out-of-fold, mean over repeats (rows: court; columns: engine)"]
    lines.append(f"  {'':16}{'leans fair':>12}{'close call':>12}{'leans against':>15}")
    for o, row in v["confusion"].items():
        lines.append(f"  {o:16}{row['leans_fair_use']:>12.1f}{row['close_call']:>12.1f}{row['leans_against']:>15.1f}")
    m = v["misses_by_outcome"]
    lines.append(
        f"  misses by the court's outcome: fair use {m['fair_use']['n']:.1f} ({pct(m['fair_use']['share'])}), "
        f"not fair use {m['not_fair_use']['n']:.1f} ({pct(m['not_fair_use']['share'])}) (target: no worse than 60/40)"
    )
    lines += ["", "Each factor, where the court decided it (out-of-fold; clear outcomes | every decided row)"]
    bpf = v.get("baselines_per_factor", {})
    for n in ("1", "2", "3", "4"):
        extra = "; ".join(f"{name} {pct(x[n])}" for name, x in bpf.items())
        lines.append(
            f"  factor {n}: {pct(v['per_factor'][n])} of {v['per_factor_counts'][n]} | {pct(v['per_factor_all_rows'][n])} of "
            f"{v['per_factor_all_rows_counts'][n]}" + (f"   (baselines: {extra})" if extra else "")
        )
    for key, title in (("recognised", "recognised by the reader"), ("unrecognised", "not recognised by the reader")):
        s = v[key]
        if s.get("decisions"):
            lines.append(
                f"  {title}: {s['decisions']} clear outcomes, agreement {pct(s['agreement'])}, close calls {pct(s['close_calls'])}; "
                "factors " + ", ".join(pct(s["per_factor"][n]) for n in ("1", "2", "3", "4"))
            )
    p = v["preliminary"]
    lines += [
        "",
        f"Preliminary rulings: {p['decisions']} ({p['with_a_stated_direction']} state a direction; engine agrees with it "
        f"{pct(p['agreement_with_stated_direction'])}); labels {p['labels']}",
        f"Mixed results: {v['mixed']['decisions']}; labels {v['mixed']['labels']}",
    ]
    ins = v["in_sample"]
    lines += [
        "",
        f"{ins['label']}: agreement {pct(ins['agreement'])}, close calls {pct(ins['close_calls'])}, factors "
        + ", ".join(pct(ins["per_factor"][n]) for n in ("1", "2", "3", "4")),
        f"Shipped weights (data/weights.yaml) equal a fresh fit on all decisions: {'yes' if v['shipped_weights_match_a_fresh_fit'] else 'NO'}",
    ]
    ov = v["library_overlap"]
    differ = [
        o
        for o in ov
        if o["answers_differ"] or o["court_findings_differ"] or o["outcome"]["fui"] != o["outcome"]["library"]
    ]
    lines += ["", f"Also in the case library: {len(ov)} decisions; the two encodings differ on {len(differ)}:"]
    for o in differ:
        bits = [f"{k.split('.')[-1]} {x['fui']}/{x['library']}" for k, x in o["answers_differ"].items()]
        bits += [f"court f{k} {x['fui']}/{x['library']}" for k, x in o["court_findings_differ"].items()]
        if o["outcome"]["fui"] != o["outcome"]["library"]:
            bits.insert(0, f"outcome {o['outcome']['fui']}/{o['outcome']['library']}")
        lines.append(f"  row {o['row']:>3} {o['case_id']}: " + "; ".join(bits) + "  (fui/library)")
    lines += ["", "Targets (issue 9)"]
    for name, ok in v["targets"].items():
        lines.append(f"  {name}: {'met' if ok else 'NOT met'}")
    return "\n".join(lines)


def run_validation_cli(
    corpus: str = "library",
    json_path=None,
    folds: int = DEFAULT_FOLDS,
    repeats: int = DEFAULT_REPEATS,
    seed: int = DEFAULT_SEED,
) -> int:
    """``fairuse validate [--corpus library|fui] [--json FILE]``: print (and write) the figures.

    Exit 0 when the corpus's targets are met, 1 when not (the figures are printed either way).
    """
    from analysis.output import check_writable, write_output

    if json_path:
        check_writable(json_path)
    if corpus == "fui":
        import sys

        v = cross_validate_fui(
            folds=folds, repeats=repeats, seed=seed, progress=lambda m: print(f"  {m}", end="\r", file=sys.stderr)
        )
        print(" " * 40, end="\r", file=sys.stderr)
        if json_path:
            write_output(json_path, json.dumps(v, indent=2, ensure_ascii=False))
        print(format_fui(v))
        if json_path:
            print(f"\nFigures written to {json_path}")
        return 0 if all(v["targets"].values()) else 1
    lib = validate_library()
    if lib.cases_total == 0:
        print("No cases in the library (analysis/assess/data/cases/).")
        return 1
    stress = validate_library(withhold=CONCLUSORY_ANSWERS)
    if json_path:
        write_output(json_path, json.dumps(library_json(lib, stress), indent=2, ensure_ascii=False))
    print(format_validation(lib))
    print("")
    from analysis.assess.questionnaire import load_questionnaire

    qn = load_questionnaire()
    withheld = [q.short.lower() if (q := qn.by_field(f)) else f for f in CONCLUSORY_ANSWERS]
    print("Stress test: the same cases with the answers closest to a court's conclusion withheld")
    print("  (" + "; ".join(withheld) + ")")
    print(
        f"  agreement {stress.agreed}/{stress.clear_cases} = {stress.agreement:.1%} (target > {TARGET_STRESS:.0%}); "
        f"close calls {stress.close_calls} = {stress.close_call_rate:.1%}; "
        f"wrong way {stress.clear_cases - stress.agreed - stress.close_calls}"
    )
    if json_path:
        print(f"\nFigures written to {json_path}")
    return 0 if lib.meets_target and stress.agreement > TARGET_STRESS else 1
