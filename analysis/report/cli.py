"""``fairuse memo FILE [--evidence REPORT.json …] --audience … -o memo.pdf``.

``FILE`` is a scenario (YAML or JSON) or a saved analysis (``.fairuse.json``). A saved
analysis brings its works, its comparison report and its memo options (audience, matter,
reviewer, banner); the command's options override them for this memo. The SHA-256 of each
file read goes into the memo's appendix, so counsel can show exactly which files it rests on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.errors import InputError
from analysis.output import check_writable, write_output


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def run_memo(args: argparse.Namespace) -> int:
    from analysis.matter import open_for_command

    outputs = [Path(args.output)] + [Path(p) for p in (args.markdown, args.json) if p]
    if len({p.resolve() for p in outputs}) != len(outputs):
        raise InputError("the PDF, Markdown and JSON outputs must be different files")
    inputs = [Path(args.scenario), *(Path(p) for p in args.evidence)]
    for p in outputs:
        if any(_same_file(p, i) for i in inputs):
            raise InputError(f"refusing to overwrite the input {p} with the memo")
        check_writable(p)

    matter, files = open_for_command(args.scenario, args.evidence)
    bundle = matter.build_memo(
        audience=args.audience,
        matter=args.matter,
        reviewer=args.reviewer,
        privileged=True if args.privileged else None,
        judge_mode=True if args.judge_mode else None,
        input_files=files,
    )
    write_output(args.output, bundle.pdf)
    print(f"Memo ({bundle.audience}) written to {args.output}")
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
