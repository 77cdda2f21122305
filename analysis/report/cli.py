"""``fairuse memo SCENARIO [--evidence REPORT.json …] --audience … -o memo.pdf``.

Loads the scenario and the comparison reports, runs the four-factor engine, and writes the
PDF (and, when asked, the Markdown and JSON twins). The SHA-256 of each file read goes into
the memo's appendix, so counsel can show exactly which files the memo rests on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.errors import InputError
from analysis.output import check_writable, write_output


def run_memo(args: argparse.Namespace) -> int:
    from analysis.assess.engine import assess
    from analysis.assess.scenario import load_scenario
    from analysis.evidence import ComparisonReport, sha256_file
    from analysis.report.memo import build_memo

    scenario = load_scenario(args.scenario)
    reports = [ComparisonReport.load(p) for p in args.evidence]
    files = [("scenario file", Path(args.scenario).name, sha256_file(args.scenario))]
    files += [(f"evidence file {i}", Path(p).name, sha256_file(p)) for i, p in enumerate(args.evidence, 1)]
    outputs = [args.output] + [p for p in (args.markdown, args.json) if p]
    if len({Path(p).resolve() for p in outputs}) != len(outputs):
        raise InputError("the PDF, Markdown and JSON outputs must be different files")
    inputs = {Path(args.scenario).resolve(), *(Path(p).resolve() for p in args.evidence)}
    for p in outputs:
        if Path(p).resolve() in inputs:
            raise InputError(f"refusing to overwrite the input {p} with the memo")
        check_writable(p)

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
    write_output(args.output, bundle.pdf)
    print(f"Memo ({args.audience}) written to {args.output}")
    if args.markdown:
        write_output(args.markdown, bundle.markdown)
        print(f"Markdown twin written to {args.markdown}")
    if args.json:
        write_output(args.json, bundle.json)
        print(f"Analysis as JSON written to {args.json}")
    if bundle.characters_not_shown:
        for note in bundle.rendering_notes[1:]:
            print(f"note: {note}")
    return 0
