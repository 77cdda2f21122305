"""The bodies of ``fairuse index`` and ``fairuse scan`` (kept out of ``analysis/cli.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import figures


def add_index_parser(sub) -> None:
    ix = sub.add_parser("index", help="build (or --add to) a catalogue index of texts and images")
    ix.add_argument(
        "catalogue", nargs="+", help="folders, files, or CSV/JSONL manifests (title, author, year, licence, path)"
    )
    ix.add_argument("--out", type=Path, required=True, metavar="INDEX", help="the index folder to write")
    ix.add_argument("--add", action="store_true", help="add these works to the existing index at --out")
    ix.add_argument(
        "--text-model", default=None, help="sentence-transformers model the static embedding is distilled from"
    )
    ix.add_argument("--static-model", default=None, help="a model2vec folder to use instead of distilling one")
    ix.add_argument("--image-model", default=None, help="optional image model for deep embeddings")
    ix.add_argument("--ray", default=None, metavar="auto|ADDRESS", help="shard the build over a Ray cluster")
    ix.add_argument("--force", action="store_true", help="replace output files that already exist")

    sc = sub.add_parser("scan", help="find which catalogue works each work copies, and how much")
    sc.add_argument("works", nargs="+", type=Path, help="the works to scan (texts or images)")
    sc.add_argument("--index", type=Path, required=True, metavar="INDEX")
    sc.add_argument("--top", type=int, default=None, help="candidates given the full comparison per work (default 5)")
    sc.add_argument("--out", type=Path, default=None, metavar="DIR", help="write triage.csv/.json/.html and reports")
    sc.add_argument("--scenario", type=Path, default=None, metavar="TEMPLATE", help="assess each flagged pair")
    sc.add_argument("--min-words", type=int, default=None, metavar="N")
    sc.add_argument("--device", default="auto")
    sc.add_argument("--text-model", default=None)
    sc.add_argument("--static-model", default=None)
    sc.add_argument("--image-model", default=None)
    sc.add_argument("--ray", default=None, metavar="auto|ADDRESS", help="scan batches of works on a Ray cluster")
    sc.add_argument("--force", action="store_true", help="replace output files that already exist")


def _bar(total: int, unit: str, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=None, leave=False, dynamic_ncols=True)


def run_index(args: argparse.Namespace) -> int:
    from analysis.index.build import build_index
    from analysis.output import ask_on_terminal

    bars = []

    def factory(total: int):
        bar = _bar(total, "work", "indexing")
        bars.append(bar)

        def progress(n: int, label: str) -> None:
            bar.update(n)
            bar.set_postfix_str(label[:30])

        return progress

    try:
        res = build_index(
            args.catalogue,
            args.out,
            add=args.add,
            static_model=args.static_model,
            text_model=args.text_model,
            image_model=args.image_model,
            ray=args.ray,
            progress_factory=factory,
            # an existing index is replaced (without --add) only with --force or a yes on a terminal
            force=args.force,
            confirm=ask_on_terminal,
        )
    finally:
        for b in bars:
            b.close()
    c = res.counts
    print(
        f"{'added' if args.add else 'indexed'} {figures.count(res.added, 'work')} into {res.path}: {c['texts']} texts "
        f"({c['text_words']:,} words), {c['images']} images in all"
        + (f"; resumed {figures.count(res.resumed_shards, 'finished shard')}" if res.resumed_shards else "")
    )
    if res.skipped:
        print(f"skipped {figures.count(len(res.skipped), 'file')}:")
        for s in res.skipped:
            print(f"  {s.line()}")
    return 0


def run_scan(args: argparse.Namespace) -> int:
    from analysis import defaults
    from analysis.output import ask_once_on_terminal
    from analysis.scan.scan import check_outputs, planned_outputs, scan_works, work_folders

    if args.out is not None:
        # every output that can be named now checked before the scan: none is a work or the
        # scenario, none replaces an existing file without --force (or one yes on a terminal)
        confirm = ask_once_on_terminal(planned_outputs(args.out, work_folders(args.works)))
        check_outputs(args.works, args.out, scenario=args.scenario, force=args.force, confirm=confirm)
    bar = _bar(len(args.works), "work", "scanning")

    def progress(n: int, label: str) -> None:
        bar.update(n)
        bar.set_postfix_str(label[:30])

    try:
        result = scan_works(
            args.works,
            args.index,
            top=defaults.SCAN_TOP_K if args.top is None else args.top,
            out=args.out,
            scenario=args.scenario,
            device=args.device,
            text_model=args.text_model,
            static_model=args.static_model,
            image_model=args.image_model,
            min_words=args.min_words,
            ray=args.ray,
            progress=progress,
            force=True,  # the existing files were accepted above; the inputs are checked again
        )
    finally:
        bar.close()
    for wr in result.works:
        if wr.status != "ok":
            print(f"{wr.work}: not scanned: {wr.error}")
            continue
        rows = [r for r in result.rows if r.work_path == wr.path]
        print(f"{wr.work}: {figures.count(len(rows), 'candidate')} compared, {sum(r.flagged for r in rows)} flagged")
        for r in rows:
            share = "" if r.share_of_source_taken is None else f", {r.share_of_source_taken * 100:.0f}% of the source"
            print(f"  {r.rank}. {r.source_title} [{r.channel} {r.cheap_score:.2f}] {r.verdict}{share}")
    if args.out:
        print(
            f"triage table: {args.out / 'triage.html'} (also triage.csv, triage.json; reports in {args.out / 'reports'})"
        )
    failed = sum(1 for w in result.works if w.status != "ok")
    return 0 if failed == 0 else 2
