"""Speed of verbatim alignment: today's seed finder against the presence-table one, same run.

    python benchmarks/verbatim_speed.py [--source-words 1000000] [--generated-words 10000] [--repeats 3]

A 10,000-word generated text with 20 planted 100-word passages against a 1,000,000-word
source (Zipf-distributed words from a 20,000-word vocabulary, so no data file is needed),
one CPU core (BLAS and OpenMP pinned to one thread before NumPy loads). Timed, best of
``--repeats``:

* ``tokenize``: both texts to words (shared by both aligners, shown separately);
* ``align (reference)``: ``benchmarks/verbatim_reference.py``, a frozen copy of the aligner
  as it was before the presence-table prefilter (two binary searches per source n-gram);
* ``align (product)``: ``analysis.measure.text.verbatim.align_verbatim``.

A second case, a *cento* (the generated text stitched from 8-10-word shards taken from random
places in the source, so that every shard is its own passage on its own diagonal), times the
merging step's worst case: each passage is tried against its neighbours and skipped across.

Both must return the same passages (checked here, and on the samples by
``tests/test_text_verbatim_speed.py``). Target (issue 11): product alignment <= 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_S = 0.5


def synthetic(source_words: int, generated_words: int, seed: int = 0) -> tuple[str, str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(20_000)])
    p = 1.0 / np.arange(1, 20_001)
    p /= p.sum()
    src = rng.choice(20_000, size=source_words, p=p)
    gen = rng.choice(20_000, size=generated_words, p=p)
    step = max(1, generated_words // 20)
    for k in range(20):
        a = int(rng.integers(0, max(1, source_words - 100)))
        b = k * step
        gen[b : b + 100] = src[a : a + 100][: len(gen[b : b + 100])]
    return " ".join(vocab[gen]), " ".join(vocab[src])


def cento(source_text: str, generated_words: int, seed: int = 1) -> str:
    import numpy as np

    rng = np.random.default_rng(seed)
    src = source_text.split()
    out: list[str] = []
    while len(out) < generated_words:
        a = int(rng.integers(0, len(src) - 10))
        out += src[a : a + int(rng.integers(8, 11))]
    return " ".join(out[:generated_words])


def best_of(fn, repeats: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def key(matches) -> list[tuple]:
    return [(m.g0, m.g1, m.s0, m.s1, m.kind, round(m.similarity, 6)) for m in matches]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source-words", type=int, default=1_000_000)
    ap.add_argument("--generated-words", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from analysis.measure.text.tokens import tokenize
    from analysis.measure.text.verbatim import align_verbatim
    from benchmarks import verbatim_reference as ref

    gen_text, src_text = synthetic(args.source_words, args.generated_words)
    t_tok, (gw, sw) = best_of(lambda: (tokenize(gen_text), tokenize(src_text)), args.repeats)
    t_ref, m_ref = best_of(lambda: ref.align_verbatim(gw, sw, 8), args.repeats)
    t_new, m_new = best_of(lambda: align_verbatim(gw, sw, 8), args.repeats)
    same = key(m_ref) == key(m_new)
    print(f"verbatim alignment, {len(gw):,}-word text vs {len(sw):,}-word source, one core, best of {args.repeats}")
    print(f"  tokenize both texts        {t_tok:7.3f} s")
    print(f"  align (reference, today)   {t_ref:7.3f} s   {len(m_ref)} passages")
    print(
        f"  align (product)            {t_new:7.3f} s   {len(m_new)} passages   speed-up x{t_ref / max(t_new, 1e-9):.1f}"
    )
    print(f"  same passages: {same}; target align <= {TARGET_S} s: {'met' if t_new <= TARGET_S else 'NOT met'}")
    cw = tokenize(cento(src_text, args.generated_words))
    c_ref, k_ref = best_of(lambda: ref.align_verbatim(cw, sw, 8), args.repeats)
    c_new, k_new = best_of(lambda: align_verbatim(cw, sw, 8), args.repeats)
    print(f"cento: {len(cw):,} words in 8-10-word shards from the same source")
    print(f"  align (reference, today)   {c_ref:7.3f} s   {len(k_ref)} passages")
    print(
        f"  align (product)            {c_new:7.3f} s   {len(k_new)} passages   ratio x{c_new / max(c_ref, 1e-9):.2f}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
