"""Speed of the text engine: verbatim alignment scaling, difflib comparison, embedding throughput.

    python benchmarks/bench_text.py [--device cuda] [--quick] [--end-to-end 100000]

1. Verbatim alignment (tokenise + hashed n-gram seeds + extension + near-verbatim merge) of
   a 10,000-word generated text against sources of 10k, 100k and 1M words, one CPU core
   (torch is not involved; NumPy runs single-threaded here). The generated text carries
   planted passages from the source, so the timing includes real matches. Target: 1M words
   in under 2 s, growth near-linear (time per source word roughly constant).
2. Baseline in the same run: ``difflib.SequenceMatcher`` over the same word lists, on the
   largest source size it finishes within its budget (60 s; 10 s with --quick), as a ratio.
3. Sentence-embedding throughput (sentences per second) of the default model on the chosen
   device (``--device auto`` picks cuda, then mps, then cpu), batch size from defaults.

4. With ``--end-to-end WORDS``: the whole engine (ingest, align, sentences, embeddings,
   paraphrase, metrics) on a synthetic source of WORDS words and a 7,000-word generated text.

Texts are synthetic (Zipf-distributed words from a 20,000-word vocabulary) so the benchmark
needs no data files.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# one core for the alignment figures (set before NumPy loads its BLAS)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def synthetic_words(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    ranks = rng.zipf(1.3, size=n)
    ranks = np.minimum(ranks, 20_000)
    return [f"w{r}" for r in ranks.tolist()]


def make_pair(src_words: int, gen_words: int = 10_000, seed: int = 0) -> tuple[str, str]:
    src = synthetic_words(src_words, seed)
    gen = synthetic_words(gen_words, seed + 1)
    rng = np.random.default_rng(seed + 2)
    # plant 10 passages of 50 words from across the source, one with a changed word
    for k in range(10):
        a = int(rng.integers(0, max(1, src_words - 50)))
        b = int(rng.integers(0, gen_words - 50))
        gen[b : b + 50] = src[a : a + 50]
        if k == 0:
            gen[b + 25] = "edited"
    return " ".join(gen), " ".join(src)


def time_alignment(gen_text: str, src_text: str, repeat: int = 3) -> tuple[float, int]:
    from analysis.measure.text.tokens import tokenize
    from analysis.measure.text.verbatim import align_verbatim

    best = float("inf")
    found = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        g, s = tokenize(gen_text), tokenize(src_text)
        matches = align_verbatim(g, s, 8)
        best = min(best, time.perf_counter() - t0)
        found = len(matches)
    return best, found


def time_difflib(gen_text: str, src_text: str, budget_s: float) -> float | None:
    """SequenceMatcher over word lists, in a child process killed at the budget."""
    import multiprocessing as mp

    def work(q, a, b):
        import difflib

        t0 = time.perf_counter()
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        sm.get_matching_blocks()
        q.put(time.perf_counter() - t0)

    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=work, args=(q, gen_text.split(), src_text.split()))
    p.start()
    p.join(budget_s)
    if p.is_alive():
        p.terminate()
        p.join()
        return None
    return q.get() if not q.empty() else None


def bench_alignment(quick: bool) -> None:
    sizes = [10_000, 100_000, 1_000_000]
    budget = 10.0 if quick else 60.0
    print("Verbatim alignment, 10,000-word generated text vs source (one CPU core, best of 3)")
    print(f"  {'source words':>12} {'seconds':>9} {'µs/source word':>15} {'passages':>9}")
    results = {}
    for n in sizes:
        gen, src = make_pair(n)
        t, found = time_alignment(gen, src, repeat=1 if quick else 3)
        results[n] = (gen, src, t)
        print(f"  {n:>12,} {t:>9.3f} {t / n * 1e6:>15.3f} {found:>9}")
    t_small, t_big = results[sizes[0]][2], results[sizes[-1]][2]
    print(
        f"  growth 10k -> 1M words: x{t_big / t_small:.1f} time for x100 input (linear = x100); 1M target < 2 s: "
        f"{'met' if t_big < 2 else 'NOT met'}"
    )
    print(f"\ndifflib.SequenceMatcher (autojunk off) on the same word lists, budget {budget:.0f} s per size")
    largest = None
    for n in sizes:
        gen, src, ours = results[n]
        td = time_difflib(gen, src, budget)
        if td is None:
            print(f"  {n:>12,} words: did not finish within {budget:.0f} s")
            break
        largest = (n, td, ours)
        print(f"  {n:>12,} words: {td:8.2f} s  (ours {ours:.3f} s, difflib/ours = x{td / ours:,.0f})")
    if largest:
        n, td, ours = largest
        print(
            f"  largest size difflib finished: {n:,} words, {td:.2f} s vs ours {ours:.3f} s -> ratio x{td / ours:,.0f}"
        )


def bench_embeddings(device: str, quick: bool, batch_sizes: list[int]) -> None:
    from analysis.measure.text.embeddings import load_text_model

    t0 = time.perf_counter()
    model = load_text_model(device=device)
    model.model.float()  # measure fp32, as the product runs, even if a folder stores fp16 weights
    load_s = time.perf_counter() - t0
    rng = np.random.default_rng(3)
    vocab = [
        "the",
        "a",
        "of",
        "and",
        "to",
        "in",
        "was",
        "he",
        "she",
        "it",
        "that",
        "his",
        "her",
        "said",
        "had",
        "with",
        "for",
        "on",
        "at",
        "by",
        "as",
        "but",
        "not",
        "be",
        "old",
        "man",
        "sea",
    ]
    n = 512 if quick else 4096
    sentences = [" ".join(rng.choice(vocab, size=int(rng.integers(8, 30))).tolist()) + "." for _ in range(n)]
    model.encode(sentences[:64])  # warm-up
    print(f"\nSentence embeddings: {model.name} on {model.device}, fp32 (load {load_s:.1f} s)")
    for bs in batch_sizes:
        t0 = time.perf_counter()
        model.encode(sentences, batch_size=bs)
        if str(model.device).startswith("cuda"):
            import torch

            torch.cuda.synchronize()
        dt = time.perf_counter() - t0
        print(f"  batch {bs:>4}: {n} sentences of 8-30 words in {dt:.2f} s = {n / dt:,.0f} sentences/s")


def sentences_text(n_words: int, seed: int) -> str:
    """Synthetic sentences of 8-30 words drawn uniformly from 20,000 words.

    Uniform, not Zipf: Zipf-distributed nonsense shares its few head words in every
    sentence, which makes any two sentences look alike to both the lexical and the
    embedding features (hundreds of spurious "paraphrases"); real prose does not.
    """
    rng = np.random.default_rng(seed + 7)
    words = [f"w{r}" for r in rng.integers(0, 20_000, size=n_words).tolist()]
    out, i = [], 0
    while i < len(words):
        k = int(rng.integers(8, 31))
        chunk = words[i : i + k]
        out.append(" ".join(chunk).capitalize() + ".")
        i += k
    return " ".join(out)


def bench_end_to_end(device: str, source_words: int) -> None:
    """The whole engine (ingest, align, sentences, embeddings, paraphrase, metrics) on a long source."""
    from analysis.measure.text.compare import compare_texts
    from analysis.measure.text.embeddings import load_text_model

    model = load_text_model(device=device)
    model.model.float()
    src = sentences_text(source_words, 11)
    sw = src.split()
    gen_parts = [sentences_text(2_000, 12)]
    for k in range(5):  # five copied stretches of 200 words
        a = (k + 1) * len(sw) // 7
        gen_parts.append(" ".join(sw[a : a + 200]))
        gen_parts.append(sentences_text(1_000, 20 + k))
    gen = " ".join(gen_parts)
    t0 = time.perf_counter()
    report = compare_texts(gen, src, embedder=model)
    assert report.text is not None
    dt = time.perf_counter() - t0
    m = report.text.metrics
    print(
        f"\nEnd to end on {model.device}: {m.generated_words:,}-word generated vs {m.source_words:,}-word source "
        f"in {dt:.1f} s ({m.verbatim_count} verbatim, {m.near_verbatim_count} near, {m.paraphrase_count} paraphrase)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Text engine speed")
    ap.add_argument("--device", default="auto", help="auto, cpu, cuda, mps (embedding throughput only)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats, shorter budgets")
    ap.add_argument("--skip-embeddings", action="store_true")
    ap.add_argument("--skip-alignment", action="store_true")
    ap.add_argument(
        "--end-to-end",
        type=int,
        default=0,
        metavar="WORDS",
        help="also time the whole engine on a synthetic source of WORDS words",
    )
    ap.add_argument(
        "--batch-size",
        type=int,
        action="append",
        default=None,
        help="repeatable; default: defaults.TEXT_EMBED_BATCH_SIZE",
    )
    args = ap.parse_args(argv)
    if not args.skip_alignment:
        bench_alignment(args.quick)
    if not args.skip_embeddings:
        try:
            import torch

            torch.set_num_threads(max(1, os.cpu_count() or 1))
        except ImportError:
            pass
        from analysis import defaults

        bench_embeddings(args.device, args.quick, args.batch_size or [defaults.TEXT_EMBED_BATCH_SIZE])
    if args.end_to_end:
        bench_end_to_end(args.device, args.end_to_end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
