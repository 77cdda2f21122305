"""The third blind pass: do two questions on balance carry what the questionnaire misses?

Readers' own verdicts from the facts agree with the courts far more often than the engine does
from the questionnaire's answers (``benchmarks/fui_verdicts.py``). The third pass asked two
questions that might carry the difference (``benchmarks/fui/ENCODER_FACTS_3.md``, committed
before any reader answered it): what the use is **mainly for** where its purposes overlap the
source's (``purpose_balance``), and whether uses like it, **if they became common**, would take
the source's place (``would_replace``). Two readers per decision (``readings/pass3/C`` and
``readings/pass3/D``), each from the stripped facts alone.

This script measures, on the development decisions only (the lockbox never scored), how much
the answers add to the logistic regression on the answers (the issue's strongest baseline),
with its penalty chosen by an inner 5-fold CV inside each outer fold: the questionnaire's
answers alone, with the two answers on balance, and the two answers alone; from the shipped
reading and from readings A and B. It also prints how often the two third-pass readers agree.
The engine's own dev CV with the answers needs a variant applied (``benchmarks/fui/variants/``;
``benchmarks/fui_dev_cv.py --pass3``); its figures are in ``benchmarks/fui/PROTOCOL.md``.

Run: ``.venv/bin/python benchmarks/fui_third_pass.py [--repeats 5]``. Skips cleanly when the
third-pass answers are absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASS3 = ROOT / "benchmarks" / "fui" / "readings" / "pass3"
FIELDS = ("purpose_balance", "would_replace")


def third_pass(reader: str) -> dict[int, dict[str, Any]]:
    """One third-pass reader's entries by row (row, recognised, purpose_balance, would_replace, note)."""
    from benchmarks.fui_readers import batches_by_row

    return batches_by_row(PASS3 / reader)


def features(row: Any, extra: dict[str, Any] | None, answers: bool = True) -> dict[str, float]:
    """The regression's one-hot features: the questionnaire's answers and the third pass's."""
    from analysis.assess.validate import answer_features

    out = answer_features(row.scenario) if answers else {}
    for k in FIELDS:
        v = (extra or {}).get(k)
        if v is not None:
            out[f"pass3.{k}={v}"] = 1.0
    return out


def nested_lr(X_rows: list[dict[str, float]], ys: list[str], repeats: int) -> float:
    """Out-of-fold accuracy of the regression, 10-fold x ``repeats``, its C by inner 5-fold CV."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    from analysis.assess.validate import DEFAULT_SEED, LR_CS

    accs = []
    for rep in range(repeats):
        inner = StratifiedKFold(5, shuffle=True, random_state=DEFAULT_SEED + rep)
        outer = StratifiedKFold(10, shuffle=True, random_state=DEFAULT_SEED + rep)
        model = GridSearchCV(
            make_pipeline(DictVectorizer(sparse=False), LogisticRegression(max_iter=5000)),
            {"logisticregression__C": list(LR_CS)},
            cv=inner,
        )
        accs.append(float(cross_val_score(model, X_rows, ys, cv=outer).mean()))
    return statistics.mean(accs)


def reader_agreement(a: dict[int, dict[str, Any]], b: dict[int, dict[str, Any]]) -> dict[str, tuple[float, int]]:
    out = {}
    for k in FIELDS:
        both = [(a[r].get(k), b[r].get(k)) for r in a if r in b and a[r].get(k) is not None and b[r].get(k) is not None]
        out[k] = (sum(x == y for x, y in both) / len(both), len(both))
    return out


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.corpus import load_fui
    from benchmarks.fui_lockbox import lockbox_rows
    from benchmarks.fui_readers import as_rows, new_sheets

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    readers = {r: p for r in ("C", "D") if (p := third_pass(r))}
    if not readers:
        print(f"no third-pass answers in {PASS3}: nothing to measure")
        return 0
    if len(readers) == 2:
        for k, (agree, n) in reader_agreement(readers["C"], readers["D"]).items():
            print(f"third-pass readers C and D agree on {k}: {agree:.1%} of {n} decisions both answered")
    lock = lockbox_rows()
    encodings: dict[str, list[Any]] = {"first": list(load_fui())}
    for name in ("A", "B"):
        sheets = new_sheets(name)
        if sheets:
            encodings[name] = as_rows(sheets)[0]
    print(
        f"\nLogistic regression on the development decisions (clear outcomes), out of fold, 10-fold x {args.repeats},"
        " its penalty by inner 5-fold CV"
    )
    print(
        f"  {'reading':<8} {'answers alone':>14}" + "".join(f"{'+ pass3 ' + r:>14}{r + ' alone':>12}" for r in readers)
    )
    for name, rows in encodings.items():
        dev = [r for r in rows if not r.encoding.thin and r.clear and r.row not in lock]
        ys = [r.outcome for r in dev]
        cells = [nested_lr([features(r, None) for r in dev], ys, args.repeats)]
        for p in readers.values():
            cells.append(nested_lr([features(r, p.get(r.row)) for r in dev], ys, args.repeats))
            cells.append(nested_lr([features(r, p.get(r.row), answers=False) for r in dev], ys, args.repeats))
        print(
            f"  {name:<8} {cells[0]:>14.1%}"
            + "".join(f"{a:>14.1%}{b:>12.1%}" for a, b in zip(cells[1::2], cells[2::2]))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
