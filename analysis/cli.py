"""The ``fairuse`` command line.

    fairuse compare GENERATED SOURCE [--json FILE] [--save ANALYSIS.fairuse.json] [--figures DIR] [--min-words N] [--exclude-quotations] [--device D] [--force]
    fairuse compare --pairs PAIRS.jsonl --out DIR [--force]   (many pairs, models loaded once)
    fairuse assess FILE [--evidence REPORT.json …] [--json FILE] [--force]
    fairuse memo FILE [--evidence REPORT.json …] --audience creator|counsel|student -o memo.pdf [--force]
    fairuse index CATALOGUE... --out INDEX [--add | --force] [--ray auto|ADDRESS]
    fairuse scan WORK... --index INDEX [--top K] [--out DIR] [--scenario TEMPLATE] [--force]

FILE is a scenario (YAML or JSON) or a saved analysis (.fairuse.json: from the app, or from
``fairuse compare --save``), which brings its own works, comparison report and memo options.
    fairuse validate                 (engine against the case library)
    fairuse app                      (the Streamlit app)

Bad input never produces a traceback: one line on stderr and exit status 2
(3 when a model cannot be loaded, 1 for an internal error). Output files never replace an
input, are all written or none, and replace an existing file only with --force (or a yes on
the terminal): ``analysis.output.OutputPlan``. The batches check every output they can name
before the work starts: ``compare --pairs`` its summary files and one report per pair (each
report written, atomically, as its pair finishes; the summary at the end), ``scan --out`` its
triage files and the reports already in the works' folders (everything written together at the
end). ``index --out`` replaces an existing index only with --force (or a yes on the terminal;
--add adds to it), and refuses a catalogue that lies inside the index folder.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import __version__
from analysis.errors import InputError
from analysis.privacy import enforce_offline


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fairuse",
        description="Fair-use four-factor analysis assistant (17 U.S.C. § 107). Not legal advice.",
    )
    p.add_argument("--version", action="version", version=f"fairuse {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("compare", help="measure how a generated work relates to a suspected source")
    c.add_argument("generated", type=Path, nargs="?", help="the generated work (text file or image)")
    c.add_argument("source", type=Path, nargs="?", help="the suspected source (text file or image)")
    c.add_argument("--json", type=Path, metavar="FILE", help="write the full report as JSON")
    c.add_argument(
        "--save",
        type=Path,
        metavar="FILE.fairuse.json",
        help="start a saved analysis: both works and the report, for the app, 'assess' and 'memo'",
    )
    c.add_argument(
        "--figures",
        type=Path,
        metavar="DIR",
        help="images: write the report's figures as PNG files into DIR (side_by_side.png, overlay.png)",
    )
    c.add_argument(
        "--min-words", type=int, default=None, metavar="N", help="shortest verbatim passage, in words (default 8)"
    )
    c.add_argument(
        "--exclude-quotations",
        action="store_true",
        help="texts: leave passages the generated text quotes (quotation marks, block quotes) out of the shares taken",
    )
    c.add_argument("--device", default="auto", help="auto (cuda, then mps, then cpu), cpu, cuda or mps")
    c.add_argument("--text-model", default=None, help="sentence-embedding model: hub name or local folder")
    c.add_argument(
        "--image-model", default=None, help="optional image model: hub name, local folder or TorchScript file"
    )
    c.add_argument("--top", type=int, default=5, help="passages to show side by side (default 5)")
    c.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )
    c.add_argument("--force", action="store_true", help="replace output files that already exist")
    from analysis.measure.batch_cli import add_pairs_arguments

    add_pairs_arguments(c)

    file_help = "a scenario file (YAML or JSON) or a saved analysis (.fairuse.json)"
    a = sub.add_parser("assess", help="walk the four factors for a scenario or a saved analysis")
    a.add_argument("scenario", type=Path, metavar="FILE", help=file_help)
    a.add_argument(
        "--evidence",
        type=Path,
        action="append",
        default=[],
        metavar="REPORT.json",
        help="comparison report(s) from 'fairuse compare --json'",
    )
    a.add_argument("--json", type=Path, metavar="FILE", help="write the assessment as JSON")
    a.add_argument("--force", action="store_true", help="replace output files that already exist")

    m = sub.add_parser("memo", help="export the analysis as a PDF memo")
    m.add_argument("scenario", type=Path, metavar="FILE", help=file_help)
    m.add_argument("--evidence", type=Path, action="append", default=[], metavar="REPORT.json")
    m.add_argument(
        "--audience",
        choices=["creator", "counsel", "student"],
        default=None,
        help="who reads it (default: the saved analysis's choice, else creator)",
    )
    m.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    m.add_argument("--markdown", type=Path, default=None, help="also write the memo as Markdown")
    m.add_argument("--json", type=Path, default=None, help="also write the analysis as JSON")
    m.add_argument("--matter", default=None, help="matter name for the header (default: the saved one)")
    m.add_argument("--reviewer", default=None, help="reviewer's name (counsel memo)")
    m.add_argument("--privileged", action="store_true", help="add the 'Privileged & Confidential' banner")
    m.add_argument("--judge-mode", action="store_true", help="student memo: court outcomes moved to an appendix")
    m.add_argument("--force", action="store_true", help="replace output files that already exist")

    v = sub.add_parser(
        "validate",
        help="compare the engine with the courts: the case library, or the Fair Use Index out of sample",
    )
    v.add_argument(
        "--corpus",
        choices=["library", "fui"],
        default="library",
        help="library: the hand-written case library (default); fui: the Fair Use Index encoded blind, "
        "weights fitted by cross-validation, figures out-of-fold beside baselines",
    )
    v.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    v.add_argument("--folds", type=int, default=10, help="fui: k of the stratified k-fold (default 10)")
    v.add_argument("--repeats", type=int, default=5, help="fui: repeats with fixed seeds (default 5)")
    v.add_argument("--seed", type=int, default=20260101, help="fui: seed of the first repeat")

    from analysis.index.cli import add_index_parser

    add_index_parser(sub)

    ap = sub.add_parser("app", help="open the Streamlit app")
    ap.add_argument("--port", type=int, default=8501, help="the port on localhost (default 8501)")
    ap.add_argument("--headless", action="store_true", help="do not open a browser window")
    return p


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis.escape import print_safe
    from analysis.measure.compare import compare_works, format_summary, works_from_paths
    from analysis.output import OutputPlan, ask_on_terminal

    if args.figures is not None and args.pairs is not None:
        raise InputError("--figures is for one pair; with --pairs the reports go under --out DIR")
    if args.pairs is not None:
        from analysis.measure.batch_cli import run_compare_pairs

        return run_compare_pairs(args)
    if args.generated is None or args.source is None:
        raise InputError("compare needs GENERATED SOURCE (two files), or --pairs PAIRS.jsonl --out DIR")
    inputs = [args.generated, args.source]
    outputs = [p for p in (args.json, args.save) if p]
    figure_candidates: list[Path] = []
    if args.figures is not None:
        from analysis.measure.image.figures import FIGURE_NAMES, figure_path

        if args.figures.exists() and not args.figures.is_dir():
            raise InputError(f"cannot write the figures into {args.figures}: it is a file, not a folder")
        if args.figures.is_dir():  # the files it may hold are checked now; a new folder holds none yet
            figure_candidates = [figure_path(args.figures, n) for n in FIGURE_NAMES]
        else:  # created after the work: fail now if a file stands where a folder must go
            above = args.figures.absolute().parent
            while not above.exists():
                above = above.parent
            if not above.is_dir():
                raise InputError(f"cannot create the figures folder {args.figures}: {above} is a file")
    # every output checked before any work: none may be an input (path, symbolic or hard link),
    # none replaces an existing file without --force (or a yes on a terminal)
    plan = OutputPlan(outputs + figure_candidates, inputs=inputs, force=args.force, confirm=ask_on_terminal)
    plan.check()
    if args.min_words is not None:
        from analysis.measure.text.compare import check_min_words

        check_min_words(args.min_words)  # before a large file is read

    from analysis.progress import progress_bar, wanted

    generated, source = works_from_paths(args.generated, args.source, check=False)
    with progress_bar(wanted(args.progress)) as progress:  # a bar on stderr (a terminal, or --progress)
        report = compare_works(
            generated,
            source,
            min_words=args.min_words,
            device=args.device,
            text_model=args.text_model,
            image_model=args.image_model,
            progress=progress,
            exclude_quotations=args.exclude_quotations,
        )
    # The files are written before the summary is printed, so a closed pipe (| head) loses nothing.
    files: dict[str | Path, str | bytes] = {}
    figures: dict[Path, bytes] = {}
    if args.json:
        files[args.json] = report.to_json()
    if args.save:
        from analysis.matter import Matter

        matter = Matter.from_works(generated, source)
        matter.attach_report(report)
        files[args.save] = matter.dumps()
    if args.figures is not None:
        from analysis.measure.image.figures import figure_files, prepare_figures_folder

        figures = figure_files(report, args.figures)
        if figures:
            prepare_figures_folder(args.figures)
        for path, png in figures.items():
            files[path] = png
    if files:
        # the files actually produced (the figures a report carries are known only now),
        # checked again against the inputs; those accepted above are not asked about twice
        accepted = set(plan.outputs)
        final = OutputPlan(
            list(files),
            inputs=inputs,
            force=args.force,
            confirm=lambda p: p in accepted or ask_on_terminal(p),
        )
        final.commit(files)  # all or nothing
    print_safe(format_summary(report, top=args.top))
    if args.json:
        print_safe(f"\nFull report written to {args.json}")
    if args.figures is not None:
        if figures:
            print_safe(f"Figures written to {args.figures}: " + ", ".join(p.name for p in figures))
        else:
            print_safe(f"No figures to write to {args.figures} (a text comparison has none)")
    if args.save:
        print_safe(f"Analysis saved to {args.save} (open it in the app, or run fairuse assess / fairuse memo on it)")
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _cmd_assess(args: argparse.Namespace) -> int:
    from analysis.assess.cli import run_assess

    return run_assess(args)


def _cmd_memo(args: argparse.Namespace) -> int:
    from analysis.report.cli import run_memo

    return run_memo(args)


def _cmd_index(args: argparse.Namespace) -> int:
    from analysis.index.cli import run_index

    return run_index(args)


def _cmd_scan(args: argparse.Namespace) -> int:
    from analysis.index.cli import run_scan

    return run_scan(args)


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis.assess.validate import run_validation_cli
    from analysis.errors import InputError

    if args.folds < 2 or args.repeats < 1:
        raise InputError("--folds must be at least 2 and --repeats at least 1")
    return run_validation_cli(
        corpus=args.corpus, json_path=args.json, folds=args.folds, repeats=args.repeats, seed=args.seed
    )


def app_command(port: int = 8501, headless: bool = False) -> list[str]:
    """The ``streamlit run`` command ``fairuse app`` starts, with every setting passed explicitly
    (``app/config.py``), so an installed wheel runs exactly as the repository does."""
    import app as app_pkg
    from app.config import streamlit_flags

    main_py = Path(app_pkg.__file__).resolve().parent / "main.py"
    return [sys.executable, "-m", "streamlit", "run", str(main_py), *streamlit_flags(port=port, headless=headless)]


def _cmd_app(args: argparse.Namespace) -> int:
    # Opens the user's browser unless --headless; runs in the user's folder (the settings do not
    # depend on a config file there or beside the package).
    cmd = app_command(args.port, args.headless)
    if os.name == "posix":
        # Streamlit takes this process's place, so a signal sent to `fairuse app` (a service
        # manager's SIGTERM, a terminal closed) stops the app itself; a child process would be
        # left running on its port after its parent was terminated.
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(cmd[0], cmd)
    import subprocess

    return subprocess.call(cmd)


_COMMANDS = {
    "compare": _cmd_compare,
    "assess": _cmd_assess,
    "memo": _cmd_memo,
    "index": _cmd_index,
    "scan": _cmd_scan,
    "validate": _cmd_validate,
    "app": _cmd_app,
}


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from analysis.errors import FairUseError
    from analysis.escape import for_terminal

    try:
        return _COMMANDS[args.command](args)
    except InputError as exc:
        print(f"fairuse: error: {for_terminal(str(exc), newlines=False)}", file=sys.stderr)
        return exc.exit_code
    except FairUseError as exc:
        print(f"fairuse: error: {for_terminal(str(exc), newlines=False)}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        print("fairuse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("FAIRUSE_DEBUG"):
            raise
        msg = for_terminal(str(exc).splitlines()[0]) if str(exc) else ""
        print(
            f"fairuse: internal error: {type(exc).__name__}: {msg} (set FAIRUSE_DEBUG=1 for details)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
