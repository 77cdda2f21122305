"""Dev CV on the Fair Use Index: the development decisions only (the lockbox is never loaded
into a score). 10-fold stratified CV, ``fit`` inside each fold; prints out-of-fold agreement on
clear outcomes and per-factor agreement where the court decided.

``--reading A`` (or ``B``) assesses from another blind reading's answers
(``benchmarks/fui/readings/``) instead of the shipped encodings. ``--pass3 D`` adds that
third-pass reader's two answers on balance (``benchmarks/fui/readings/pass3/D/``); the engine
does not read them, so it needs a variant from ``benchmarks/fui/variants/`` applied first (the
fifth round of ``benchmarks/fui/PROTOCOL.md``). ``--drop use.purpose_balance`` (repeatable) removes an answer from every
decision first: the structure without it, on the same folds.

Run: ``python benchmarks/fui_dev_cv.py [--repeats N] [--folds K] [--reading A] [--pass3 D] [--drop FIELD]``.
"""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks.fui_lockbox import lockbox_rows


def _without(row: Any, fields: list[str], pass3: dict[int, dict] | None) -> Any:
    """``row`` with the answers ``fields`` removed and, given ``pass3``, its third pass replaced."""
    if not fields and pass3 is None:
        return row
    from analysis.assess.scenario import Scenario

    sc = row.scenario.model_dump(mode="json", exclude_none=True)
    if pass3 is not None:
        import scripts.fui_third_pass as third

        for field, part in third.THIRD_PASS_FIELDS.items():
            sc.get(part, {}).pop(field, None)
        if row.row in pass3:
            sc = third.merge(sc, pass3[row.row])
    for path in fields:
        part, _, leaf = path.partition(".")
        sc.get(part, {}).pop(leaf, None)
    return row.model_copy(update={"scenario": Scenario.model_validate(sc)})


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.corpus import load_fui
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import _folds, design, fit
    from analysis.assess.validate import DEFAULT_SEED, _summary

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--reading", default=None, help="assess from this blind reading (A, B) instead of the shipped one")
    ap.add_argument("--pass3", default=None, help="this third-pass reader's answers on balance instead of the shipped")
    ap.add_argument("--drop", action="append", default=[], help="an answer to remove from every decision")
    args = ap.parse_args(argv)
    lock = lockbox_rows()
    corpus: list[Any] = list(load_fui())
    if args.reading:
        from benchmarks.fui_readers import as_rows, new_sheets

        corpus = as_rows(new_sheets(args.reading))[0]
    pass3 = None
    if args.pass3:
        try:
            import scripts.fui_third_pass as third
        except ModuleNotFoundError:
            print(
                "--pass3 needs the third pass's fields and merge script: apply a patch from"
                " benchmarks/fui/variants/ first (benchmarks/fui/PROTOCOL.md, fifth round)"
            )
            return 2
        pass3 = third.third_pass(args.pass3)
    rows = [_without(r, args.drop, pass3) for r in corpus if not r.encoding.thin and r.row not in lock]
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    labels = [r.outcome for r in rows]
    agree = []
    for rep in range(args.repeats):
        preds = {}
        for k, (tr, te) in enumerate(_folds(labels, args.folds, DEFAULT_SEED + rep)):
            w = fit(d, list(tr), seed=DEFAULT_SEED + rep * 100 + k).weights()
            preds.update({int(i): quick_outcome(rows[int(i)].scenario, w) for i in te})
        # scored as `fairuse validate --corpus fui` scores its folds (the same summary)
        s = _summary(list(range(len(rows))), rows, [preds])
        agree.append(s["agreement"])
        pf = " / ".join(f"{100 * s['per_factor'][str(f)]:.1f}" for f in (1, 2, 3, 4))
        print(
            f"repeat {rep + 1}: dev CV {100 * s['agreement']:.1f} % of {s['decisions']}, "
            f"close {100 * s['close_calls']:.1f} %, factors {pf}"
        )
    if args.repeats > 1:
        print(f"mean over {args.repeats} repeats: {100 * sum(agree) / len(agree):.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
