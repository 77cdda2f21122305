"""Accuracy of the text engine on public labelled data (``../shared/evals/text``).

    python benchmarks/eval_text.py            # PAN 2013 + the stored MRPC cross-validation
    python benchmarks/eval_text.py --mrpc     # also recompute the MRPC cross-validation (needs the model, a few minutes)
    python benchmarks/eval_text.py --limit 50 # quick look on the first 50 PAN pairs

PAN 2013 "no obfuscation" text alignment: every pair is run through the verbatim /
near-verbatim aligner (``verbatim_passages``, the same code the product runs) and scored
with PAN's character-level measures (Potthast et al., "An Evaluation Framework for
Plagiarism Detection", COLING 2010; the PAN 2013 text-alignment variant where a detection
counts for a case only if it overlaps it in both the suspicious and the source document):

    precision   = mean over detections r of |union over detected cases s of (s ∩ r)| / |r|
    recall      = mean over cases s      of |union over detections r of (s ∩ r)| / |s|
    granularity = mean over detected cases of the number of detections that detect it
    plagdet     = F1(precision, recall) / log2(1 + granularity)

Characters of both documents count (a case is its suspicious span plus its source span).
Detections on the 100 synthetic negatives enter precision with zero overlap.
Baseline (shared/evals/text/README.md): a plain word-8-gram aligner, plagdet 0.946.
Paraphrase detection is not part of this score: PAN's no-obfuscation passages are verbatim.

Two rows are printed. "product": every passage the product reports (>= 8 words). PAN's
ground truth marks only the planted passage, so genuinely shared boilerplate elsewhere in
a pair ("From Wikipedia, the free encyclopedia ...", a site footer) counts as a false
detection there although a user should see it. "PAN protocol": the same detections, minus
those shorter than ``--pan-min-chars`` (150) characters, the usual PAN post-filter; every
PAN case is at least 255 characters long, so the filter cannot remove a true case.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ../shared beside the checkout, or FAIRUSE_SHARED (a worktree elsewhere)
DATA = Path(os.environ.get("FAIRUSE_SHARED", str(ROOT.parent / "shared"))) / "evals" / "text"
PAIRS = DATA / "pan13_no_obfuscation_pairs.jsonl"
NEGATIVES = DATA / "pan13_synthetic_negatives.jsonl"
BASELINE_PLAGDET = 0.946


def _chars(susp: tuple[int, int], src: tuple[int, int]) -> set:
    return {("s", i) for i in range(*susp)} | {("r", i) for i in range(*src)}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(pairs: list[tuple[list, list]]) -> dict:
    """pairs: per document pair, (cases, detections), each a list of ((susp_a, susp_b), (src_a, src_b))."""
    prec_terms: list[float] = []
    rec_terms: list[float] = []
    gran_terms: list[int] = []
    for cases, dets in pairs:
        case_chars = [_chars(*c) for c in cases]
        det_chars = [_chars(*d) for d in dets]
        detects = [[_overlaps(c[0], d[0]) and _overlaps(c[1], d[1]) for d in dets] for c in cases]
        for j, d in enumerate(det_chars):
            covered: set = set()
            for i, c in enumerate(case_chars):
                if detects[i][j]:
                    covered |= c & d
            prec_terms.append(len(covered) / max(1, len(d)))
        for i, c in enumerate(case_chars):
            covered = set()
            hits = 0
            for j, d in enumerate(det_chars):
                if detects[i][j]:
                    covered |= c & d
                    hits += 1
            rec_terms.append(len(covered) / max(1, len(c)))
            if hits:
                gran_terms.append(hits)
    import math

    precision = sum(prec_terms) / len(prec_terms) if prec_terms else 1.0
    recall = sum(rec_terms) / len(rec_terms) if rec_terms else 0.0
    granularity = sum(gran_terms) / len(gran_terms) if gran_terms else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "granularity": granularity,
        "plagdet": f1 / math.log2(1 + granularity),
        "cases": len(rec_terms),
        "detections": len(prec_terms),
    }


def _read(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def run_pan(limit: int | None = None, min_words: int | None = None, min_chars: int = 0) -> dict:
    from analysis.ingest.text import ingest_pasted_text
    from analysis.measure.text.compare import verbatim_passages

    pos = _read(PAIRS, limit)
    neg = _read(NEGATIVES, limit)
    scored = []
    neg_detections = 0
    t0 = time.perf_counter()
    for row in pos + neg:
        g = ingest_pasted_text(row["suspicious"], "suspicious")
        s = ingest_pasted_text(row["source"], "source")
        passages = verbatim_passages(g, s, min_words)
        dets = [
            ((p.generated.start, p.generated.end), (p.source.start, p.source.end))
            for p in passages
            if p.generated.end - p.generated.start >= min_chars
        ]
        cases = [
            (
                (c["susp_offset"], c["susp_offset"] + c["susp_length"]),
                (c["src_offset"], c["src_offset"] + c["src_length"]),
            )
            for c in (row.get("copied_spans") or [])
        ]
        if row.get("label") == "synthetic_negative":
            neg_detections += len(dets)
        scored.append((cases, dets))
    elapsed = time.perf_counter() - t0
    result = score(scored)
    result.update({"pairs": len(pos), "negatives": len(neg), "negative_detections": neg_detections, "seconds": elapsed})
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Accuracy of the text engine (PAN 2013, MRPC).")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pairs of each file")
    ap.add_argument("--min-words", type=int, default=None)
    ap.add_argument(
        "--pan-min-chars", type=int, default=150, help="PAN-protocol row: drop detections shorter than this"
    )
    ap.add_argument(
        "--mrpc", action="store_true", help="recompute the MRPC cross-validation (slow: embeds 8,152 sentences)"
    )
    ap.add_argument("--device", default="auto")
    ap.add_argument(
        "--reference-root", type=Path, default=None, help="also run this script on another checkout (today's code)"
    )
    args = ap.parse_args(argv)
    if not PAIRS.is_file():
        print(f"evaluation data not found under {DATA}; nothing to do", file=sys.stderr)
        return 0
    if args.reference_root is not None:
        ref_argv = [a for a in (argv if argv is not None else sys.argv[1:])]
        i = ref_argv.index("--reference-root")
        del ref_argv[i : i + 2]
        print(f"=== today's code ({args.reference_root}) ===", flush=True)
        subprocess.run(
            # the reference checkout's own script: today's evaluation of today's code
            [sys.executable, str(args.reference_root / "benchmarks" / "eval_text.py"), *ref_argv],
            env=dict(os.environ, PYTHONPATH=str(args.reference_root), FAIRUSE_SHARED=str(DATA.parents[1])),
            cwd=str(args.reference_root),
            check=False,
        )
        print("=== this checkout ===", flush=True)
    print("PAN 2013 no-obfuscation text alignment (verbatim + near-verbatim aligner)")
    print(
        f"  {'setting':34s} {'prec':>7} {'recall':>7} {'gran':>7} {'plagdet':>8} {'dets':>5} {'neg dets':>8} {'time':>7}"
    )
    for label, min_chars in (
        ("product (all passages >= 8 words)", 0),
        (f"PAN protocol (>= {args.pan_min_chars} chars)", args.pan_min_chars),
    ):
        r = run_pan(args.limit, args.min_words, min_chars)
        print(
            f"  {label:34s} {r['precision']:7.4f} {r['recall']:7.4f} {r['granularity']:7.4f} {r['plagdet']:8.4f} "
            f"{r['detections']:5d} {r['negative_detections']:8d} {r['seconds']:6.1f}s"
        )
    print(
        f"  pairs {r['pairs']}, cases {r['cases']}, negatives {r['negatives']}; baseline word-8-gram aligner plagdet {BASELINE_PLAGDET}, target >= 0.96"
    )
    print("  time = ingest (decode, normalise) + align for all pairs, one process, one core")

    from analysis.measure.text.paraphrase import calibration_path

    if args.mrpc:
        import tempfile

        from benchmarks.calibrate_text import DEFAULT_DATA, calibrate

        with tempfile.TemporaryDirectory() as tmp:
            payload = calibrate(DEFAULT_DATA, Path(tmp) / "cal.json", args.device)
        source = "recomputed now"
    else:
        payload = json.loads(calibration_path().read_text(encoding="utf-8"))
        source = f"stored in {calibration_path().name}, fitted {payload['provenance']['date']}"
    print(f"\nMRPC train paraphrase accuracy, stratified 5-fold CV ({source})")
    for name, cv in payload["cross_validation"].items():
        print(f"  {name:15s} {cv['cv_accuracy']:.4f} ± {cv['cv_accuracy_std']:.4f}")
    from analysis.measure.text.pair_verifier import verifier_dir

    stored = verifier_dir() / "stack.json"
    if stored.is_file():
        v = json.loads(stored.read_text(encoding="utf-8"))["cross_validation"]
        print(
            "\nMRPC train, the pair verifier (python -m benchmarks.train_pair_verifier stack; stored): out-of-fold, "
            "nested stack by fold seed " + " / ".join(f"{x:.4f}" for x in v["stack_nested_by_seed"])
        )
        print(
            f"  stack (three features + cross-encoder) {v['stack_nested']:.4f}; the three features on the same "
            f"nested folds {v['product_three_nested']:.4f}; cross-encoder alone {v['cross_encoder_at_0']:.4f} "
            f"(threshold 0), {v['cross_encoder_threshold_from_training_folds']:.4f} (threshold from the training folds)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
