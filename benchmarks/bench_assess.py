"""Speed of the four-factor engine (issue #4 asks for < 50 ms per assessment, no torch).

Prints per-call timings for the parts of ``assess`` on every library case, against a
baseline measured in the same run: the bare factor evaluation (no precedents, no
sensitivity). Also the cheap core (``quick_outcome``: the same considerations and weights,
no reasons built) that the sensitivity analysis and the cross-validation call, and one fit of
the weights on the Fair Use Index corpus. Run: ``.venv/bin/python benchmarks/bench_assess.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timezone


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> int:
    t0 = time.perf_counter()
    from analysis.assess.caselaw import load_cases
    from analysis.assess.engine import assess, evaluate, quick_outcome

    cases = load_cases()
    import_ms = (time.perf_counter() - t0) * 1000
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    scen = [c.scenario for c in cases.values()]
    assess(scen[0], now=now)  # warm caches (questionnaire, weights, citations)
    base = [_time(lambda s=s: evaluate(s)) for s in scen]
    quick = [_time(lambda s=s: quick_outcome(s)) for s in scen]
    noprec = [_time(lambda s=s: assess(s, now=now, precedents=False, sensitivity=False)) for s in scen]
    nosens = [_time(lambda s=s: assess(s, now=now, sensitivity=False)) for s in scen]
    full = [_time(lambda s=s: assess(s, now=now)) for s in scen]
    heavy = [m for m in ("torch", "transformers", "sentence_transformers", "cv2", "reportlab") if m in sys.modules]

    def row(name: str, xs: list[float]) -> str:
        return f"  {name:<38} median {statistics.median(xs):7.2f} ms   max {max(xs):7.2f} ms"

    print(f"Four-factor engine on {len(scen)} library scenarios (best of 3 per case)")
    print(f"  import + load library: {import_ms:.0f} ms; heavy modules loaded: {heavy or 'none'}")
    print(row("baseline: evaluate (factors only)", base))
    print(row("quick_outcome (leans and label only)", quick))
    print(row("assess, no precedents, no sensitivity", noprec))
    print(row("assess + precedents", nosens))
    print(row("assess, full (precedents + sensitivity)", full))
    print(
        f"  full / baseline: {statistics.median(full) / statistics.median(base):.1f}x; target < 50 ms: "
        f"{'met' if statistics.median(full) < 50 else 'NOT met'}"
    )
    print(f"  quick_outcome / evaluate: {statistics.median(quick) / statistics.median(base):.2f}x")
    from analysis.assess.corpus import load_fui
    from analysis.assess.fit import design, fit

    rows = [r for r in load_fui() if not r.encoding.thin]
    t = time.perf_counter()
    d = design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])
    t_design = time.perf_counter() - t
    t = time.perf_counter()
    fit(d, list(range(len(rows))))
    print(
        f"  fit on {len(rows)} FUI decisions (inner CV over {4 * 4 * 5} factor fits and the factor weights): "
        f"design {t_design:.2f} s, fit {time.perf_counter() - t:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
