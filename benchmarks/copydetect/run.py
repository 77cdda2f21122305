"""Run the DISC21-style copy-detection benchmark and print per-edit accuracy.

    python benchmarks/copydetect/run.py            # 42 sources x 19 edits, 8 negatives each
    python benchmarks/copydetect/run.py --quick    # the 14 photographs/textures only, a fast check
    python benchmarks/copydetect/run.py --workers 2 --json results.json

For every scorer (the fused verdict score, and the single signals pHash, guarded region
matching and SSIM for comparison) it reports per edit type the ROC-AUC (that edit's
positives against the negatives of the same queries) and the recall at ONE threshold: the
one giving 1 % false positives over all negatives. It also reports the recall and false-
positive rate at the product's own decision (fused score >= 0.5, i.e. the verdict says
near-duplicate or partial copy), and localisation: the IoU of the found region with the
true pasted region, for the "pasted region" and "shrunk into another" edits.

Everything runs through the product's own code (``analysis.measure.image``), on the
analysis-size copy exactly as ``fairuse compare`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# one thread per worker process: the parallelism is across queries (avoids oversubscription)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build  # noqa: E402

_STATE: dict = {}


def _features(rgb: np.ndarray):
    from analysis.ingest.image import _resize_for_analysis
    from analysis.measure.image.features import extract

    small, scale = _resize_for_analysis(rgb)
    return extract(small), scale


def _init(n_sources: int) -> None:
    import cv2

    cv2.setNumThreads(1)
    srcs = build.sources(n_sources)
    _STATE["sources"] = srcs
    _STATE["feats"] = [_features(rgb)[0] for _, rgb in srcs]


def _poly_iou(a: np.ndarray, b: np.ndarray, size: tuple[int, int]) -> float:
    import cv2

    w, h = size
    ma = np.zeros((h, w), np.uint8)
    mb = np.zeros((h, w), np.uint8)
    cv2.fillPoly(ma, [np.round(a).astype(np.int32)], 1)
    cv2.fillPoly(mb, [np.round(b).astype(np.int32)], 1)
    inter = np.logical_and(ma, mb).sum()
    union = np.logical_or(ma, mb).sum()
    return float(inter / union) if union else 0.0


def _run_query(task: tuple[int, str]) -> list[dict]:
    from analysis.measure.image.signals import copy_score, measure_pair

    si, edit = task
    srcs, feats = _STATE["sources"], _STATE["feats"]
    q = build.make_query(srcs[si][1], si, edit)
    qf, scale = _features(q.image)
    rows = []
    for target, label in [(si, 1)] + [(j, 0) for j in build.negatives_for(si, len(srcs))]:
        m = measure_pair(qf, feats[target], localise=bool(label))
        row = {
            "edit": edit,
            "source": si,
            "target": target,
            "label": label,
            "fused": copy_score(m),
            "phash": -float(m.phash_distance),
            "region": float(m.inliers),
            "ssim": float(m.ssim),
            "detector": None if m.region is None else m.region.detector,
            "matches": 0 if m.region is None else int(m.region.matches),
        }
        if label and q.true_region is not None:
            iou = 0.0
            if m.region_verified and m.region.generated_polygon is not None:
                iou = _poly_iou(m.region.generated_polygon, q.true_region * scale, qf.size)
            row["iou"] = iou
        rows.append(row)
    return rows


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sv = allv[order]
    i = 0
    while i < len(sv):  # average ranks over ties
        j = i
        while j + 1 < len(sv) and sv[j + 1] == sv[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    rp = ranks[: len(pos)].sum()
    return float((rp - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def threshold_at_fpr(neg: np.ndarray, fpr: float = 0.01) -> float:
    """Smallest threshold t with mean(neg >= t) <= fpr (a positive needs score >= t)."""
    s = np.sort(neg)[::-1]
    k = int(np.floor(fpr * len(s)))  # at most k negatives may reach the threshold
    if k >= len(s):
        return -np.inf
    t = s[k]
    return float(np.nextafter(t, np.inf))


def summarise(rows: list[dict]) -> dict:
    scorers = ["fused", "phash", "region", "ssim"]
    neg_all = {k: np.array([r[k] for r in rows if r["label"] == 0]) for k in scorers}
    thr = {k: threshold_at_fpr(neg_all[k]) for k in scorers}
    edits = [e for e in build.EDITS if any(r["edit"] == e for r in rows)]
    out = {"thresholds_at_1pct_fpr": thr, "per_edit": {}, "overall": {}}
    for e in [*edits, "ALL"]:
        sel = [r for r in rows if e == "ALL" or r["edit"] == e]
        res = {}
        for k in scorers:
            pos = np.array([r[k] for r in sel if r["label"] == 1])
            neg = np.array([r[k] for r in sel if r["label"] == 0])
            res[k] = {"auc": roc_auc(pos, neg), "recall@1%fpr": float(np.mean(pos >= thr[k]))}
        pos_f = np.array([r["fused"] for r in sel if r["label"] == 1])
        neg_f = np.array([r["fused"] for r in sel if r["label"] == 0])
        res["product_decision"] = {"recall": float(np.mean(pos_f >= 0.5)), "fpr": float(np.mean(neg_f >= 0.5))}
        res["n_pos"], res["n_neg"] = len(pos_f), len(neg_f)
        (out["overall"] if e == "ALL" else out["per_edit"])[e] = res
    ious = [r["iou"] for r in rows if "iou" in r]
    pasted = [r for r in rows if r["label"] == 1 and r["edit"] == "pasted_region"]
    out["localisation"] = {
        "partial_copies": len(ious),
        "share_iou_ge_0.5": float(np.mean(np.array(ious) >= 0.5)) if ious else float("nan"),
        "median_iou": float(np.median(ious)) if ious else float("nan"),
    }
    out["pasted_region_recall_at_1pct_fpr"] = (
        float(np.mean([r["fused"] >= thr["fused"] for r in pasted])) if pasted else float("nan")
    )
    return out


def print_table(s: dict) -> None:
    print(
        f"\n{'edit':<18} {'n+':>4} {'fused AUC':>9} {'fused R@1%':>10} {'pHash R':>8} {'region R':>9} {'SSIM R':>7} {'product R/FPR':>14}"
    )
    for e, r in [*list(s["per_edit"].items()), ("ALL", s["overall"]["ALL"])]:
        print(
            f"{e:<18} {r['n_pos']:>4} {r['fused']['auc']:>9.3f} {r['fused']['recall@1%fpr']:>10.3f} "
            f"{r['phash']['recall@1%fpr']:>8.3f} {r['region']['recall@1%fpr']:>9.3f} {r['ssim']['recall@1%fpr']:>7.3f} "
            f"{r['product_decision']['recall']:>7.3f}/{r['product_decision']['fpr']:.3f}"
        )
    loc = s["localisation"]
    print("\nthresholds at 1 % FPR: " + ", ".join(f"{k} {v:.3f}" for k, v in s["thresholds_at_1pct_fpr"].items()))
    print(f"pasted-region recall (fused, 1 % FPR): {s['pasted_region_recall_at_1pct_fpr']:.3f}")
    print(
        f"localisation: IoU >= 0.5 on {loc['share_iou_ge_0.5'] * 100:.1f} % of {loc['partial_copies']} partial copies (median IoU {loc['median_iou']:.3f})"
    )


def hard_negatives() -> list[dict]:
    """Pairs that look related but are not copies, and how the report words them.

    * two photographs of the same scene: the Middlebury stereo pair bundled with
      scikit-image (``stereo_motorcycle``; read at run time, never redistributed);
    * two paintings in one style (same palette and brushwork, different content);
    * two pictures with the same layout in large masses but different textures.
    """
    import cv2
    import skimage.data

    from analysis.measure.image.compare import compare_image_bytes
    from benchmarks.imagegen import synthetic
    from benchmarks.imagegen.free_images import skimage_image  # noqa: F401

    left, right, _ = skimage.data.stereo_motorcycle()
    enc = lambda a: cv2.imencode(".png", np.ascontiguousarray(a[..., ::-1]))[1].tobytes()  # noqa: E731

    def scene(seed: int) -> np.ndarray:
        sky = synthetic.noise_texture(seed)
        ground = synthetic.painting(seed, strokes=800)
        img = np.zeros((512, 512, 3), np.uint8)
        img[:300] = (sky[:300] * 0.5 + 120).astype(np.uint8)
        img[300:] = (ground[300:] * 0.4).astype(np.uint8)
        cv2.circle(img, (380, 120), 60, (250, 250, 250), -1)
        return img

    pairs = [
        ("two photographs of the same scene (stereo pair)", left, right),
        (
            "two paintings in the same style",
            synthetic.painting(11, palette="impression"),
            synthetic.painting(12, palette="impression"),
        ),
        ("same layout, different textures", scene(5), scene(9)),
    ]
    out = []
    for name, a, b in pairs:
        rep = compare_image_bytes(enc(a), enc(b), generated_name="a.png", source_name="b.png", device="cpu")
        out.append(
            {
                "pair": name,
                "rung": rep.image.verdict.rung,
                "confidence": rep.image.verdict.confidence,
                "region_share": None if rep.image.region is None else rep.image.region.source_area_share,
                "summary": [x for x in rep.summary if x.startswith(("Verdict", "Caution", "Layout", "Style"))],
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 14 scikit-image sources only (no drawn pictures)")
    ap.add_argument("--sources", type=int, default=None, help="use the first N sources")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", type=Path, default=None, help="write per-pair scores and the summary")
    args = ap.parse_args(argv)
    n_all = build.source_count()
    n = args.sources or (14 if args.quick else n_all)
    t0 = time.perf_counter()
    tasks = [(i, e) for i in range(n) for e in build.EDITS]
    if args.workers > 1:
        import multiprocessing as mp

        # spawn, not fork: a forked child can deadlock on thread pools (OpenCV, OpenMP) the
        # parent has started; spawned workers import everything fresh
        ctx = mp.get_context("spawn")
        with ctx.Pool(args.workers, initializer=_init, initargs=(n,)) as pool:
            chunks = pool.map(_run_query, tasks, chunksize=4)
    else:
        _init(n)
        chunks = [_run_query(t) for t in tasks]
    rows = [r for c in chunks for r in c]
    s = summarise(rows)
    dt = time.perf_counter() - t0
    print(
        f"copy-detection benchmark: {n} sources x {len(build.EDITS)} edits = {len(tasks)} queries, "
        f"{sum(r['label'] for r in rows)} positive and {sum(1 - r['label'] for r in rows)} negative pairs, "
        f"{dt:.0f} s on {args.workers} worker(s)"
    )
    print_table(s)
    print("\nhard negatives (how the report words them):")
    s["hard_negatives"] = hard_negatives()
    for h in s["hard_negatives"]:
        print(f"  {h['pair']}: {h['rung']} ({h['confidence']})")
        for line in h["summary"]:
            print(f"      {line}")
    if args.json:
        args.json.write_text(json.dumps({"summary": s, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
