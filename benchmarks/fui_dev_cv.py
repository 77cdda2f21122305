"""Dev CV on the Fair Use Index: the development decisions only (the lockbox is never loaded
into a score). 10-fold stratified CV, ``fit`` inside each fold; prints out-of-fold agreement on
clear outcomes and per-factor agreement where the court decided.

Run: ``python benchmarks/fui_dev_cv.py [--repeats N] [--folds K]``.
"""

from __future__ import annotations

import argparse

from benchmarks.fui_lockbox import lockbox_rows


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.corpus import load_fui
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import _folds, design, fit
    from analysis.assess.validate import DEFAULT_SEED, _summary

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--folds", type=int, default=10)
    args = ap.parse_args(argv)
    lock = lockbox_rows()
    rows = [r for r in load_fui() if not r.encoding.thin and r.row not in lock]
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    labels = [r.outcome for r in rows]
    for rep in range(args.repeats):
        preds = {}
        for k, (tr, te) in enumerate(_folds(labels, args.folds, DEFAULT_SEED + rep)):
            w = fit(d, list(tr), seed=DEFAULT_SEED + rep * 100 + k).weights()
            preds.update({int(i): quick_outcome(rows[int(i)].scenario, w) for i in te})
        # scored as `fairuse validate --corpus fui` scores its folds (the same summary)
        s = _summary(list(range(len(rows))), rows, [preds])
        pf = " / ".join(f"{100 * s['per_factor'][str(f)]:.1f}" for f in (1, 2, 3, 4))
        print(
            f"repeat {rep + 1}: dev CV {100 * s['agreement']:.1f} % of {s['decisions']}, "
            f"close {100 * s['close_calls']:.1f} %, factors {pf}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
