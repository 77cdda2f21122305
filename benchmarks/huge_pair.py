"""A huge text pair through the comparison (issue #14: a 20 MB text against a 20 MB text took
20 minutes at 3.2 GB peak, with no progress shown).

Generates a source of S MB of English-like prose (a Zipf-distributed vocabulary of 20,000 made-up
words, sentences of 8-30 words, paragraphs) and a generated work of the same size that copies
passages of 20-400 words from the source, a third of them with one word changed, between
passages of its own: the regurgitation case, where the verbatim aligner has the most to do.

Each size runs in a fresh process, as ``fairuse compare GEN SRC`` does (``compare_works`` with
the default text model on the CPU), and reports its wall time and peak RSS (``ru_maxrss``). The
baseline in the same process: reading the two files and tokenizing them (ingest only), so the
ratio says what the comparison costs over merely reading the texts.

Sizes default to 0.5, 1 and 2 MB (a 2-core machine shared by several jobs); the 20 MB figures are
then extrapolated with a power law fitted to the measured points and printed as such.
``--sizes 20`` measures the real thing.

    nice -n 10 .venv/bin/python benchmarks/huge_pair.py [--sizes 0.5 1 2] [--target 20]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _vocab(n: int, rng: random.Random) -> list[str]:
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    weights = [
        12.7,
        9.1,
        8.2,
        7.5,
        7.0,
        6.7,
        6.3,
        6.1,
        6.0,
        4.3,
        4.0,
        2.8,
        2.8,
        2.4,
        2.4,
        2.0,
        2.0,
        1.9,
        1.5,
        1.0,
        2.0,
        0.8,
        0.2,
        0.1,
        0.2,
        0.1,
    ]
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choices(letters, weights, k=rng.choice((2, 3, 4, 5, 6, 7, 8, 9)))))
    return sorted(words)


def make_pair(megabytes: float, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    vocab = _vocab(20_000, rng)
    zipf = [1.0 / (i + 1) for i in range(len(vocab))]
    target = int(megabytes * 1024 * 1024)

    def prose(n_chars: int) -> list[str]:
        out: list[str] = []
        size = 0
        while size < n_chars:
            words = rng.choices(vocab, zipf, k=rng.randint(8, 30))
            s = (
                " ".join(words).capitalize()
                + rng.choice((".", ".", ".", "?", "!"))
                + (" " if rng.random() > 0.1 else "\n\n")
            )
            out.append(s)
            size += len(s)
        return out

    source_words = "".join(prose(target)).split(" ")
    gen: list[str] = []
    size = 0
    while size < target:
        if rng.random() < 0.5:  # a copied passage
            n = rng.randint(20, 400)
            i = rng.randrange(0, max(1, len(source_words) - n))
            passage = source_words[i : i + n]
            if rng.random() < 1 / 3:
                passage = list(passage)
                passage[rng.randrange(len(passage))] = rng.choice(vocab)
            piece = " ".join(passage) + " "
        else:
            piece = "".join(prose(rng.randint(200, 3000)))
        gen.append(piece)
        size += len(piece)
    g, s = folder / f"gen-{megabytes:g}mb.txt", folder / f"src-{megabytes:g}mb.txt"
    g.write_text("".join(gen)[:target], encoding="utf-8")
    s.write_text(" ".join(source_words)[:target], encoding="utf-8")
    return g, s


def _one(gen: str, src: str) -> dict:
    """In this (fresh) process: the baseline, then the comparison; times and peak RSS."""
    from analysis.measure.compare import compare_works, works_from_paths
    from analysis.measure.text.tokens import tokenize

    t0 = time.perf_counter()
    g, s = works_from_paths(gen, src)
    gi, si = g.ingested_text(), s.ingested_text()
    tokenize(gi.normalised), tokenize(si.normalised)
    baseline = time.perf_counter() - t0
    rss_baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages: list[tuple[float, str, float]] = []
    c1 = time.process_time()
    t1 = time.perf_counter()
    report = compare_works(
        g, s, device="cpu", progress=lambda f, m: stages.append((round(f, 3), m, time.perf_counter() - t1))
    )
    total = time.perf_counter() - t1
    return {
        "baseline_s": baseline,
        "compare_s": total,
        "compare_cpu_s": time.process_time() - c1,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_reading_mb": rss_baseline,
        "passages": len(report.text.passages) if report.text else 0,
        "stages": _stage_ends(stages),
    }


def _stage_ends(stages: list[tuple[float, str, float]]) -> list[tuple[float, str, float]]:
    """The last progress report of each stage (its message without the counts), in order: where the
    time went, and that the bar kept moving to the end."""
    import re

    last: dict[str, tuple[float, str, float]] = {}
    for f, m, t in stages:
        if m:
            last[re.sub(r"[\d,/]+", "#", m)] = (f, m, round(t, 1))
    return list(last.values())


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """y = a * x**b by least squares on logs."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    b = sum((a - mx) * (c - my) for a, c in zip(lx, ly)) / max(1e-12, sum((a - mx) ** 2 for a in lx))
    return math.exp(my - b * mx), b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1.0, 2.0], help="megabytes per text")
    ap.add_argument("--target", type=float, default=20.0, help="the size to extrapolate to (MB)")
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(*args.one)))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="fairuse-huge-") as tmp:
        for mb in args.sizes:
            g, s = make_pair(mb, Path(tmp))
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            r = subprocess.run(
                [sys.executable, __file__, "--one", str(g), str(s)], capture_output=True, text=True, env=env
            )
            if r.returncode != 0:
                print(r.stderr[-2000:], file=sys.stderr)
                return 1
            row = json.loads(r.stdout.strip().splitlines()[-1])
            row["mb"] = mb
            rows.append(row)
            print(
                f"{mb:5.3f} MB x {mb:g} MB: compare {row['compare_s']:7.1f} s wall, {row['compare_cpu_s']:7.1f} s CPU, peak RSS {row['peak_rss_mb']:7.0f} MB "
                f"(after reading {row['rss_after_reading_mb']:.0f} MB); baseline read+tokenize {row['baseline_s']:.2f} s "
                f"-> ratio {row['compare_s'] / max(1e-9, row['baseline_s']):.0f}x; {row['passages']:,} passages",
                flush=True,
            )
            print("      end of each stage (fraction, message, seconds):", row["stages"], flush=True)
    if len(rows) >= 2 and args.target not in args.sizes:
        xs = [r["mb"] for r in rows]
        at, bt = _fit(xs, [r["compare_cpu_s"] for r in rows])
        am, bm = _fit(xs, [r["peak_rss_mb"] for r in rows])
        print(
            f"EXTRAPOLATED (not measured) to {args.target:g} MB x {args.target:g} MB from {xs}: "
            f"CPU time ~ {at * args.target**bt / 60:.1f} min (CPU time ~ size^{bt:.2f}), "
            f"peak RSS ~ {am * args.target**bm / 1024:.1f} GB (RSS ~ size^{bm:.2f}); "
            "a power law fitted to three small sizes is a rough guide, not a measurement"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
