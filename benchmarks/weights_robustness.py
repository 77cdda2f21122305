"""How much do the figures depend on the fitting procedure's choices?

The shipped weights come from a procedure (``analysis.assess.fit``): penalties chosen by inner
cross-validation, factor weights kept in the empirical record's order, the strong band chosen
by inner cross-validation. This script runs the same repeated stratified k-fold on the Fair
Use Index corpus with variants of that procedure (a fixed penalty, no order constraint, a
fixed strong band, equal factor weights, the hand-set priors) and prints each variant's
out-of-fold agreement and close-call rate beside the shipped procedure's, computed in the same
run on the same folds, plus the case-library agreement of each variant fitted on all decisions.
Nothing here changes the shipped weights; a variant that scored better here would not be
adopted on this evidence alone (that would be choosing on the figures being reported).

Run: ``.venv/bin/python benchmarks/weights_robustness.py [--folds 10] [--repeats 2]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable

EXPECTED = {"fair_use": "leans_fair_use", "not_fair_use": "leans_against"}


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.corpus import load_fui
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import LAMBDAS, _folds, design, fit
    from analysis.assess.validate import DEFAULT_SEED, validate_library
    from analysis.assess.weights import Weights, prior_weights

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args(argv)
    rows = [r for r in load_fui() if not r.encoding.thin]
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    labels = [r.outcome for r in rows]

    def equal(w: Weights) -> Weights:
        m = sum(w.factor_weights.values()) / 4
        return dataclasses.replace(w, factor_weights={n: m for n in (1, 2, 3, 4)})

    def fixed(lam: float) -> Callable[[list[int], int], Weights]:
        return lambda tr, seed: fit(d, tr, seed, lambdas=(lam,)).weights()

    variants: dict[str, Callable[[list[int], int], Weights]] = {
        "shipped procedure": lambda tr, seed: fit(d, tr, seed).weights(),
        **{f"penalty fixed at {lam}": fixed(lam) for lam in LAMBDAS},
        "penalty 1000 (the priors, rescaled)": lambda tr, seed: fit(d, tr, seed, lambdas=(1000.0,)).weights(),
        "factor weights not kept in order": lambda tr, seed: fit(d, tr, seed, ordered=False).weights(),
        "strong band fixed at 90 %": lambda tr, seed: fit(d, tr, seed, strong_grid=(0.9,)).weights(),
        "equal factor weights (the arithmetic Patton rejected)": lambda tr, seed: equal(fit(d, tr, seed).weights()),
        "hand-set priors, nothing fitted": lambda tr, seed: prior_weights(),
    }
    clear = [i for i, r in enumerate(rows) if r.clear]
    print(
        f"Out-of-fold on {len(clear)} clear FUI outcomes ({args.folds}-fold x {args.repeats}, the same folds for every variant)"
    )
    for name, make in variants.items():
        t = time.perf_counter()
        agree = close = n = 0
        for rep in range(args.repeats):
            for k, (tr, te) in enumerate(_folds(labels, args.folds, DEFAULT_SEED + rep)):
                w = make(list(tr), DEFAULT_SEED + rep * 100 + k)
                for i in te:
                    if not rows[i].clear:
                        continue
                    label, _ = quick_outcome(rows[i].scenario, w)
                    n += 1
                    agree += label == EXPECTED[rows[i].outcome]
                    close += label == "close_call"
        lib = validate_library(weights=make(list(range(len(rows))), DEFAULT_SEED))
        print(
            f"  {name:<56} agreement {agree / n:6.1%}  close calls {close / n:6.1%}   "
            f"library {lib.agreement:6.1%}   ({time.perf_counter() - t:.0f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
