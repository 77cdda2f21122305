"""Held-out short-answer set: copied (cut / light / heavy) versus independent answers.

    python benchmarks/eval_short_answers.py                      # report on test (t31-t60)
    python benchmarks/eval_short_answers.py --reference-root DIR # also today's code, same run
    python benchmarks/eval_short_answers.py --fit                # fit the passage rule on dev only
    python benchmarks/eval_short_answers.py --fit --verify-grid  # ... the pair verifier's bar, on dev only

The set (``benchmarks/shortanswers``, protocol in its README): 60 public-domain Copyright
Office case summaries; per task a cut-and-paste, a light and a heavy revision (writer A on
the dev tasks t01-t30, writer B on the test tasks t31-t60) and an answer written
independently by a third writer who saw only the one-line topic. 240 answers.

Each answer is compared with its task's source by the product (``compare_texts``, product
settings, the real default model). Reported on the test half only:

* copied-vs-independent ROC AUC of the product's score (the report's
  ``facts.share_of_source_taken``), beside unigram containment (share of the answer's
  distinct words found in the source);
* four-way accuracy (cut / light / heavy / independent) of a multinomial logistic
  regression on the report's fields, beside the same classifier on lexical features
  (containment of word 1-4-grams both ways, length ratio): C chosen by 5-fold CV grouped
  by task on dev, fitted on all of dev, scored on test;
* the share of independent answers given a copy kind (``facts.copy_kind != "none"``);
* the median share of the source taken per kind (``share_of_source_taken``).

``--fit`` chooses ``defaults.TEXT_PARAPHRASE_PASSAGE`` on dev only: for every rule on a grid,
the dev answers are re-measured (embeddings cached); among rules that give at most
``--max-fp`` (1 in 20) of the training folds' independent answers a copy kind, the one kept
finds the most heavy revisions, then measures the largest median heavy share, then has the
fewest alarms, then the highest bars; its out-of-fold false alarms and heavy share (5 folds
grouped by task) are printed. Skips cleanly when the set is absent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "shortanswers"
KINDS = ("cut", "light", "heavy", "independent")


# --------------------------------------------------------------------------- data
def load_set(data: Path) -> list[dict]:
    tasks = {r["task"]: r for r in map(json.loads, (data / "tasks.jsonl").read_text(encoding="utf-8").splitlines())}
    answers: list[dict] = []
    for path, writer in (
        (data / "out" / "writerA.jsonl", "A"),
        (data / "out" / "writerB.jsonl", "B"),
        (data / "blind" / "independent.jsonl", "blind"),
    ):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                t = tasks[r["task"]]
                answers.append(
                    {
                        "task": r["task"],
                        "kind": r["kind"],
                        "writer": writer,
                        "split": t["split"],
                        "text": r["text"],
                        "source": t["source"],
                    }
                )
    return answers


# --------------------------------------------------------------------------- lexical baseline
def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\W_]+", text.lower())


def _grams(w: list[str], n: int) -> set:
    return set(zip(*(w[i:] for i in range(n))))


def lexical_features(text: str, source: str) -> list[float]:
    a, b = _words(text), _words(source)
    out = []
    for n in (1, 2, 3, 4):
        ga, gb = _grams(a, n), _grams(b, n)
        out.append(len(ga & gb) / max(1, len(ga)))
        out.append(len(ga & gb) / max(1, len(gb)))
    out.append(len(a) / max(1, len(b)))
    return out


# --------------------------------------------------------------------------- measuring
class CachedEmbedder:
    """Wraps the product's embedder so repeated measurements encode each sentence once."""

    def __init__(self, inner, path: Path | None = None):
        self.inner = inner
        self.device = getattr(inner, "device", "cpu")
        self.cache: dict = {}
        self.path = path
        if path is not None and path.is_file():
            import pickle

            with open(path, "rb") as fh:
                self.cache = pickle.load(fh)

    def save(self) -> None:
        if self.path is not None:
            import pickle

            with open(self.path, "wb") as fh:
                pickle.dump(self.cache, fh)

    def encode(self, sentences, batch_size=None, progress=None):
        import numpy as np

        todo = [s for s in dict.fromkeys(sentences) if s not in self.cache]
        if todo:
            for s, e in zip(todo, self.inner.encode(todo)):
                self.cache[s] = e
        if not sentences:
            return self.inner.encode([])
        return np.stack([self.cache[s] for s in sentences])

    def record(self):
        return self.inner.record()


def measure(answers: list[dict], embedder) -> list[dict]:
    """Run the product on every answer; keep the report fields the evaluation reads."""
    from analysis.measure.text.compare import compare_texts

    rows = []
    for a in answers:
        rep = compare_texts(a["text"], a["source"], embedder=embedder)
        assert rep.text is not None
        m, f = rep.text.metrics, rep.facts
        d = m.model_dump()
        rows.append(
            {
                "task": a["task"],
                "kind": a["kind"],
                "split": a["split"],
                "score": float(f.share_of_source_taken or 0.0),
                "copy_kind": f.copy_kind,
                "heart_taken": bool(f.heart_taken),
                "qualitative_wording": any("qualitatively significant" in s for s in rep.summary),
                "fields": [
                    float(f.share_of_source_taken or 0.0),
                    d.get("source_share_verbatim", d["source_share_reproduced"]),
                    d.get("source_share_near_verbatim", 0.0),
                    d["source_share_reproduced"],
                    d["source_share_paraphrased"],
                    d["generated_share_verbatim"],
                    d["generated_share_near_verbatim"],
                    d["generated_share_paraphrase"],
                    d["longest_passage_words"] / max(1, d["generated_words"]),
                    float(d["semantic_similarity"] or 0.0),
                    float(d.get("longest_paraphrase_sentences", d["paraphrase_count"])),
                ],
                "lexical": lexical_features(a["text"], a["source"]),
            }
        )
    return rows


# --------------------------------------------------------------------------- statistics
def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC as the Mann-Whitney probability (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def group_folds(tasks: list[str], k: int = 5) -> list[int]:
    order = sorted(set(tasks))
    return [order.index(t) % k for t in tasks]


def four_way(rows_dev: list[dict], rows_test: list[dict], key: str) -> tuple[float, float]:
    """(dev CV accuracy at the chosen C, test accuracy) of a multinomial logistic regression."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    xd = np.array([r[key] for r in rows_dev])
    yd = np.array([KINDS.index(r["kind"]) for r in rows_dev])
    xt = np.array([r[key] for r in rows_test])
    yt = np.array([KINDS.index(r["kind"]) for r in rows_test])
    folds = np.array(group_folds([r["task"] for r in rows_dev]))
    best_c, best_acc = 1.0, -1.0
    for c in (0.01, 0.1, 1.0, 10.0, 100.0):
        correct = 0
        for f in range(5):
            tr, te = folds != f, folds == f
            model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))
            model.fit(xd[tr], yd[tr])
            correct += int((model.predict(xd[te]) == yd[te]).sum())
        acc = correct / len(yd)
        if acc > best_acc:
            best_c, best_acc = c, acc
    model = make_pipeline(StandardScaler(), LogisticRegression(C=best_c, max_iter=5000))
    model.fit(xd, yd)
    return best_acc, float((model.predict(xt) == yt).mean())


def summarise(rows: list[dict]) -> dict:
    import statistics

    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    pos = [r for r in test if r["kind"] != "independent"]
    neg = [r for r in test if r["kind"] == "independent"]
    out = {
        "answers_test": len(test),
        "auc_product": auc([r["score"] for r in pos], [r["score"] for r in neg]),
        "auc_unigram": auc([r["lexical"][0] for r in pos], [r["lexical"][0] for r in neg]),
        "independent_flagged": sum(r["copy_kind"] != "none" for r in neg),
        "independent_qualitative": sum(r["qualitative_wording"] for r in neg),
        "independent": len(neg),
        "median_share": {k: statistics.median([r["score"] for r in test if r["kind"] == k]) for k in KINDS},
    }
    out["cv_fields"], out["four_way_fields"] = four_way(dev, test, "fields")
    out["cv_lexical"], out["four_way_lexical"] = four_way(dev, test, "lexical")
    return out


# --------------------------------------------------------------------------- fitting (dev only)
def fit(answers: list[dict], embedder, max_fp: float, verify_grid: bool = False) -> None:
    import statistics

    from analysis import defaults

    dev = [a for a in answers if a["split"] == "dev"]
    folds = group_folds([a["task"] for a in dev])
    # link, single and run were first searched on (0, .1, .2, .3) x (.6, .9) x (.15, .2, .25, .3, .4):
    # link 0, single .9, run .2 won every fold (1/30 out-of-fold alarms); the grid below adds the
    # in-order bar around that point
    grid = [
        {"link": 0.0, "single": 0.9, "run": run, "ordered": ordered, "verify": 0.0}
        for run, ordered in itertools.product((0.2, 0.25), (0.1, 0.125, 0.15, 0.175, 1.0))
    ]
    if verify_grid:
        # the pair verifier's bar (2026-12-03), searched at the passage rule those folds chose
        # (link 0, single .9, run .2, ordered .15); 0 keeps every passage the search accepts
        grid = [
            {"link": 0.0, "single": 0.9, "run": 0.2, "ordered": 0.15, "verify": v}
            for v in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
        ]
    saved = dict(defaults.TEXT_PARAPHRASE_PASSAGE)
    results = []
    t0 = time.perf_counter()
    try:
        for rule in grid:
            defaults.TEXT_PARAPHRASE_PASSAGE.update(rule)
            results.append((rule, measure(dev, embedder)))
    finally:
        defaults.TEXT_PARAPHRASE_PASSAGE.clear()
        defaults.TEXT_PARAPHRASE_PASSAGE.update(saved)
    print(f"measured {len(grid)} rules on {len(dev)} dev answers in {time.perf_counter() - t0:.0f} s")
    print("  rule (link, single, run, ordered, verify): independent flagged, heavy found, median heavy share (all dev)")
    for rule, rows in results:
        neg = [r for r in rows if r["kind"] == "independent"]
        hv = [r for r in rows if r["kind"] == "heavy"]
        print(
            f"    {rule['link']:.2f} {rule['single']:.2f} {rule['run']:.2f} {rule['ordered']:.3f} {rule['verify']:.2f}: "
            f"{sum(r['copy_kind'] != 'none' for r in neg)}/{len(neg)}, "
            f"{sum(r['copy_kind'] != 'none' for r in hv)}/{len(hv)}, {statistics.median(r['score'] for r in hv):.3f}"
        )

    def choose(idx: set[int]):
        best = None
        for rule, rows in results:
            sel = [rows[i] for i in idx]
            neg = [r for r in sel if r["kind"] == "independent"]
            fp = sum(r["copy_kind"] != "none" for r in neg) / max(1, len(neg))
            heavy = statistics.median([r["score"] for r in sel if r["kind"] == "heavy"])
            recall = sum(r["copy_kind"] != "none" for r in sel if r["kind"] == "heavy") / max(
                1, sum(r["kind"] == "heavy" for r in sel)
            )
            # within the false-alarm budget: most heavy revisions found, then the most of them
            # measured, then the fewest alarms, then the most conservative bar
            # (and, for the verifier's bar, the lowest: the least change to what the search accepts)
            key = (
                fp <= max_fp,
                recall,
                heavy,
                -fp,
                rule["run"],
                rule["ordered"],
                rule["single"],
                rule["link"],
                -rule["verify"],
            )
            if best is None or key > best[0]:
                best = (key, rule)
        assert best is not None, "no rule in the grid"
        return best[1]

    oof_fp, oof_neg, oof_heavy = 0, 0, []
    for f in range(5):
        train = {i for i, g in enumerate(folds) if g != f}
        held = [i for i, g in enumerate(folds) if g == f]
        rule = choose(train)
        rows = dict((json.dumps(r), rr) for r, rr in results)[json.dumps(rule)]
        for i in held:
            r = rows[i]
            if r["kind"] == "independent":
                oof_neg += 1
                oof_fp += r["copy_kind"] != "none"
            elif r["kind"] == "heavy":
                oof_heavy.append(r["score"])
        print(f"  fold {f}: rule {rule}")
    final = choose(set(range(len(dev))))
    print(
        f"dev out-of-fold: independent given a copy kind {oof_fp}/{oof_neg}; median heavy share "
        f"{statistics.median(oof_heavy):.3f}"
    )
    print(f"rule on all of dev: {final}  (put it in analysis/defaults.py TEXT_PARAPHRASE_PASSAGE)")


# --------------------------------------------------------------------------- main
def _run_rows(product_root: Path, data: Path, device: str, cache: Path | None) -> list[dict]:
    """Measure with another checkout's code (today's), in a subprocess, same data."""
    env = dict(os.environ, PYTHONPATH=str(product_root))
    extra = ["--embedding-cache", str(cache.resolve())] if cache is not None else []
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--rows", "--data", str(data), "--device", device, *extra],
        env=env,
        cwd=str(product_root),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _print_table(results: dict[str, dict]) -> None:
    cols = list(results)
    lines = [
        ("copied-vs-independent AUC (product score)", "auc_product", "{:.3f}"),
        ("  baseline: unigram containment", "auc_unigram", "{:.3f}"),
        ("four-way accuracy, report fields (test)", "four_way_fields", "{:.3f}"),
        ("  dev CV accuracy, report fields", "cv_fields", "{:.3f}"),
        ("  baseline: lexical features (test)", "four_way_lexical", "{:.3f}"),
        ("  baseline dev CV accuracy", "cv_lexical", "{:.3f}"),
    ]
    print(f"  {'':44s}" + "".join(f"{c:>12s}" for c in cols))
    for label, key, fmt in lines:
        print(f"  {label:44s}" + "".join(f"{fmt.format(results[c][key]):>12s}" for c in cols))
    print(
        f"  {'independent answers given a copy kind':44s}"
        + "".join(f"{str(results[c]['independent_flagged']) + '/' + str(results[c]['independent']):>12s}" for c in cols)
    )
    print(
        f"  {'  ... with qualitative-taking wording':44s}"
        + "".join(
            f"{str(results[c]['independent_qualitative']) + '/' + str(results[c]['independent']):>12s}" for c in cols
        )
    )
    for k in KINDS:
        print(
            f"  {'median share of source taken, ' + k:44s}"
            + "".join(f"{results[c]['median_share'][k]:>12.3f}" for c in cols)
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--reference-root", type=Path, default=None, help="a checkout of today's code to run beside")
    ap.add_argument("--fit", action="store_true", help="fit the passage rule on the dev half only")
    ap.add_argument("--max-fp", type=float, default=0.05, help="--fit: largest false-alarm share allowed on dev")
    ap.add_argument("--verify-grid", action="store_true", help="--fit: search the pair verifier's bar instead")
    ap.add_argument("--rows", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--embedding-cache", type=Path, default=None, help="pickle file caching sentence embeddings between runs"
    )
    args = ap.parse_args(argv)
    if not (args.data / "tasks.jsonl").is_file():
        print(f"short-answer set not found under {args.data}; nothing to do", file=sys.stderr)
        return 0
    if str(ROOT) not in sys.path and not args.rows:
        sys.path.insert(0, str(ROOT))
    answers = load_set(args.data)
    from analysis.measure.text.embeddings import load_text_model

    embedder = CachedEmbedder(load_text_model(device=args.device), args.embedding_cache)
    if args.rows:
        rows = measure(answers, embedder)
        embedder.save()
        print(json.dumps(rows))
        return 0
    if args.fit:
        fit(answers, embedder, args.max_fp, args.verify_grid)
        embedder.save()
        return 0
    t0 = time.perf_counter()
    results = {"product": summarise(measure(answers, embedder))}
    embedder.save()
    print(f"measured {len(answers)} answers in {time.perf_counter() - t0:.0f} s")
    if args.reference_root is not None:
        results["today"] = summarise(
            _run_rows(args.reference_root, args.data.resolve(), args.device, args.embedding_cache)
        )
    print(f"Short-answer set, test half (t31-t60, {results['product']['answers_test']} answers), product settings")
    _print_table(results)
    print("  targets: AUC >= 0.98, four-way >= 0.80, at most 1 in 20 independent answers given a copy kind")
    return 0


if __name__ == "__main__":
    sys.exit(main())
