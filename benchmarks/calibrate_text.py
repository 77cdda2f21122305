"""Fit the paraphrase scorer on MRPC train and write ``data/paraphrase_calibration.json``.

    python -m benchmarks.calibrate_text [--data ../shared/evals/text/mrpc_train.jsonl]

Why: a raw cosine threshold ("0.7 looks high") is a guess; MRPC's 4,076 human-labelled
news sentence pairs give a measured one. Three features — embedding cosine, word Dice,
word-pair Dice — feed a logistic regression (Newton's method, light L2), evaluated by
stratified 5-fold cross-validation beside embedding-only and lexical-only models. The
decision threshold is the probability that maximises out-of-fold accuracy. The JSON records
the data file, its SHA-256, the date, the model and the CV accuracies, so the number the
product uses can be traced. Only this script needs ``../shared``; the product reads the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from analysis.evidence import sha256_file
from analysis.measure.text.paraphrase import FEATURES, calibration_path, pair_features

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "evals" / "text" / "mrpc_train.jsonl"
FOLDS = 5
L2 = 1e-3


def fit_logistic(x: np.ndarray, y: np.ndarray, iters: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardise, then Newton-Raphson logistic regression. Returns (mean, scale, weights, bias)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    a = np.hstack([z, np.ones((z.shape[0], 1))])
    w = np.zeros(a.shape[1])
    reg = np.full(a.shape[1], L2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -50, 50)))
        grad = a.T @ (p - y) / len(y) + reg * w
        hess = (a * (p * (1 - p))[:, None]).T @ a / len(y) + np.diag(reg)
        step = np.linalg.solve(hess + 1e-9 * np.eye(len(w)), grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return mean, scale, w[:-1], float(w[-1])


def predict(model: tuple, x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = model
    return 1.0 / (1.0 + np.exp(-np.clip(((x - mean) / scale) @ w + b, -50, 50)))


def stratified_folds(y: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), dtype=int)
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % k
    return fold


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    grid = np.linspace(0.05, 0.95, 181)
    accs = [((p >= t) == (y == 1)).mean() for t in grid]
    i = int(np.argmax(accs))
    return float(grid[i]), float(accs[i])


def cross_validate(x: np.ndarray, y: np.ndarray, cols: list[int]) -> dict:
    """Out-of-fold accuracy at 0.5 and at the threshold chosen on out-of-fold probabilities."""
    folds = stratified_folds(y, FOLDS)
    oof = np.zeros(len(y))
    fold_acc = []
    for f in range(FOLDS):
        tr, te = folds != f, folds == f
        model = fit_logistic(x[tr][:, cols], y[tr])
        oof[te] = predict(model, x[te][:, cols])
        # threshold chosen on the training folds only, applied to the held-out fold
        t, _ = best_threshold(predict(model, x[tr][:, cols]), y[tr])
        fold_acc.append(float(((oof[te] >= t) == (y[te] == 1)).mean()))
    t_all, _acc_oof_best = best_threshold(oof, y)
    return {
        "cv_accuracy": round(float(np.mean(fold_acc)), 4),
        "cv_accuracy_std": round(float(np.std(fold_acc)), 4),
        "cv_accuracy_at_0.5": round(float(((oof >= 0.5) == (y == 1)).mean()), 4),
        "threshold": t_all,
    }


def load_mrpc(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    a, b, y = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            a.append(row["suspicious"])
            b.append(row["source"])
            y.append(1 if row["label"] == "paraphrase" else 0)
    return a, b, np.array(y, dtype=np.float64)


def features_for(a: list[str], b: list[str], embedder) -> np.ndarray:
    from analysis.ingest.text_normalise import normalise_text
    from analysis.measure.text.tokens import tokenize

    na = [normalise_text(t)[0] for t in a]
    nb = [normalise_text(t)[0] for t in b]
    ea = embedder.encode(na)
    eb = embedder.encode(nb)
    cos = (ea * eb).sum(axis=1)
    return np.array([pair_features(c, tokenize(s).words, tokenize(t).words) for c, s, t in zip(cos, na, nb)])


def calibrate(data: Path, out: Path, device: str = "auto") -> dict:
    from analysis.measure.text.embeddings import load_text_model

    a, b, y = load_mrpc(data)
    embedder = load_text_model(device=device)
    x = features_for(a, b, embedder)
    results = {
        "combined": cross_validate(x, y, [0, 1, 2]),
        "embedding_only": cross_validate(x, y, [0]),
        "lexical_only": cross_validate(x, y, [1, 2]),
    }
    final = fit_logistic(x, y)
    mean, scale, w, bias = final
    payload = {
        "combined": {
            "features": list(FEATURES),
            "mean": [float(v) for v in mean],
            "scale": [float(v) for v in scale],
            "weights": [float(v) for v in w],
            "bias": bias,
            "threshold": results["combined"]["threshold"],
        },
        "cross_validation": results,
        "provenance": {
            "data_file": "shared/evals/text/mrpc_train.jsonl (MRPC train split, Dolan & Brockett 2005)",
            "data_sha256": sha256_file(data),
            "pairs": len(y),
            "positives": int(y.sum()),
            "date": date.today().isoformat(),
            "model": embedder.record().name,
            "method": f"logistic regression (Newton, L2={L2}) on standardised {', '.join(FEATURES)}; "
            f"threshold maximising out-of-fold accuracy; stratified {FOLDS}-fold CV",
            "script": "python -m benchmarks.calibrate_text",
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return payload


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=calibration_path())
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"MRPC data not found at {args.data}", file=sys.stderr)
        return 2
    payload = calibrate(args.data, args.out, args.device)
    for name, r in payload["cross_validation"].items():
        print(
            f"{name:15s} CV accuracy {r['cv_accuracy']:.4f} ± {r['cv_accuracy_std']:.4f} (at p=0.5: {r['cv_accuracy_at_0.5']:.4f})"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
