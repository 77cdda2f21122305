"""Tuning harness for the image engine: the TUNE half only (issue #11).

    python benchmarks/copydetect/tune.py --edits partial,style --seeds 1        # positives only
    python benchmarks/copydetect/tune.py --edits all --negatives --every 2
    python benchmarks/copydetect/tune.py --set IMAGE_MIN_INLIERS=12 --set IMAGE_RATIO_TEST=0.8

Every parameter of the image engine is chosen with this script on the tune half of the
sources (``build.source_specs("tune")``); it has no option for the test half, so a rule cannot be
chosen by looking at it. ``--set NAME=VALUE`` overrides a value of ``analysis.defaults`` in
every worker before any pair is compared (the engine reads its thresholds from that module
at call time), so candidate values can be compared side by side without editing the code.
``--edits`` takes edit names (``build.EDITS``) or the issue's group names
(``partial``, ``crop40``, ``style``, ``stacked``, ``all``). Printed: recall per edit, the
copied-share error on partial copies, false positives and the largest unrelated fused score
(with ``--negatives``), seconds per pair; ``--misses`` lists the missed queries.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
import run  # noqa: E402

SHORT = {
    "partial": build.GROUPS["partial copies"],
    "crop40": build.GROUPS["40 % crops"],
    "style": build.GROUPS["style filters"],
    "stacked": build.GROUPS["stacked edits"],
}


def _edits(spec: str) -> list[str]:
    out: list[str] = []
    for part in spec.split(","):
        if part == "all":
            out += build.EDITS
        elif part in SHORT:
            out += SHORT[part]
        elif part in build.EDITS:
            out.append(part)
        else:
            raise SystemExit(f"unknown edit or group {part!r}")
    return list(dict.fromkeys(out))


def _init(overrides: dict, negatives: bool, split: str = "tune") -> None:
    run._init(str(ROOT), split)
    from analysis import defaults

    for k, v in overrides.items():
        if not hasattr(defaults, k):
            raise SystemExit(f"analysis.defaults has no {k}")
        setattr(defaults, k, v)
    if not negatives:
        build.negatives_for = lambda *a, **k: []  # positives only (this worker's copy of the module)


def _query(task):
    return run._run_query(task)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", default="partial,crop40,style,stacked")
    ap.add_argument("--every", type=int, default=1, help="every K-th source of the tune half")
    ap.add_argument("--seeds", type=int, default=1, help="the first N of the three seeds")
    ap.add_argument("--negatives", action="store_true", help="also compare each query with 3 unrelated sources")
    ap.add_argument("--hard", action="store_true", help="also run the set's hard negatives (every 4th)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument(
        "--split", choices=("tune", "tune2"), default="tune", help="tune2: the second tuning set (no test sources)"
    )
    args = ap.parse_args(argv)
    overrides = {}
    for item in args.set:
        k, _, v = item.partition("=")
        overrides[k] = ast.literal_eval(v)
    edits = _edits(args.edits)
    n = len(build.source_specs(args.split))
    tasks = [(i, e, s) for s in build.SEEDS[: args.seeds] for i in range(0, n, args.every) for e in edits]
    import multiprocessing as mp

    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(
        args.workers, initializer=_init, initargs=(overrides, args.negatives, args.split)
    ) as pool:
        rows = [r for chunk in pool.map(_query, tasks, chunksize=2) for r in chunk]
        if args.hard:
            rows += pool.map(run._run_hard, list(range(0, build.hard_negative_count(args.split), 4)))
    dt = time.perf_counter() - t0
    pos = [r for r in rows if r["label"] == 1]
    neg = [r for r in rows if r["label"] == 0]
    print(f"{args.split} set, {len(tasks)} queries, {len(neg)} negatives, {dt:.0f} s; overrides {overrides or 'none'}")
    for e in edits:
        sel = [r for r in pos if r["edit"] == e]
        line = f"  {e:<18} recall {np.mean([r['copy'] for r in sel]):.3f} (n={len(sel)})"
        if e in build.PARTIAL_EDITS or e in build.CROP_SHARE:
            err = np.array([abs((r["share"] or 0.0) - r["true_share"]) for r in sel])
            line += f"  share within 5 pts {np.mean(err <= 0.05):.3f}  median err {np.median(err) * 100:.1f} pts"
        print(line)
    for name, group in SHORT.items():
        sel = [r for r in pos if r["edit"] in group]
        if sel:
            print(f"  [{name}] recall {np.mean([r['copy'] for r in sel]):.3f} (n={len(sel)})")
    part = [r for r in pos if r["edit"] in build.PARTIAL_EDITS]
    if part:
        err = np.array([abs((r["share"] or 0.0) - r["true_share"]) for r in part])
        print(f"  [partial share] within 5 pts {np.mean(err <= 0.05):.3f}  (n={len(part)})")
    print(f"  [all] recall {np.mean([r['copy'] for r in pos]):.3f} (n={len(pos)})")
    if neg:
        unrel = [r for r in neg if not r.get("hard")]
        print(
            f"  negatives: {sum(r['copy'] for r in unrel)} FP of {len(unrel)} unrelated, "
            f"{sum(r['copy'] for r in neg if r.get('hard'))} of {len(neg) - len(unrel)} hard; "
            f"largest unrelated score {max((r['score'] for r in unrel), default=0):.3f}"
        )
    secs = [r["seconds"] for r in rows if "seconds" in r]
    by = {
        name: [r["seconds"] for r in rows if "seconds" in r and r["label"] == lab]
        for name, lab in (("copy", 1), ("unrelated", 0))
    }
    print(
        f"  median s/pair {np.median(secs):.3f} ("
        + ", ".join(f"{name} {np.median(v):.3f}" for name, v in by.items() if v)
        + ")"
    )
    if args.misses:
        for r in pos:
            if not r["copy"] or (
                r["edit"] in build.PARTIAL_EDITS and abs((r["share"] or 0) - (r["true_share"] or 0)) > 0.05
            ):
                spec = build.source_specs(args.split)[r["source"]]
                print(
                    f"    {'MISS' if not r['copy'] else 'share'} {r['edit']:<16} {spec.name:<22} seed {r['seed']} "
                    f"rung {r['rung']:<16} score {r['score']:.3f} share {r['share'] or 0:.3f} true {r['true_share'] or 0:.3f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
