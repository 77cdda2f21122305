"""The ``fairuse`` command line.

    fairuse compare GENERATED SOURCE [--json FILE] [--min-words N] [--device D]
    fairuse compare --pairs PAIRS.jsonl --out DIR   (many pairs, models loaded once)
    fairuse assess SCENARIO [--evidence REPORT.json …] [--json FILE]
    fairuse memo SCENARIO [--evidence REPORT.json …] --audience creator|counsel|student -o memo.pdf
    fairuse index CATALOGUE... --out INDEX [--add] [--ray auto|ADDRESS]
    fairuse scan WORK... --index INDEX [--top K] [--out DIR] [--scenario TEMPLATE]
    fairuse validate                 (engine against the case library)
    fairuse app                      (the Streamlit app)

Bad input never produces a traceback: one line on stderr and exit status 2
(3 when a model cannot be loaded, 1 for an internal error).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import __version__
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
        "--min-words", type=int, default=None, metavar="N", help="shortest verbatim passage, in words (default 8)"
    )
    c.add_argument("--device", default="auto", help="auto (cuda, then mps, then cpu), cpu, cuda or mps")
    c.add_argument("--text-model", default=None, help="sentence-embedding model: hub name or local folder")
    c.add_argument(
        "--image-model", default=None, help="optional image model: hub name, local folder or TorchScript file"
    )
    c.add_argument("--top", type=int, default=5, help="passages to show side by side (default 5)")
    from analysis.measure.batch_cli import add_pairs_arguments

    add_pairs_arguments(c)

    a = sub.add_parser("assess", help="walk the four factors for a scenario file")
    a.add_argument("scenario", type=Path, help="scenario file (YAML or JSON)")
    a.add_argument(
        "--evidence",
        type=Path,
        action="append",
        default=[],
        metavar="REPORT.json",
        help="comparison report(s) from 'fairuse compare --json'",
    )
    a.add_argument("--json", type=Path, metavar="FILE", help="write the assessment as JSON")

    m = sub.add_parser("memo", help="export the analysis as a PDF memo")
    m.add_argument("scenario", type=Path, help="scenario file (YAML or JSON)")
    m.add_argument("--evidence", type=Path, action="append", default=[], metavar="REPORT.json")
    m.add_argument("--audience", choices=["creator", "counsel", "student"], default="creator")
    m.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    m.add_argument("--markdown", type=Path, default=None, help="also write the memo as Markdown")
    m.add_argument("--json", type=Path, default=None, help="also write the analysis as JSON")
    m.add_argument("--matter", default=None, help="matter name for the header")
    m.add_argument("--reviewer", default=None, help="reviewer's name (counsel memo)")
    m.add_argument("--privileged", action="store_true", help="add the 'Privileged & Confidential' banner")
    m.add_argument("--judge-mode", action="store_true", help="student memo: court outcomes moved to an appendix")

    from analysis.index.cli import add_index_parser

    add_index_parser(sub)

    sub.add_parser("validate", help="run the engine on every case in the library and compare with the courts")

    ap = sub.add_parser("app", help="open the Streamlit app")
    ap.add_argument("--port", type=int, default=8501)
    ap.add_argument("--headless", action="store_true", help="do not open a browser window")
    return p


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis.measure.compare import compare_paths, format_summary
    from analysis.output import check_writable, write_output

    if args.pairs is not None:
        from analysis.measure.batch_cli import run_compare_pairs

        return run_compare_pairs(args)
    if args.generated is None or args.source is None:
        from analysis.errors import InputError

        raise InputError("compare needs GENERATED SOURCE (two files), or --pairs PAIRS.jsonl --out DIR")

    if args.json:
        check_writable(args.json)

    def progress(frac: float, msg: str) -> None:
        if sys.stderr.isatty():
            print(f"\r[{frac * 100:5.1f}%] {msg[:60]:<60}", end="", file=sys.stderr, flush=True)

    report = compare_paths(
        args.generated,
        args.source,
        min_words=args.min_words,
        device=args.device,
        text_model=args.text_model,
        image_model=args.image_model,
        progress=progress,
    )
    if sys.stderr.isatty():
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr)
    # The report is written before the summary is printed, so a closed pipe (| head) loses nothing.
    if args.json:
        write_output(args.json, report.to_json())
    print(format_summary(report, top=args.top))
    if args.json:
        print(f"\nFull report written to {args.json}")
    return 0


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

    return run_validation_cli()


def _cmd_app(args: argparse.Namespace) -> int:
    import subprocess

    import app as app_pkg

    main_py = Path(app_pkg.__file__).resolve().parent / "main.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(main_py),
        "--server.port",
        str(args.port),
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "localhost",
    ]
    # Open the user's browser unless asked not to (the project config is headless for tests).
    cmd += ["--server.headless", "true" if args.headless else "false"]
    return subprocess.call(cmd, cwd=str(main_py.parent.parent))


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
    from analysis.errors import FairUseError, InputError

    try:
        return _COMMANDS[args.command](args)
    except InputError as exc:
        print(f"fairuse: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except FairUseError as exc:
        print(f"fairuse: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        print("fairuse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("FAIRUSE_DEBUG"):
            raise
        msg = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"fairuse: internal error: {type(exc).__name__}: {msg} (set FAIRUSE_DEBUG=1 for details)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
