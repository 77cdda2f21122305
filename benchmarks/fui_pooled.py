"""Fit on every blind reading at once: the readings as repeated measurements of one decision.

``benchmarks/fui_readers.py`` fits the engine on one reading and assesses each held-out
decision from another reader's answers. Here the weights are fitted on **all three readings
of the training decisions together** (first, A, B: three rows per decision, kept in the same
inner fold by ``fit``'s grouped folds, so no decision is on both sides of an inner split), and
each held-out decision is assessed from each reading's answers, as a new user would answer.

The same run gives, on the same outer folds (10-fold stratified x repeats, seeds as
``fairuse validate --corpus fui``):

- the engine fitted on one reading (each of first, A, B) and assessed from each reading;
- the engine fitted on the pooled readings, assessed from each reading;
- the logistic regression on the answers (the issue's baseline), fitted on one reading or on
  the pooled readings (its penalty by inner 5-fold CV, grouped by decision), assessed from
  each reading.

``--dev`` restricts everything to the development decisions (the lockbox never loaded into a
score): the figures a choice may be made on. Pooling was not kept (it did not raise dev CV), so
the lockbox is not scored with it.

Run: ``.venv/bin/python benchmarks/fui_pooled.py [--dev] [--repeats 5] [--json FILE]``.
Skips cleanly when the readings are absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

READINGS = ("first", "A", "B")


def readings() -> dict[str, list[Any]] | None:
    """Each reading's corpus rows (``FuiRow``s, the shipped order), or None without the readings."""
    from benchmarks.fui_readers import NEW_READERS, as_rows, first_readings, new_readings, new_sheets

    if not all(new_readings(n) for n in NEW_READERS):
        return None
    return {name: as_rows(first_readings() if name == "first" else new_sheets(name))[0] for name in READINGS}


def _design(encodings: dict[str, list[Any]], names: Sequence[str], keep: list[int]):
    """One design over the readings ``names``: row ``r * len(keep) + j`` is reading ``names[r]``
    of decision ``keep[j]``; the key is the decision's, so ``fit`` groups its readings."""
    from analysis.assess.fit import design

    items = []
    for name in names:
        rows = encodings[name]
        items += [(f"fui-{rows[i].row:03d}", rows[i].scenario, rows[i].outcome, rows[i].court_codes()) for i in keep]
    return design(items)


def _lr_predict(encodings, names, keep, tr: list[int], te: list[int], seed: int) -> dict[str, dict[int, str]]:
    """The logistic-regression baseline fitted on readings ``names`` of the decisions ``tr``
    (positions in ``keep``), predicting each reading of the decisions ``te``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_score

    from analysis.assess.validate import LR_CS, answer_features

    X_rows, ys, groups = [], [], []
    for name in names:
        rows = encodings[name]
        for j in tr:
            r = rows[keep[j]]
            if r.clear:
                X_rows.append(answer_features(r.scenario))
                ys.append(r.outcome)
                groups.append(r.row)
    dv = DictVectorizer(sparse=False)
    X = dv.fit_transform(X_rows)
    inner = StratifiedGroupKFold(5, shuffle=True, random_state=seed)
    best_c = max(
        LR_CS,
        key=lambda c: cross_val_score(LogisticRegression(C=c, max_iter=5000), X, ys, cv=inner, groups=groups).mean(),
    )
    lr = LogisticRegression(C=best_c, max_iter=5000).fit(X, ys)
    out: dict[str, dict[int, str]] = {}
    for name, rows in encodings.items():
        pred = lr.predict(dv.transform([answer_features(rows[keep[j]].scenario) for j in te]))
        out[name] = {j: str(p) for j, p in zip(te, pred)}
    return out


def run(encodings: dict[str, list[Any]], keep: list[int], repeats: int) -> dict[str, Any]:
    """Out-of-fold figures over the decisions ``keep`` (positions in the shipped corpus)."""
    from analysis.assess.fit import _folds
    from analysis.assess.validate import DEFAULT_FOLDS, DEFAULT_SEED, _summary
    from benchmarks.fui_readers import out_of_fold

    base = encodings["first"]
    rows = [base[i] for i in keep]
    labels = [r.outcome for r in rows]
    clear = [j for j, r in enumerate(rows) if r.clear]
    n = len(keep)
    scenarios = {a: [encodings[a][i].scenario for i in keep] for a in READINGS}
    fits: dict[str, tuple[str, ...]] = {name: (name,) for name in READINGS}
    fits["pooled"] = READINGS
    out: dict[str, Any] = {"decisions": len(clear), "repeats": repeats, "engine": {}, "logistic_regression": {}}
    for f, names in fits.items():

        def readings_of(tr: Sequence[int], names: tuple[str, ...] = names) -> list[int]:
            return [r * n + int(j) for r in range(len(names)) for j in tr]

        eng = out_of_fold(_design(encodings, names, keep), labels, scenarios, repeats, readings_of)
        hits: dict[str, int] = {a: 0 for a in READINGS}
        for rep in range(repeats):
            for tr, te in _folds(labels, DEFAULT_FOLDS, DEFAULT_SEED + rep):
                lp = _lr_predict(encodings, names, keep, [int(j) for j in tr], [int(j) for j in te], DEFAULT_SEED + rep)
                for a in READINGS:
                    hits[a] += sum(lp[a][j] == rows[j].outcome for j in lp[a] if rows[j].clear)
        # every reading is scored against the same court outcomes and findings (the first's rows)
        out["engine"][f] = {a: _summary(list(range(n)), rows, eng[a]) for a in READINGS}
        out["logistic_regression"][f] = {a: round(hits[a] / (len(clear) * repeats), 4) for a in READINGS}
    return out


def _table(res: dict[str, Any], title: str) -> None:
    print(f"\n{title}: {res['decisions']} clear outcomes")
    print("  fitted on        assessed from:" + "".join(f"{a:>22}" for a in READINGS) + "      mean")
    for f, by in res["engine"].items():
        cells = [by[a]["agreement"] for a in READINGS]
        print(f"  engine, {f:<24}" + "".join(f"{c:>22.1%}" for c in cells) + f"{sum(cells) / len(cells):>10.1%}")
    for f, by in res["logistic_regression"].items():
        cells = [by[a] for a in READINGS]
        print(f"  LR,     {f:<24}" + "".join(f"{c:>22.1%}" for c in cells) + f"{sum(cells) / len(cells):>10.1%}")
    print("  engine factors 1 / 2 / 3 / 4 (pooled fit), by reading:")
    for a in READINGS:
        pf = res["engine"]["pooled"][a]["per_factor"]
        print(f"    {a:<8}" + " / ".join(f"{(pf[k] or 0):.1%}" for k in ("1", "2", "3", "4")))


def main(argv: list[str] | None = None) -> int:
    from benchmarks.fui_lockbox import lockbox_rows

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--dev", action="store_true", help="development decisions only (no lockbox row scored)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    enc = readings()
    if enc is None:
        print("the blind readings A and B are absent: nothing to pool")
        return 0
    base = enc["first"]
    out: dict[str, Any] = {}
    lock = lockbox_rows() if args.dev else set()
    keep = [i for i, r in enumerate(base) if not r.encoding.thin and r.row not in lock]
    key = "dev_cv" if args.dev else "out_of_fold"
    out[key] = run(enc, keep, args.repeats)
    _table(out[key], ("Dev CV (development decisions only)" if args.dev else "Whole corpus, out of fold"))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
