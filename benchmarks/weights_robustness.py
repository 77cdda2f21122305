"""How much do the validation figures depend on the hand-set weights in data/weights.yaml?

The weights are not fitted (so validation needs no leave-one-out). This script varies each
factor weight and the close-call band around the shipped values and re-scores the library,
printing the range of agreement and close-call rates next to the shipped figures (the
baseline, computed in the same run). Run: ``.venv/bin/python benchmarks/weights_robustness.py``.
"""

from __future__ import annotations

import itertools
import statistics

from analysis.assess.caselaw import load_cases
from analysis.assess.engine import evaluate
from analysis.assess.factors import LEAN_VALUE, load_weights

EXPECTED = {"fair_use": 1, "not_fair_use": -1}


def score_library(leans: list[tuple[str, dict[int, str]]], w: dict[int, float], band: float) -> tuple[float, float]:
    agree = close = 0
    for outcome, lv in leans:
        s = sum(w[n] * LEAN_VALUE[lv[n]] for n in (1, 2, 3, 4))
        label = 1 if s > band else -1 if s < -band else 0
        agree += label == EXPECTED[outcome]
        close += label == 0
    return agree / len(leans), close / len(leans)


def main() -> int:
    shipped = load_weights()
    w0 = {int(k): float(v) for k, v in shipped["factor_weights"].items()}
    band0 = float(shipped["close_call_band"])
    leans = []
    for case in load_cases().values():
        if case.outcome in EXPECTED:
            core = evaluate(case.scenario)
            leans.append((case.outcome, {f.factor: f.lean for f in core.findings}))
    base = score_library(leans, w0, band0)
    grid = []
    for m1, m2, m3, m4, mb in itertools.product((0.5, 1.0, 1.5), repeat=5):
        w = {1: w0[1] * m1, 2: w0[2] * m2, 3: w0[3] * m3, 4: w0[4] * m4}
        grid.append(score_library(leans, w, band0 * mb))
    agree = [g[0] for g in grid]
    close = [g[1] for g in grid]
    equal = score_library(leans, {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}, band0)
    print(
        f"Weights robustness on {len(leans)} clear-outcome cases ({len(grid)} weight settings: each weight and the band x0.5 / x1 / x1.5)"
    )
    print(f"  shipped weights {w0}, band {band0}: agreement {base[0]:.1%}, close calls {base[1]:.1%}")
    print(
        f"  across the grid: agreement min {min(agree):.1%} / median {statistics.median(agree):.1%} / max {max(agree):.1%}; "
        f"close calls min {min(close):.1%} / median {statistics.median(close):.1%} / max {max(close):.1%}"
    )
    print(f"  equal weights (the arithmetic Patton rejected): agreement {equal[0]:.1%}, close calls {equal[1]:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
