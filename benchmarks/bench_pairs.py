"""``fairuse compare --pairs`` against separate ``fairuse compare`` calls, on image pairs, in one run.

Builds N synthetic image pairs (a crop, a recolouring, a mirrored copy or an unrelated
picture of each source), then times (a) N separate ``fairuse compare`` processes and
(b) one ``fairuse compare --pairs PAIRS.jsonl --out DIR`` over the same pairs, and prints
both and their ratio. Both paths run the same engine on one core of work each.

    python benchmarks/bench_pairs.py            # 100 pairs
    python benchmarks/bench_pairs.py --n 20     # quicker
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def build_pairs(folder: Path, n: int) -> Path:
    from analysis.measure.image.synthetic import generate

    kinds = ["painting", "landscape", "shapes", "gradient"]
    lines = []
    for i in range(n):
        src = generate(kinds[i % len(kinds)], seed=1000 + i, size=(640, 480))
        edit = i % 4
        if edit == 0:
            gen = src[60:400, 80:560]
        elif edit == 1:
            gen = np.clip(src.astype(np.int16) + np.array([30, -20, 10]), 0, 255).astype(np.uint8)
        elif edit == 2:
            gen = src[:, ::-1]
        else:
            gen = generate(kinds[(i + 1) % len(kinds)], seed=5000 + i, size=(640, 480))
        Image.fromarray(np.ascontiguousarray(src)).save(folder / f"src-{i:03d}.jpg", quality=90)
        Image.fromarray(np.ascontiguousarray(gen)).save(folder / f"gen-{i:03d}.jpg", quality=90)
        lines.append(json.dumps({"id": f"p{i:03d}", "generated": f"gen-{i:03d}.jpg", "source": f"src-{i:03d}.jpg"}))
    pairs = folder / "pairs.jsonl"
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args(argv)
    cli = [sys.executable, "-m", "analysis.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pairs = build_pairs(folder, args.n)
        t0 = time.perf_counter()
        for i in range(args.n):
            r = subprocess.run(
                [*cli, "compare", str(folder / f"gen-{i:03d}.jpg"), str(folder / f"src-{i:03d}.jpg")],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                return 1
        separate = time.perf_counter() - t0
        t0 = time.perf_counter()
        r = subprocess.run(
            [*cli, "compare", "--pairs", str(pairs), "--out", str(folder / "out")],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        batch = time.perf_counter() - t0
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        summary = json.loads((folder / "out" / "summary.json").read_text())
    print(f"{args.n} image pairs, 640x480 JPEG, no deep model")
    print(f"  {args.n} separate 'fairuse compare' calls: {separate:7.1f} s ({separate / args.n:.2f} s a pair)")
    print(f"  one 'fairuse compare --pairs' call:       {batch:7.1f} s ({batch / args.n:.2f} s a pair)")
    print(f"  ratio (separate / --pairs): {separate / batch:.2f}x; pairs ok: {summary['ok']}/{args.n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
