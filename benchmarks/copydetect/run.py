"""Run the copy-detection benchmark on one half of the sources, today's engine beside the baseline.

    python benchmarks/copydetect/run.py                 # the held-out test half, both engines
    python benchmarks/copydetect/run.py --split tune    # the half every threshold is tuned on
    python benchmarks/copydetect/run.py --quick         # smoke test: 8 sources, one seed
    python benchmarks/copydetect/run.py --engines current --json out.json

Every pair goes through the product's own entry point (``compare_loaded``: features, every
signal, the verdict ladder, the copied share; no figures), so what is scored is what
``fairuse compare`` reports. Each image's features are computed once per worker and reused.

The **baseline** is the image engine as it was before issue #11 (commit ``BASELINE_COMMIT``):
its ``analysis/`` folder is exported with ``git archive`` into a temporary folder and its
workers import it from there, on the same queries in the same run. Without git (or the
commit) the baseline is skipped with a message.

Reported per engine, at the product's thresholds (the verdict says near-duplicate or partial
copy): recall per edit, per group the issue names and overall; false positives among all
negatives (unrelated pairs and hard negatives); the copied share of the source within 5
points of the truth on partial copies; region IoU; and, threshold-free, ROC-AUC and recall
at 1 % false positives of the fused score.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# one thread per worker process: the parallelism is across queries (avoids oversubscription)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

BASELINE_COMMIT = "5fd14d9"  # the image engine before issue #11
COPY_RUNGS = ("near_duplicate", "partial_copy")
_STATE: dict = {}


# --------------------------------------------------------------------------- workers
def _init(engine_root: str, split: str, negatives: int | None = None) -> None:
    # the engine's analysis/ first, then this tree (for benchmarks.imagegen)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, engine_root)
    import cv2

    cv2.setNumThreads(1)
    import analysis.measure.image.features as feats

    original = feats.extract
    memo: dict = {}

    def cached_extract(rgb, **kw):  # one feature set per image per worker
        key = (rgb.__array_interface__["data"][0], rgb.shape)
        hit = memo.get(key)
        if hit is None or hit[0] is not rgb:
            hit = (rgb, original(rgb, **kw))
            memo[key] = hit
            if len(memo) > 64:
                memo.pop(next(iter(memo)))
        return hit[1]

    feats.extract = cached_extract
    import build

    specs = build.source_specs(split)
    _STATE.update(split=split, n=len(specs), specs=specs, loaded={}, k=negatives or build.NEGATIVES_PER_QUERY)


def _encode(rgb: np.ndarray) -> bytes:
    import cv2

    return cv2.imencode(".png", np.ascontiguousarray(rgb[..., ::-1]))[1].tobytes()


def _source(i: int):
    import build

    from analysis.ingest.image import load_image

    if i not in _STATE["loaded"]:
        _STATE["loaded"][i] = load_image(_encode(build.load_source(_STATE["specs"][i])), f"source{i}.png")
    return _STATE["loaded"][i]


def _score(report) -> float:
    img = report.image
    val = getattr(img, "fused_score", None)
    if val is not None:
        return float(val)
    for note in img.notes:  # the baseline reports it only in a sentence
        m = re.search(r"Fused copy score ([0-9.]+)", note)
        if m:
            return float(m.group(1))
    return float("nan")


def _row(report) -> dict:
    return {
        "rung": report.image.verdict.rung,
        "copy": report.image.verdict.rung in COPY_RUNGS,
        "score": _score(report),
        "share": report.facts.share_of_source_taken,
    }


def _poly_iou(a: np.ndarray, b: np.ndarray, size: tuple[int, int]) -> float:
    import cv2

    w, h = size
    f = min(1.0, 512.0 / max(w, h))
    ma = np.zeros((max(1, round(h * f)), max(1, round(w * f))), np.uint8)
    mb = ma.copy()
    cv2.fillPoly(ma, [np.round(a * f).astype(np.int32)], 1)
    cv2.fillPoly(mb, [np.round(b * f).astype(np.int32)], 1)
    union = np.logical_or(ma, mb).sum()
    return float(np.logical_and(ma, mb).sum() / union) if union else 0.0


def _run_query(task: tuple[int, str, int]) -> list[dict]:
    import build

    from analysis.ingest.image import load_image
    from analysis.measure.image.compare import compare_loaded

    si, edit, seed = task
    q = build.make_query(build.load_source(_STATE["specs"][si]), si, edit, seed, _STATE["split"])
    gen = load_image(_encode(q.image), "query.png")
    rows = []
    targets = [(si, 1)] + [
        (j, 0) for j in build.negatives_for(si, _STATE["n"], seed, _STATE.get("k", build.NEGATIVES_PER_QUERY))
    ]
    for target, label in targets:
        t = time.perf_counter()
        rep = compare_loaded(gen, _source(target), device="cpu", figures=False)
        assert rep.image is not None
        row = {"edit": edit, "seed": seed, "source": si, "target": target, "label": label, **_row(rep)}
        row["kind"] = _STATE["specs"][si].kind
        row["seconds"] = time.perf_counter() - t
        if label:
            row["true_share"] = q.true_share
            if q.true_region is not None:
                reg = rep.image.region
                row["iou"] = (
                    _poly_iou(np.array(reg.generated_polygon.points), q.true_region, gen.original_size)
                    if reg is not None and row["copy"]
                    else 0.0
                )
        rows.append(row)
    return rows


def _run_hard(index: int) -> dict:
    import build

    from analysis.ingest.image import load_image
    from analysis.measure.image.compare import compare_loaded

    kind, a, b = build.hard_negative(_STATE["split"], index)
    rep = compare_loaded(load_image(_encode(a), "a.png"), load_image(_encode(b), "b.png"), device="cpu", figures=False)
    return {"edit": "hard:" + kind, "label": 0, "hard": True, **_row(rep)}


# --------------------------------------------------------------------------- scoring
def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    allv = np.concatenate([pos, neg])
    from scipy.stats import rankdata

    ranks = rankdata(allv)
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def summarise(rows: list[dict]) -> dict:
    import build

    pos = [r for r in rows if r["label"] == 1]
    neg = [r for r in rows if r["label"] == 0]
    neg_scores = np.array([r["score"] for r in neg])
    k = int(np.floor(0.01 * len(neg_scores)))
    thr = float(np.nextafter(np.sort(neg_scores)[::-1][k], np.inf)) if len(neg_scores) > k else -np.inf

    def rec(sel: list[dict]) -> dict:
        if not sel:
            return {"n": 0}
        s = np.array([r["score"] for r in sel])
        return {
            "n": len(sel),
            "recall": float(np.mean([r["copy"] for r in sel])),
            "auc": roc_auc(s, neg_scores),
            "recall@1%fpr": float(np.mean(s >= thr)),
        }

    out: dict = {"per_edit": {}, "groups": {}, "kinds": {}}
    for e in build.EDITS:
        out["per_edit"][e] = rec([r for r in pos if r["edit"] == e])
    for g, edits in build.GROUPS.items():
        out["groups"][g] = rec([r for r in pos if r["edit"] in edits])
    for kind in sorted({r["kind"] for r in pos}):
        out["kinds"][kind] = rec([r for r in pos if r["kind"] == kind])
    out["all"] = rec(pos)
    hard = [r for r in neg if r.get("hard")]
    out["negatives"] = {
        "n": len(neg),
        "unrelated": len(neg) - len(hard),
        "hard": len(hard),
        "false_positives": int(sum(r["copy"] for r in neg)),
        "false_positives_unrelated": int(sum(r["copy"] for r in neg if not r.get("hard"))),
        "false_positives_hard": int(sum(r["copy"] for r in hard)),
        "max_unrelated_score": float(max((r["score"] for r in neg if not r.get("hard")), default=0.0)),
        "hard_by_kind": {
            kind: {
                "n": sum(1 for r in hard if r["edit"] == kind),
                "flagged": sum(r["copy"] for r in hard if r["edit"] == kind),
            }
            for kind in sorted({r["edit"] for r in hard})
        },
        "threshold_at_1pct_fpr": thr,
    }
    part = [r for r in pos if r["edit"] in build.PARTIAL_EDITS]
    errs = np.array([abs((r["share"] or 0.0) - r["true_share"]) for r in part])
    found = [r for r in part if r["copy"]]
    errs_found = np.array([abs((r["share"] or 0.0) - r["true_share"]) for r in found])
    ious = np.array([r.get("iou", 0.0) for r in part])
    out["share"] = {
        "partial_copies": len(part),
        "within_5_points": float(np.mean(errs <= 0.05)) if len(part) else float("nan"),
        "within_5_points_of_detected": float(np.mean(errs_found <= 0.05)) if len(found) else float("nan"),
        "median_error_points_detected": float(np.median(errs_found) * 100) if len(found) else float("nan"),
        "iou_ge_0.5": float(np.mean(ious >= 0.5)) if len(part) else float("nan"),
        "by_edit": {
            e: float(np.mean([abs((r["share"] or 0.0) - r["true_share"]) <= 0.05 for r in part if r["edit"] == e]))
            for e in build.PARTIAL_EDITS
            if any(r["edit"] == e for r in part)
        },
    }
    crops = [r for r in pos if r["edit"] in build.CROP_SHARE and r["copy"]]
    out["share"]["crops_within_5_points_of_detected"] = (
        float(np.mean([abs((r["share"] or 0.0) - r["true_share"]) <= 0.05 for r in crops])) if crops else float("nan")
    )
    secs = np.array([r["seconds"] for r in rows if "seconds" in r])
    out["seconds_per_pair_median"] = float(np.median(secs)) if len(secs) else float("nan")
    return out


def print_side_by_side(summaries: dict[str, dict]) -> None:
    names = list(summaries)
    head = "".join(f"{n:>24}" for n in names)
    print(f"\n{'recall at the product thresholds':<34}{head}")

    def line(label: str, get) -> None:
        cells = []
        for n in names:
            try:
                cells.append(get(summaries[n]))
            except (KeyError, TypeError):
                cells.append("-")
        print(f"{label:<34}" + "".join(f"{c:>24}" for c in cells))

    def r(x: dict) -> str:
        return f"{x['recall']:.3f} (n={x['n']})" if x.get("n") else "-"

    line("ALL copies", lambda s: r(s["all"]))
    for g in summaries[names[0]]["groups"]:
        line("  " + g, lambda s, g=g: r(s["groups"][g]))
    print()
    for e in summaries[names[0]]["per_edit"]:
        line("  " + e, lambda s, e=e: r(s["per_edit"][e]))
    print()
    for kind in summaries[names[0]]["kinds"]:
        line("  source kind " + kind, lambda s, kind=kind: r(s["kinds"][kind]))
    print()
    line("negatives (unrelated + hard)", lambda s: f"{s['negatives']['unrelated']} + {s['negatives']['hard']}")
    line("false positives (all)", lambda s: str(s["negatives"]["false_positives"]))
    line("  among unrelated", lambda s: str(s["negatives"]["false_positives_unrelated"]))
    for kind in summaries[names[0]]["negatives"]["hard_by_kind"]:
        line(
            "  " + kind[5:][:32],
            lambda s, kind=kind: "{flagged} of {n}".format(**s["negatives"]["hard_by_kind"][kind]),
        )
    line("largest unrelated fused score", lambda s: f"{s['negatives']['max_unrelated_score']:.3f}")
    line("share within 5 pts (partial)", lambda s: f"{s['share']['within_5_points']:.3f}")
    line("  of detected partial copies", lambda s: f"{s['share']['within_5_points_of_detected']:.3f}")
    for e in summaries[names[0]]["share"]["by_edit"]:
        line("  " + e, lambda s, e=e: f"{s['share']['by_edit'][e]:.3f}")
    line("  median error (pts, detected)", lambda s: f"{s['share']['median_error_points_detected']:.1f}")
    line("crops: share within 5 pts", lambda s: f"{s['share']['crops_within_5_points_of_detected']:.3f}")
    line("region IoU >= 0.5 (partial)", lambda s: f"{s['share']['iou_ge_0.5']:.3f}")
    line("fused AUC (all copies)", lambda s: f"{s['all']['auc']:.3f}")
    line("fused recall @ 1 % FPR", lambda s: f"{s['all']['recall@1%fpr']:.3f}")
    line("median seconds per pair", lambda s: f"{s['seconds_per_pair_median']:.3f}")


# --------------------------------------------------------------------------- engines
def baseline_root(commit: str) -> Path | None:
    """Export the baseline commit's ``analysis/`` into a temporary folder (None if impossible)."""
    dest = Path(tempfile.mkdtemp(prefix="fairuse-baseline-"))
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "analysis"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"baseline skipped: cannot export commit {commit} ({exc})")
        return None
    return dest


def run_engine(
    name: str,
    root: Path,
    split: str,
    chosen: list[int],
    seeds: tuple[int, ...],
    workers: int,
    every_hard: int,
    edits: list[str] | None = None,
    negatives: int | None = None,
    stream: Path | None = None,
    shuffle: bool = False,
) -> tuple[list, float]:
    import multiprocessing as mp

    import build

    order = list(chosen)
    if shuffle:  # a fixed mix of source kinds first, so a run stopped early still covers every kind
        order = [order[i] for i in np.random.default_rng(0).permutation(len(order))]
    tasks = [(i, e, s) for s in seeds for i in order for e in (edits or build.EDITS)]
    hard = list(range(0, build.hard_negative_count(split), every_hard))
    t0 = time.perf_counter()
    # spawn, not fork: each worker imports its own engine fresh (and no forked thread pools)
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(str(root), split, negatives)) as pool:
        if stream is None:
            chunks = pool.map(_run_query, tasks, chunksize=4)
            hard_rows = pool.map(_run_hard, hard)
        else:  # every row written as it comes, so a run stopped early keeps what it measured
            chunks, hard_rows = [], []
            with stream.open("a") as fh:
                for chunk in pool.imap(_run_query, tasks):
                    chunks.append(chunk)
                    fh.writelines(json.dumps({"engine": name, **r}) + "\n" for r in chunk)
                    fh.flush()
                for row in pool.imap(_run_hard, hard):
                    hard_rows.append(row)
                    fh.write(json.dumps({"engine": name, **row}) + "\n")
                    fh.flush()
    rows = [r for c in chunks for r in c] + hard_rows
    return rows, time.perf_counter() - t0


def summarise_stream(path: Path) -> int:
    """Print the side-by-side table for the rows of a ``--stream`` file (a run stopped early)."""
    by: dict[str, list[dict]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            by.setdefault(row.pop("engine"), []).append(row)
    for name, rows in by.items():
        pos = [r for r in rows if r["label"] == 1]
        print(
            f"{name}: {len(pos)} copies from {len({r['source'] for r in pos})} sources, "
            f"{len(rows) - len(pos)} negatives ({sum(1 for r in rows if r.get('hard'))} hard)"
        )
    print_side_by_side({k: summarise(v) for k, v in by.items()})
    return 0


def main(argv: list[str] | None = None) -> int:
    import build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=build.SPLITS, default="test")
    ap.add_argument("--quick", action="store_true", help="8 sources, one seed, a quarter of the hard negatives")
    ap.add_argument("--every", type=int, default=None, help="every K-th source of the half (default 1; --quick: 3)")
    ap.add_argument("--seeds", type=int, default=None, help="the first N of the three seeds (default all; --quick: 1)")
    ap.add_argument("--edits", default=None, help="comma-separated edit kinds (default all of build.EDITS)")
    ap.add_argument(
        "--negatives", type=int, default=None, help="unrelated sources per query (default build.NEGATIVES_PER_QUERY)"
    )
    ap.add_argument("--every-hard", type=int, default=None, help="every K-th hard negative (default 1; --quick: 4)")
    ap.add_argument("--stream", type=Path, default=None, help="append every row to this JSONL file as it comes")
    ap.add_argument("--shuffle", action="store_true", help="sources in a fixed shuffled order (mixed kinds first)")
    ap.add_argument("--summarise", type=Path, default=None, help="only summarise the rows of a --stream file")
    ap.add_argument("--engines", default="current,baseline", help="comma-separated: current, baseline")
    ap.add_argument("--baseline-commit", default=BASELINE_COMMIT)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", type=Path, default=None, help="write per-pair rows and the summaries")
    args = ap.parse_args(argv)
    if args.summarise is not None:
        return summarise_stream(args.summarise)
    n_all = len(build.source_specs(args.split))
    every = args.every or (3 if args.quick else 1)
    chosen = list(range(0, n_all, every))
    seeds = build.SEEDS[: args.seeds or (1 if args.quick else len(build.SEEDS))]
    every_hard = args.every_hard or (1 if every == 1 else 4)
    edits = args.edits.split(",") if args.edits else None
    for e in edits or []:
        if e not in build.EDITS:
            ap.error(f"unknown edit {e!r}")
    engines: dict[str, Path] = {}
    for e in args.engines.split(","):
        if e == "current":
            engines["current"] = ROOT
        elif e == "baseline":
            root = baseline_root(args.baseline_commit)
            if root is not None:
                engines[f"baseline {args.baseline_commit}"] = root
        else:
            ap.error(f"unknown engine {e!r}")
    summaries, all_rows, times = {}, {}, {}
    for name, root in engines.items():
        rows, dt = run_engine(
            name,
            root,
            args.split,
            chosen,
            seeds,
            args.workers,
            every_hard,
            edits=edits,
            negatives=args.negatives,
            stream=args.stream,
            shuffle=args.shuffle,
        )
        summaries[name], all_rows[name], times[name] = summarise(rows), rows, dt
        print(f"{name}: {len(rows)} pairs in {dt:.0f} s on {args.workers} worker(s)", flush=True)
    n_pos = sum(r["label"] for r in next(iter(all_rows.values())))
    n_neg = len(next(iter(all_rows.values()))) - n_pos
    print(
        f"\ncopy-detection benchmark, {args.split} half: {len(chosen)} of {n_all} sources x {len(edits or build.EDITS)} edits "
        f"x {len(seeds)} seed(s) "
        f"= {n_pos} copies; {n_neg} negatives"
    )
    print_side_by_side(summaries)
    print("\nrun time: " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
    if args.json:
        args.json.write_text(json.dumps({"summaries": summaries, "rows": all_rows, "seconds": times}, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
