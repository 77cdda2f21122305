"""Speed of the image engine: one pair of 1024 x 1024 images, with a per-signal breakdown.

    python benchmarks/bench_image.py                 # classical signals, CPU
    python benchmarks/bench_image.py --device cuda --model /path/model.torchscript.pt

The pair is a drawn scene and a copy of it with a pasted region, perspective and JPEG,
both at 1024 x 1024 (PNG bytes in memory). We time the full ``compare_image_bytes`` call
(decode, analysis-size copy, features, every signal, verdict, figures) and each stage on its
own, and compare with a baseline in the same run: the same region matching run naively at
full resolution (no downscaling, all SIFT keypoints, brute-force matching), which is what
the analysis-size copy saves. ``--model`` adds the optional deep backend's throughput
(images per second, batched) on the chosen device.

``--phases`` (on by default) times where one image compare spends its time in a fresh
process: importing the engine, the first call (lazy imports of OpenCV, Pillow and
scikit-image, the background statistics), then each repeated in-process compare, and a
whole ``fairuse compare`` command; it checks that no torch, transformers or
sentence-transformers module was imported. The same is measured for the engine before
issue #11 (commit ``BASELINE_COMMIT``, exported with ``git archive``) in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
sys.path.insert(0, str(ROOT))
BASELINE_COMMIT = "5fd14d9"
HEAVY = ("torch", "transformers", "sentence_transformers")

# runs in a fresh interpreter with the engine's root first on sys.path
_PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from analysis.measure.image.compare import compare_image_bytes
t1 = time.perf_counter()
gen, src = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
call = lambda: compare_image_bytes(gen, src, generated_name="g.png", source_name="s.png", device="cpu")
call()
t2 = time.perf_counter()
rep = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter(); call(); rep.append(time.perf_counter() - t)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers", "sentence_transformers"))
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "repeat": rep, "heavy": heavy}))
"""


def _pair() -> tuple[bytes, bytes]:
    import cv2

    from benchmarks.imagegen import synthetic

    src = synthetic.painting(3, (1024, 1024), strokes=6000)
    gen = synthetic.landscape(4, (1024, 1024))
    piece = cv2.resize(src[100:700, 200:800], (500, 500), interpolation=cv2.INTER_AREA)
    gen[400:900, 420:920] = piece
    enc = lambda a: cv2.imencode(".png", a[..., ::-1])[1].tobytes()  # noqa: E731
    return enc(gen), enc(src)


def _export_baseline() -> Path | None:
    import subprocess
    import tempfile

    dest = Path(tempfile.mkdtemp(prefix="fairuse-baseline-"))
    try:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BASELINE_COMMIT, "analysis"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(dest)], input=tar.stdout, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return dest


def phases(repeat: int) -> None:
    """Start-up phases of one image compare in fresh processes, this engine and the baseline."""
    import json
    import os
    import subprocess
    import tempfile

    gen_b, src_b = _pair()
    tmp = Path(tempfile.mkdtemp(prefix="fairuse-bench-"))
    (tmp / "g.png").write_bytes(gen_b)
    (tmp / "s.png").write_bytes(src_b)
    engines = {"this engine": ROOT}
    base = _export_baseline()
    if base is not None:
        engines[f"baseline {BASELINE_COMMIT}"] = base
    print(f"start-up phases of one 1024x1024 image compare, fresh process each (median of {repeat} repeats):")
    for name, root in engines.items():
        env = {**os.environ, "PYTHONPATH": str(root)}
        out = subprocess.run(
            [sys.executable, "-c", _PHASES, str(tmp / "g.png"), str(tmp / "s.png"), str(repeat)],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(root),
            check=True,
        )
        d = json.loads(out.stdout.strip().splitlines()[-1])
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "analysis.cli",
                "compare",
                str(tmp / "g.png"),
                str(tmp / "s.png"),
                "--json",
                str(tmp / "r.json"),
            ],
            capture_output=True,
            env=env,
            cwd=str(root),
            check=True,
        )
        cli = time.perf_counter() - t
        rep = statistics.median(d["repeat"])
        print(
            f"  {name:<20} import {d['import'] * 1000:6.0f} ms | first call {d['first'] * 1000:6.0f} ms "
            f"(loading = {(d['first'] - rep) * 1000:5.0f} ms) | repeated compare {rep * 1000:6.0f} ms | "
            f"whole `fairuse compare` {cli * 1000:6.0f} ms | heavy modules imported: {', '.join(d['heavy']) or 'none'}"
        )


def _time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median seconds of ``repeat`` calls (at least one) and the last call's result."""
    times: list[float] = []
    while True:
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
        if len(times) >= repeat:
            return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="image engine speed")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--device", default="cpu", help="device for the optional deep backend")
    ap.add_argument("--model", default=None, help="optional image model (TorchScript file or transformers folder)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--no-phases", action="store_true", help="skip the start-up phases (fresh processes)")
    args = ap.parse_args(argv)
    if not args.no_phases:
        phases(args.repeat)

    import cv2

    from analysis.ingest.image import load_image
    from analysis.measure.image.compare import compare_image_bytes
    from analysis.measure.image.composition import composition_ssim
    from analysis.measure.image.features import extract, min_phash_distance, orb_keypoints, phashes, sift_keypoints
    from analysis.measure.image.figures import overlay, side_by_side
    from analysis.measure.image.region import find_region
    from analysis.measure.image.style import style_distance, style_vector

    gen_b, src_b = _pair()
    # warm-up: lazy imports, background statistics
    compare_image_bytes(gen_b, src_b, generated_name="g.png", source_name="s.png", device="cpu")

    total, rep = _time(
        lambda: compare_image_bytes(gen_b, src_b, generated_name="g.png", source_name="s.png", device="cpu"),
        args.repeat,
    )
    assert rep.image is not None
    g = load_image(gen_b, "g.png")
    s = load_image(src_b, "s.png")
    gf, sf = extract(g.analysis), extract(s.analysis)
    stages = {
        "decode + analysis copy (2 images)": lambda: (load_image(gen_b, "g"), load_image(src_b, "s")),
        "pHash x8 transforms (2 images)": lambda: (phashes(gf.gray), phashes(sf.gray)),
        "SIFT keypoints (2 images)": lambda: (sift_keypoints(gf.gray), sift_keypoints(sf.gray)),
        "ORB keypoints (2 images)": lambda: (orb_keypoints(gf.gray), orb_keypoints(sf.gray)),
        "style vectors (2 images)": lambda: (style_vector(gf.rgb), style_vector(sf.rgb)),
        "near-duplicate: pHash distance": lambda: min_phash_distance(gf, sf),
        "region: match + RANSAC + localise": lambda: find_region(gf, sf),
        "composition: aligned SSIM": lambda: composition_ssim(gf, sf, None),
        "style: distance": lambda: style_distance(gf.style, sf.style),
    }
    match = find_region(gf, sf)
    stages["figures"] = lambda: (side_by_side(gf, sf, match), overlay(gf, sf, match) if match else None)

    print(f"image engine on one 1024x1024 pair (CPU, no deep model), median of {args.repeat}:")
    print(
        f"  full compare_image_bytes: {total * 1000:7.0f} ms   verdict {rep.image.verdict.rung}, "
        f"{rep.image.region.inliers if rep.image.region else 0} inliers"
    )
    for name, fn in stages.items():
        t, _ = _time(fn, args.repeat)
        print(f"    {name:<38} {t * 1000:7.1f} ms")

    # baseline: region matching at full resolution, all keypoints, brute force
    def naive():
        a = cv2.cvtColor(g.rgb, cv2.COLOR_RGB2GRAY)
        b = cv2.cvtColor(s.rgb, cv2.COLOR_RGB2GRAY)
        sift = cv2.SIFT.create()
        ka, da = sift.detectAndCompute(a, None)
        kb, db = sift.detectAndCompute(b, None)
        knn = cv2.BFMatcher(cv2.NORM_L2).knnMatch(da, db, k=2)
        good = [m for m, n in (p for p in knn if len(p) == 2) if m.distance < 0.75 * n.distance]
        pa = np.array([ka[m.queryIdx].pt for m in good], dtype=np.float32)
        pb = np.array([kb[m.trainIdx].pt for m in good], dtype=np.float32)
        _H, mask = cv2.findHomography(pb, pa, cv2.RANSAC, 5.0)
        return len(ka), len(kb), int(mask.sum()) if mask is not None else 0

    tb, (na, nb, inl) = _time(naive, max(1, args.repeat - 1))
    print(
        f"  baseline: naive full-resolution SIFT + brute force ({na}+{nb} keypoints, {inl} inliers): {tb * 1000:7.0f} ms"
    )
    print(f"  speed-up of the whole engine over the baseline's matching alone: {tb / total:4.1f}x")
    print(f"  target: full compare under 1000 ms -> {'met' if total < 1.0 else 'NOT met'}")

    if args.model:
        from analysis.device import resolve_device
        from analysis.measure.image.deep import load_embedder

        dev = resolve_device(args.device)
        emb = load_embedder(args.model, dev)
        imgs = [g.analysis, s.analysis] * (args.batch // 2 or 1)
        emb.embed(imgs[:2])
        t, _ = _time(lambda: emb.embed(imgs, batch_size=args.batch), args.repeat)
        print(f"  deep backend {emb.name} ({emb.kind}) on {dev}: {len(imgs) / t:7.1f} images/s (batch {args.batch})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
