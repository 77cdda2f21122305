"""How long a memo takes to build on CPU (issue #5: under 2 s for a sample case).

For each sample case (``samples/``), the comparison report is computed first with the real
engines (not timed: that is the measure stage's cost), then the memo is timed per audience
against two baselines measured in the same run: the same memo without evidence, and the
Markdown twin alone (content without reportlab). ``--fixture`` times the hand-built text +
image fixture of the tests instead (no models needed). The first build of a process also
registers the fonts; it is reported separately ("cold").

    .venv/bin/python benchmarks/bench_memo.py [--repeat N] [--fixture] [--only CASE_ID]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from analysis.report.templates import Audience

AUDIENCES: tuple[Audience, ...] = ("creator", "counsel", "student")


def _time(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), max(runs)


def _cases(args):
    """(name, scenario, reports) for each case to time."""
    from analysis.measure.compare import compare_paths
    from analysis.samples import list_samples
    from tests.test_memo_support import make_image_report, make_scenario, make_text_report

    if args.fixture:
        return [("fixture (text + image)", make_scenario(), [make_text_report(), make_image_report()])]
    out = []
    for case in list_samples():
        if args.only and case.id != args.only:
            continue
        t = time.perf_counter()
        report = compare_paths(case.generated_path, case.source_path, device="cpu")
        print(f"  compared {case.id} in {time.perf_counter() - t:.1f} s (not part of the memo timing)")
        out.append((case.id, case.scenario, [report]))
    if not out:
        print("no sample cases found; timing the test fixture instead")
        return [("fixture (text + image)", make_scenario(), [make_text_report(), make_image_report()])]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--fixture", action="store_true", help="time the hand-built fixture, not the samples")
    ap.add_argument("--only", default=None, help="one sample case id")
    args = ap.parse_args()

    from pypdf import PdfReader

    from analysis.assess.engine import assess
    from analysis.report.content import MemoBuilder, MemoOptions
    from analysis.report.markdown import render_markdown
    from analysis.report.memo import build_memo
    from analysis.report.templates import load_template
    from tests.test_memo_support import FIXED

    cases = _cases(args)
    worst = 0.0
    cold_done = False
    for name, scenario, reports in cases:
        assessment = assess(scenario, reports)
        bare = assess(scenario, [])
        if not cold_done:
            t = time.perf_counter()
            build_memo(assessment, reports, audience="counsel", created=FIXED)
            print(f"cold first memo (font registration included): {time.perf_counter() - t:.3f} s")
            cold_done = True
        print(f"\n{name}")
        print(
            f"  {'audience':<9} {'memo+evidence':>14} {'max':>8} {'no evidence':>12} {'markdown only':>14} {'pages':>6} {'PDF KB':>7}"
        )
        for audience in AUDIENCES:
            full, full_max = _time(
                lambda: build_memo(assessment, reports, audience=audience, created=FIXED), args.repeat
            )
            none, _ = _time(lambda: build_memo(bare, [], audience=audience, created=FIXED), args.repeat)

            def md_only():
                opts = MemoOptions(audience, None, None, False, False, FIXED)
                render_markdown(MemoBuilder(assessment, reports, load_template(audience), opts).build())

            md, _ = _time(md_only, args.repeat)
            bundle = build_memo(assessment, reports, audience=audience, created=FIXED)
            pages = len(PdfReader(BytesIO(bundle.pdf)).pages)
            worst = max(worst, full_max)
            print(
                f"  {audience:<9} {full:>12.3f} s {full_max:>6.3f} s {none:>10.3f} s {md:>12.4f} s {pages:>6} {len(bundle.pdf) / 1024:>7.0f}"
            )
    print(f"\ntarget < 2 s per memo: {'met' if worst < 2 else 'NOT met'} (worst {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
