"""The body of ``fairuse compare --pairs PAIRS.jsonl --out DIR`` (kept out of ``analysis/cli.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import InputError


def add_pairs_arguments(c: argparse.ArgumentParser) -> None:
    """``--pairs`` and ``--out`` on the ``compare`` subcommand."""
    c.add_argument(
        "--pairs",
        type=Path,
        default=None,
        metavar="PAIRS.jsonl",
        help='many pairs in one process: one JSON object a line, {"generated": PATH, "source": PATH, "id": NAME}',
    )
    c.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="with --pairs: folder for the reports and summary table"
    )


def progress_bar(total: int, desc: str):
    """A tqdm bar on stderr (hidden when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="pair", file=sys.stderr, disable=None, leave=False, dynamic_ncols=True)


def run_compare_pairs(args: argparse.Namespace) -> int:
    from analysis.measure.batch import check_outputs, compare_pairs, output_files, read_pairs
    from analysis.output import ask_once_on_terminal

    if args.generated is not None or args.source is not None:
        raise InputError("give either GENERATED SOURCE or --pairs PAIRS.jsonl, not both")
    if args.out is None:
        raise InputError("--pairs needs --out DIR (the folder for one report per pair and the summary table)")
    if args.json:
        raise InputError("--json is for one pair; with --pairs the reports go under --out DIR")
    specs = read_pairs(args.pairs)
    # every output checked before the first pair: none is an input (the pairs file or a work),
    # none replaces an existing file without --force (or one yes on a terminal for them all)
    confirm = ask_once_on_terminal(output_files(specs, args.out))
    check_outputs(specs, args.out, force=args.force, confirm=confirm, inputs=[args.pairs])
    bar = progress_bar(len(specs), "comparing")

    def progress(done: int, total: int, label: str) -> None:
        bar.update(1)
        bar.set_postfix_str(label[:30])

    try:
        summary = compare_pairs(
            specs,
            args.out,
            min_words=args.min_words,
            device=args.device,
            text_model=args.text_model,
            image_model=args.image_model,
            progress=progress,
            force=True,  # the existing files were accepted above; the inputs are checked again
            inputs=[args.pairs],
        )
    finally:
        bar.close()
    for row in summary.pairs:
        if row.status != "ok":
            print(f"failed: {row.id}: {row.error}", file=sys.stderr)
    print(
        f"{summary.ok} of {len(summary.pairs)} pairs compared in {summary.seconds:.1f} s; "
        f"summary in {args.out / 'summary.csv'} and {args.out / 'summary.json'}, reports in {args.out / 'reports'}"
    )
    return 0 if summary.failed == 0 else 2
