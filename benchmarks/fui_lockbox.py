"""The lockbox: Fair Use Index decisions set aside before the engine's structure was revised.

``benchmarks/fui/lockbox.txt`` lists a stratified 25 % of the non-thin decisions, chosen (and
committed) before any consideration or rule was written or changed for issue 9. While the
structure was developed, only the other 75 % were looked at (cross-validated within
themselves). This script fits the weights with the full procedure on those other decisions
only and scores the lockbox once, beside the baselines trained on the same decisions. It is
the one figure here that no structural choice saw.

Run: ``.venv/bin/python benchmarks/fui_lockbox.py [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

LOCKBOX = Path(__file__).resolve().parent / "fui" / "lockbox.txt"
EXPECTED = {"fair_use": "leans_fair_use", "not_fair_use": "leans_against"}


def lockbox_rows() -> set[int]:
    return {
        int(x)
        for x in LOCKBOX.read_text(encoding="utf-8").split()
        if x.strip() and not x.startswith("#") and x.isdigit()
    }


def score_lockbox(corpus_rows=None) -> dict:
    """Weights fitted on the development decisions, the lockbox's clear outcomes scored once,
    beside the baselines trained on the same decisions. ``corpus_rows`` (``FuiRow``s) replaces
    the shipped encodings (another reading of the same facts, ``benchmarks/fui_readers.py``)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from analysis.assess.corpus import load_fui
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import design, fit
    from analysis.assess.validate import DEFAULT_SEED, LR_CS, RULES, _summary, answer_features

    lock = lockbox_rows()
    rows = [r for r in (load_fui() if corpus_rows is None else corpus_rows) if not r.encoding.thin]
    dev = [i for i, r in enumerate(rows) if r.row not in lock]
    test = [i for i, r in enumerate(rows) if r.row in lock and r.clear]
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    w = fit(d, dev, seed=DEFAULT_SEED).weights()
    preds = {i: quick_outcome(rows[i].scenario, w) for i in test}
    # scored as `fairuse validate --corpus fui` scores its folds (the same summary)
    s = _summary(test, rows, [preds])
    misses: Counter[str] = Counter(rows[i].outcome for i in test if preds[i][0] != EXPECTED[rows[i].outcome])
    base = {
        name: sum(rule(rows[i].scenario) == rows[i].outcome for i in test) / len(test) for name, rule in RULES.items()
    }
    dev_clear = [i for i in dev if rows[i].clear]
    ys = [rows[i].outcome for i in dev_clear]
    base["majority class"] = sum(Counter(ys).most_common(1)[0][0] == rows[i].outcome for i in test) / len(test)
    dv = DictVectorizer(sparse=False)
    X = dv.fit_transform([answer_features(rows[i].scenario) for i in dev_clear])
    inner = StratifiedKFold(5, shuffle=True, random_state=DEFAULT_SEED)
    c = max(LR_CS, key=lambda c: cross_val_score(LogisticRegression(C=c, max_iter=5000), X, ys, cv=inner).mean())
    lr = LogisticRegression(C=c, max_iter=5000).fit(X, ys)
    pred = lr.predict(dv.transform([answer_features(rows[i].scenario) for i in test]))
    base["logistic regression on the answers"] = sum(p == rows[i].outcome for p, i in zip(pred, test)) / len(test)
    out = {
        "lockbox_clear_decisions": len(test),
        "trained_on": len(dev),
        "agreement": s["agreement"],
        "close_calls": s["close_calls"],
        "per_factor": s["per_factor"],
        "per_factor_counts": s["per_factor_counts"],
        "misses_by_outcome": {o: misses[o] for o in EXPECTED},
        "baselines": {k: round(v, 4) for k, v in base.items()},
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    out = score_lockbox()
    print(
        f"Lockbox: {out['lockbox_clear_decisions']} clear-outcome decisions never looked at while the structure was written;"
    )
    print(f"  weights fitted on the other {out['trained_on']} decisions only")
    print(
        f"  agreement {out['agreement']:.1%}, close calls {out['close_calls']:.1%}, misses {out['misses_by_outcome']}"
    )
    print(
        "  factors "
        + ", ".join(
            f"{n}: {(out['per_factor'][str(n)] or 0.0):.1%} of {out['per_factor_counts'][str(n)]}" for n in (1, 2, 3, 4)
        )
    )
    for name, a in sorted(out["baselines"].items(), key=lambda kv: -kv[1]):
        print(f"  baseline {name:<60} {a:.1%}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
