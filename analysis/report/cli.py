"""``fairuse memo FILE [--evidence REPORT.json …] --audience … -o memo.pdf``.

``FILE`` is a scenario (YAML or JSON) or a saved analysis (``.fairuse.json``). A saved
analysis brings its works, its comparison report and its memo options (audience, matter,
reviewer, banner); the command's options override them for this memo. The SHA-256 of each
file read goes into the memo's appendix, so counsel can show exactly which files it rests on.
"""

from __future__ import annotations

import argparse

from analysis.output import OutputPlan, ask_on_terminal


def run_memo(args: argparse.Namespace) -> int:
    from analysis.matter import open_for_command

    outputs = [(args.output, "pdf"), (args.markdown, "markdown"), (args.json, "json")]
    plan = OutputPlan(
        [p for p, _ in outputs],
        inputs=[args.scenario, *args.evidence],
        force=getattr(args, "force", False),
        confirm=ask_on_terminal,
    )
    plan.check()  # every output path before any work; all written at the end, or none
    matter, files = open_for_command(args.scenario, args.evidence)
    bundle = matter.build_memo(
        audience=args.audience,
        matter=args.matter,
        reviewer=args.reviewer,
        privileged=True if args.privileged else None,
        judge_mode=True if args.judge_mode else None,
        input_files=files,
    )
    plan.commit({p: getattr(bundle, field) for p, field in outputs if p})
    print(f"Memo ({bundle.audience}) written to {args.output}")
    if args.markdown:
        print(f"Markdown twin written to {args.markdown}")
    if args.json:
        print(f"Analysis as JSON written to {args.json}")
    if bundle.characters_not_shown:
        for note in bundle.rendering_notes[1:]:
            print(f"note: {note}")
    return 0
