"""How long a memo takes to build on CPU (issue #5: under 2 s for a sample case).

Prints, for each audience: the full memo (PDF + Markdown + JSON) with text and image
evidence, against two baselines measured in the same run: the same memo without evidence,
and the Markdown twin alone (content building without reportlab). The first build of a
process also registers and parses the fonts; it is reported separately ("cold").

    .venv/bin/python benchmarks/bench_memo.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _time(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), max(runs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from analysis.assess.engine import assess
    from analysis.report.content import MemoBuilder, MemoOptions
    from analysis.report.markdown import render_markdown
    from analysis.report.memo import build_memo
    from analysis.report.templates import load_template
    from tests.test_memo_support import FIXED, make_image_report, make_scenario, make_text_report

    reports = [make_text_report(), make_image_report()]
    scenario = make_scenario()
    assessment = assess(scenario, reports)
    bare = assess(scenario, [])

    t = time.perf_counter()
    build_memo(assessment, reports, audience="counsel", created=FIXED)
    print(f"cold first memo (font registration included): {time.perf_counter() - t:.3f} s")

    print(f"{'audience':<10} {'memo+evidence':>14} {'max':>7} {'no evidence':>12} {'markdown only':>14} {'pages':>6} {'PDF KB':>7}")
    worst = 0.0
    for audience in ("creator", "counsel", "student"):
        full, full_max = _time(lambda: build_memo(assessment, reports, audience=audience, created=FIXED), args.repeat)
        none, _ = _time(lambda: build_memo(bare, [], audience=audience, created=FIXED), args.repeat)

        def md_only():
            opts = MemoOptions(audience, None, None, False, False, FIXED)
            render_markdown(MemoBuilder(assessment, reports, load_template(audience), opts).build())

        md, _ = _time(md_only, args.repeat)
        bundle = build_memo(assessment, reports, audience=audience, created=FIXED)
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(bundle.pdf)).pages)
        worst = max(worst, full_max)
        print(f"{audience:<10} {full:>12.3f} s {full_max:>5.3f} s {none:>10.3f} s {md:>12.4f} s {pages:>6} {len(bundle.pdf) / 1024:>7.0f}")
    print(f"target < 2 s per memo: {'met' if worst < 2 else 'NOT met'} (worst {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
