"""``fairuse memo SCENARIO [--evidence REPORT.json …] --audience … -o memo.pdf``.

Loads the scenario and the comparison reports, runs the four-factor engine, and writes the
PDF (and, when asked, the Markdown and JSON twins). The SHA-256 of each file read goes into
the memo's appendix, so counsel can show exactly which files the memo rests on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.output import OutputPlan, ask_on_terminal


def run_memo(args: argparse.Namespace) -> int:
    from analysis.assess.engine import assess
    from analysis.assess.scenario import load_scenario
    from analysis.evidence import ComparisonReport, sha256_file
    from analysis.report.memo import build_memo

    outputs = [(args.output, "pdf"), (args.markdown, "markdown"), (args.json, "json")]
    plan = OutputPlan(
        [p for p, _ in outputs],
        inputs=[args.scenario, *args.evidence],
        force=getattr(args, "force", False),
        confirm=ask_on_terminal,
    )
    plan.check()  # every output path before any work; all written at the end, or none
    scenario = load_scenario(args.scenario)
    reports = [ComparisonReport.load(p) for p in args.evidence]
    files = [("scenario file", Path(args.scenario).name, sha256_file(args.scenario))]
    files += [(f"evidence file {i}", Path(p).name, sha256_file(p)) for i, p in enumerate(args.evidence, 1)]
    assessment = assess(scenario, reports)
    bundle = build_memo(
        assessment,
        reports,
        audience=args.audience,
        matter=args.matter,
        reviewer=args.reviewer,
        privileged=args.privileged,
        judge_mode=args.judge_mode,
        input_files=files,
    )
    plan.commit({p: getattr(bundle, field) for p, field in outputs if p})
    print(f"Memo ({args.audience}) written to {args.output}")
    if args.markdown:
        print(f"Markdown twin written to {args.markdown}")
    if args.json:
        print(f"Analysis as JSON written to {args.json}")
    if bundle.characters_not_shown:
        for note in bundle.rendering_notes[1:]:
            print(f"note: {note}")
    return 0
