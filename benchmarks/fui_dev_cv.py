"""Dev CV on the Fair Use Index: the development decisions only (the lockbox is never loaded
into a score). 10-fold stratified CV, ``fit`` inside each fold; prints out-of-fold agreement on
clear outcomes and per-factor agreement where the court decided.

Run: ``python benchmarks/fui_dev_cv.py [--repeats N] [--folds K]``.
"""

from __future__ import annotations

import argparse
from collections import Counter

from benchmarks.fui_lockbox import EXPECTED, lockbox_rows


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.corpus import load_fui
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import _folds, design, fit
    from analysis.assess.models import LEAN_VALUE
    from analysis.assess.validate import DEFAULT_SEED

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--folds", type=int, default=10)
    args = ap.parse_args(argv)
    lock = lockbox_rows()
    rows = [r for r in load_fui() if not r.encoding.thin and r.row not in lock]
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    sign = {lean: "F" if v > 0 else "A" if v < 0 else "N" for lean, v in LEAN_VALUE.items()}
    labels = [r.outcome for r in rows]
    for rep in range(args.repeats):
        agree = n = close = 0
        f_hit: Counter[int] = Counter()
        f_n: Counter[int] = Counter()
        for k, (tr, te) in enumerate(_folds(labels, args.folds, DEFAULT_SEED + rep)):
            w = fit(d, list(tr), seed=DEFAULT_SEED + rep * 100 + k).weights()
            for i in te:
                r = rows[int(i)]
                if not r.clear:
                    continue
                label, leans = quick_outcome(r.scenario, w)
                n += 1
                agree += label == EXPECTED[r.outcome]
                close += label == "close_call"
                for f, code in r.court_codes().items():
                    if code in ("F", "A", "N"):
                        f_n[f] += 1
                        f_hit[f] += sign[leans[f]] == code
        pf = " / ".join(f"{100 * f_hit[f] / f_n[f]:.1f}" for f in (1, 2, 3, 4))
        print(f"repeat {rep + 1}: dev CV {100 * agree / n:.1f} % of {n}, close {100 * close / n:.1f} %, factors {pf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
