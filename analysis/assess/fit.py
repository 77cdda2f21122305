"""Fit the engine's weights to the courts, honestly: regularised toward the authorities'
priors, every choice made inside cross-validation.

What is fitted, and against what:

1. **Each consideration's weight, per factor, against the court's finding on that factor**
   (favours → 1, disfavours → 0, neutral → ½; "not decided" rows are left out). A logistic
   model ``logit P(favours) = Σ signᵢ βᵢ`` over the considerations that apply, with every
   βᵢ ≥ 0 (a consideration never changes the direction its authorities give it) and a
   penalty ``λ Σ (βᵢ − c·priorᵢ)²`` that pulls the weights toward the priors in
   ``considerations.yaml`` (``c``, a free scale, turns the priors' 0-3 scale into log-odds).
   The strength λ is chosen per factor by inner cross-validation from ``LAMBDAS`` (log-loss).
2. **Each factor's lean band**: the |score| at which it stops being neutral, chosen by inner
   cross-validation (agreement with the courts' three-way findings); a *strong* lean is
   where the factor's fitted odds for its side reach a level chosen from ``STRONG_P_GRID``
   by inner cross-validation against the outcomes (with the factor weights' penalty).
3. **The factor weights that combine the four leans, against the outcomes** (fair use
   found → 1, not found → 0), on the inner-cross-fitted leans, again ``W ≥ 0`` and pulled
   toward the priors (1, 0.25, 0.5, 1.25) with λ chosen by inner cross-validation.
4. **The close-call band**: a close call is where the combined odds are within p to 1 − p,
   p chosen from ``CLOSE_CALL_GRID`` by inner cross-validation (agreement with the outcomes
   on the inner-cross-fitted combined scores, a close call counting as a miss), or where
   factors 1 and 4 are both neutral (a rule, ``overall.py``).

Everything is stored on the priors' scale (the weights.yaml numbers read like the hand-set
ones). ``cross_validate`` repeats stratified k-fold with fixed seeds: each held-out fold is
assessed by weights fitted on the other folds only (the inner cross-validation sees only
those), and the figures reported are those out-of-fold predictions. ``fit_all`` runs the same
procedure on every decision to produce the shipped weights.

Run ``python -m analysis.assess.fit --write`` to refit and rewrite ``data/weights.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.assess.considerations import load_rules
from analysis.assess.models import LEAN_VALUE
from analysis.assess.weights import Weights, prior_weights

LAMBDAS = (0.5, 2.0, 8.0, 32.0)
"""Penalty strengths tried by inner cross-validation (per factor, and for the factor weights)."""
LEAN_BAND_GRID = (0.01, 0.1, 0.25, 0.5, 0.75, 1.0)
"""Candidate |log-odds| at which a factor stops being neutral."""
STRONG_P_GRID = (0.75, 0.8, 0.85, 0.9)
"""Candidate odds for a *strong* lean (a factor's fitted odds for its side of at least 3:1 ...
9:1), chosen by inner cross-validation against the outcomes."""
CLOSE_CALL_P = 0.6
"""The close-call band before any fit (the priors): combined odds no better than 60 to 40."""
CLOSE_CALL_GRID = (0.5, 0.55, 0.6)
"""Candidate close-call bands (combined odds no better than 50:50, 55:45, 60:40 either way),
chosen by inner cross-validation (agreement with the outcomes, a close call counting as a
miss; ties go to the wider band)."""
INNER_FOLDS = 5
_CODE_Y = {"F": 1.0, "A": 0.0, "N": 0.5}
_ORDER_COLS = [1, 2, 0, 3]
"""Factor columns (0-based) from the least to the most weight the record gives: 2, 3, 1, 4."""
_ORDER_L = np.tril(np.ones((4, 4)))
"""Cumulative sums: W in that order = L @ steps, steps >= 0."""


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


# --------------------------------------------------------------------------- data
@dataclass
class Row:
    """One decision, reduced to what the fit needs (built once; conditions do not depend on weights)."""

    key: str
    outcome: str
    court: dict[int, str]
    x: dict[int, np.ndarray]
    degree: str | None = None


@dataclass
class Design:
    ids: dict[int, list[str]]
    priors: dict[int, np.ndarray]
    rows: list[Row]


def design(items: list[tuple[str, Any, str, dict[int, str]]]) -> Design:
    """``items``: (key, scenario, outcome, court factor codes {1: 'F', ...})."""
    from analysis.assess.engine import context_of
    from analysis.assess.factors import factor_considerations

    rules = load_rules()
    ids = {n: [c.id for c in rules.by_factor[n] if c.fitted] for n in (1, 2, 3, 4)}
    index = {n: {cid: j for j, cid in enumerate(ids[n])} for n in ids}
    priors = {n: np.array([rules.by_id[cid].weight for cid in ids[n]]) for n in ids}
    rows = []
    for key, scenario, outcome, court in items:
        ctx = context_of(scenario, prior_weights())
        x = {}
        for n in (1, 2, 3, 4):
            v = np.zeros(len(ids[n]))
            for c in factor_considerations(n, ctx):
                if c.fitted:
                    v[index[n][c.id]] = c.sign
            x[n] = v
        rows.append(Row(key=key, outcome=outcome, court=court, x=x, degree=ctx.purpose_degree))
    return Design(ids=ids, priors=priors, rows=rows)


# --------------------------------------------------------------------------- one penalised fit
def _fit_logistic(X: np.ndarray, y: np.ndarray, prior: np.ndarray, lam: float) -> tuple[np.ndarray, float]:
    """β ≥ 0 and scale c minimising log-loss + λ Σ (β − c·prior)². Returns (β, c).

    The objective is convex; a projected Newton method with an Armijo line search
    (Bertsekas 1982) solves it in a few iterations (the problems are small: at most a few
    hundred decisions and a few dozen considerations).
    """
    m = X.shape[1]
    c_lo, c_hi = 0.05, 5.0

    def objective(beta: np.ndarray, c: float) -> float:
        z = X @ beta
        d = beta - c * prior
        return float(np.sum(np.logaddexp(0.0, z) - y * z)) + lam * float(d @ d)

    beta = np.maximum(prior * 0.5, 0.0)
    c = 0.5
    f = objective(beta, c)
    for _ in range(100):
        z = X @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        d = beta - c * prior
        g = np.concatenate([X.T @ (p - y) + 2 * lam * d, [-2 * lam * float(prior @ d)]])
        w = p * (1 - p)
        H = np.zeros((m + 1, m + 1))
        H[:m, :m] = (X.T * w) @ X + 2 * lam * np.eye(m)
        H[:m, m] = H[m, :m] = -2 * lam * prior
        H[m, m] = 2 * lam * float(prior @ prior) + 1e-9
        theta = np.concatenate([beta, [c]])
        lo = np.concatenate([np.zeros(m), [c_lo]])
        hi = np.concatenate([np.full(m, np.inf), [c_hi]])
        eps = 1e-9
        active = ((theta <= lo + eps) & (g > 0)) | ((theta >= hi - eps) & (g < 0))
        free = ~active
        if not free.any() or float(np.abs(g[free]).max()) < 1e-7:
            break
        step = np.zeros(m + 1)
        Hf = H[np.ix_(free, free)] + 1e-10 * np.eye(int(free.sum()))
        step[free] = -np.linalg.solve(Hf, g[free])
        t = 1.0
        improved = False
        for _ls in range(30):
            cand = np.clip(theta + t * step, lo, hi)
            fc = objective(cand[:m], float(cand[m]))
            if fc <= f + 1e-4 * float(g @ (cand - theta)):
                improved = True
                break
            t *= 0.5
        if not improved:
            break
        beta, c = cand[:m], float(cand[m])
        if f - fc < 1e-10:
            f = fc
            break
        f = fc
    return beta, c


def _logloss(z: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _folds(labels: Sequence[str], k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    labels_arr = np.array(labels)
    counts = {v: int((labels_arr == v).sum()) for v in set(labels)}
    # a class smaller than k cannot be stratified: fold it into the largest class for splitting
    big = max(counts, key=lambda v: counts[v])
    strat = np.array([v if counts[v] >= k else big for v in labels])
    k = max(2, min(k, min(int((strat == v).sum()) for v in set(strat))))
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(skf.split(np.zeros(len(labels)), strat))


def _grouped_folds(d: Design, rows: Sequence[int], k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds over ``rows`` that keep every row of one decision (one ``Row.key``) in
    the same fold, so a decision read by several readers never sits on both sides of a split.
    With one row per decision these are exactly ``_folds`` of the rows' outcomes."""
    keys: dict[str, list[int]] = {}
    for pos, i in enumerate(rows):
        keys.setdefault(d.rows[i].key, []).append(pos)
    groups = list(keys.values())
    folds = _folds([d.rows[rows[g[0]]].outcome for g in groups], k, seed)
    return [
        (
            np.array(sorted(p for j in tr for p in groups[j]), dtype=int),
            np.array(sorted(p for j in te for p in groups[j]), dtype=int),
        )
        for tr, te in folds
    ]


def _lean3(z: float, band: float) -> str:
    return "F" if z >= band else "A" if z <= -band else "N"


def _lean5(z: float, band: float, strong_p: float) -> int:
    strong = _logit(strong_p)
    if z >= max(strong, band):
        return 2
    if z >= band:
        return 1
    if z <= -max(strong, band):
        return -2
    if z <= -band:
        return -1
    return 0


_LEAN_OF = {2: "strongly_favours", 1: "favours", 0: "neutral", -1: "disfavours", -2: "strongly_disfavours"}


def _capped(n: int, v: int, degree: str | None) -> int:
    """The engine's own cap on factor 1's strength (factors.cap_lean), applied to a lean value."""
    from analysis.assess.factors import cap_lean

    return LEAN_VALUE[cap_lean(n, _LEAN_OF[v], degree)]  # type: ignore[arg-type]


@dataclass
class FactorFit:
    beta: np.ndarray
    c: float
    lam: float
    band: float
    strong_p: float


@dataclass
class Fitted:
    factors: dict[int, FactorFit]
    W: np.ndarray
    k: float
    lam_overall: float
    ids: dict[int, list[str]]
    info: dict[str, Any] = field(default_factory=dict)

    def weights(self, provenance: dict[str, Any] | None = None) -> Weights:
        cons: dict[str, float] = {}
        bands: dict[int, tuple[float, float]] = {}
        for n, ff in self.factors.items():
            for cid, b in zip(self.ids[n], ff.beta):
                cons[cid] = round(float(b / ff.c), 4)
            strong = max(_logit(ff.strong_p), ff.band)
            bands[n] = (round(ff.band / ff.c, 4), round(strong / ff.c, 4))
        fw = {n: round(float(self.W[n - 1] / self.k), 4) for n in (1, 2, 3, 4)}
        band = round(_logit(self.info.get("close_call_p", CLOSE_CALL_P)) / self.k, 4)
        return Weights(
            considerations=cons,
            lean_bands=bands,
            factor_weights=fw,
            close_call_band=band,
            provenance=provenance or {},
            fitted=True,
        )


def _factor_data(d: Design, rows: list[int], n: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    keep = [i for i in rows if d.rows[i].court.get(n) in _CODE_Y]
    X = np.array([d.rows[i].x[n] for i in keep]) if keep else np.zeros((0, len(d.ids[n])))
    y = np.array([_CODE_Y[d.rows[i].court[n]] for i in keep])
    return X, y, keep


def fit(
    d: Design,
    rows: list[int],
    seed: int = 0,
    *,
    lambdas: tuple[float, ...] = LAMBDAS,
    strong_grid: tuple[float, ...] | None = None,
    ordered: bool = True,
) -> Fitted:
    """The whole procedure on the decisions ``rows`` (indices into ``d.rows``); nothing else is read.

    ``lambdas``, ``strong_grid`` and ``ordered`` exist for the robustness benchmark
    (``benchmarks/weights_robustness.py``), which compares the shipped procedure with
    variants of it; the engine always uses the defaults.
    """
    strong_grid = strong_grid or STRONG_P_GRID
    inner = _grouped_folds(d, rows, INNER_FOLDS, seed + 1000)
    # inner-cross-fitted factor scores, per λ, for every training row
    oof: dict[int, dict[float, dict[int, float]]] = {n: {lam: {} for lam in lambdas} for n in (1, 2, 3, 4)}
    for tr_idx, te_idx in inner:
        tr = [rows[i] for i in tr_idx]
        te = [rows[i] for i in te_idx]
        for n in (1, 2, 3, 4):
            X, y, _ = _factor_data(d, tr, n)
            for lam in lambdas:
                beta, _c = _fit_logistic(X, y, d.priors[n], lam)
                for i in te:
                    oof[n][lam][i] = float(d.rows[i].x[n] @ beta)
    factors: dict[int, FactorFit] = {}
    info: dict[str, Any] = {"lambda": {}, "lean_band_logit": {}}
    for n in (1, 2, 3, 4):
        _, y, keep = _factor_data(d, rows, n)
        best_lam = min(lambdas, key=lambda lam: _logloss(np.array([oof[n][lam][i] for i in keep]), y))
        codes = [d.rows[i].court[n] for i in keep]
        z = [oof[n][best_lam][i] for i in keep]
        best_band = max(LEAN_BAND_GRID, key=lambda b: (sum(_lean3(zz, b) == cc for zz, cc in zip(z, codes)), -b))
        X, y, _ = _factor_data(d, rows, n)
        beta, c = _fit_logistic(X, y, d.priors[n], best_lam)
        factors[n] = FactorFit(beta=beta, c=c, lam=best_lam, band=best_band, strong_p=strong_grid[-1])
        info["lambda"][n] = best_lam
        info["lean_band_logit"][n] = best_band
    # the factor weights, on the inner-cross-fitted leans of the clear outcomes; the strong band
    # and the penalty chosen together by inner cross-validation (log-loss on the outcomes)
    clear = [i for i in rows if d.rows[i].outcome in ("fair_use", "not_fair_use")]
    yo = np.array([1.0 if d.rows[i].outcome == "fair_use" else 0.0 for i in clear])
    # W is kept in the order of the empirical record (Beebe; Liu): W4 >= W1 >= W3 >= W2 >= 0,
    # written as cumulative sums of non-negative steps in the order 2, 3, 1, 4.
    prior_fw = np.array([prior_weights().factor_weights[n] for n in (1, 2, 3, 4)])
    folds2 = _grouped_folds(d, clear, INNER_FOLDS, seed + 2000)
    best: tuple[float, float, float, np.ndarray, np.ndarray, np.ndarray] | None = None
    order_l = _ORDER_L if ordered else np.eye(4)
    prior_u = np.linalg.solve(order_l, prior_fw[_ORDER_COLS])
    for sp in strong_grid:
        V = np.array(
            [
                [
                    _capped(n, _lean5(oof[n][factors[n].lam][i], factors[n].band, sp), d.rows[i].degree)
                    for n in (1, 2, 3, 4)
                ]
                for i in clear
            ],
            dtype=float,
        )
        VL = V[:, _ORDER_COLS] @ order_l
        for lam in lambdas:
            zs = np.zeros(len(clear))
            for tr_idx, te_idx in folds2:
                u, _k = _fit_logistic(VL[tr_idx], yo[tr_idx], prior_u, lam)
                zs[te_idx] = VL[te_idx] @ u
            loss = _logloss(zs, yo)
            if best is None or loss < best[0] - 1e-12:
                best = (loss, sp, lam, VL, V, zs)
    assert best is not None
    _loss, strong_p, lam_o, VL, V, zs = best
    # the close-call band, on the same inner-cross-fitted combined scores (a close call is a
    # miss; factors 1 and 4 both neutral stay a close call whatever the band: overall.py)
    both_neutral = (V[:, 0] == 0) & (V[:, 3] == 0)

    def _agree(p: float) -> int:
        t = _logit(p) if p > 0.5 else 0.0
        pred = np.where(both_neutral, 0.5, np.where(zs > t, 1.0, np.where(zs < -t, 0.0, 0.5)))
        return int((pred == yo).sum())

    close_p = max(CLOSE_CALL_GRID, key=lambda p: (_agree(p), p))
    info["close_call_p"] = close_p
    for ff in factors.values():
        ff.strong_p = strong_p
    info["strong_p"] = strong_p
    u, k = _fit_logistic(VL, yo, prior_u, lam_o)
    W = np.zeros(4)
    W[_ORDER_COLS] = order_l @ u
    info["lambda_overall"] = lam_o
    return Fitted(factors=factors, W=W, k=k, lam_overall=lam_o, ids=d.ids, info=info)


# --------------------------------------------------------------------------- shipping
FITTED_MARKER = "# ---- fitted: written by `python -m analysis.assess.fit --write`; do not edit by hand ----"


def corpus_fingerprint() -> str:
    """SHA-256 over what the fit reads: the FUI encodings, the considerations and the priors."""
    import hashlib

    from analysis.assess.corpus import fui_dir
    from analysis.resources import data_dir

    h = hashlib.sha256()
    for path in [*sorted(fui_dir().glob("row-*.yaml")), data_dir() / "considerations.yaml"]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    text = (data_dir() / "weights.yaml").read_text(encoding="utf-8").split(FITTED_MARKER)[0]
    h.update(text.encode())
    return h.hexdigest()


def fit_all(seed: int | None = None) -> Fitted:
    """The shipped fit: the whole procedure on every non-thin decision of the corpus."""
    from analysis.assess.corpus import load_fui
    from analysis.assess.validate import DEFAULT_SEED

    rows = [r for r in load_fui() if not r.encoding.thin]
    d = design([(f"fui-{r.row:03d}", r.scenario, r.outcome, r.court_codes()) for r in rows])
    return fit(d, list(range(len(rows))), seed=DEFAULT_SEED if seed is None else seed)


def write_weights(fitted: Fitted, cv: dict[str, Any]) -> str:
    """Rewrite the fitted block of ``data/weights.yaml`` (the priors above it are kept)."""
    import datetime

    import yaml

    from analysis import __version__
    from analysis.resources import data_dir

    w = fitted.weights()
    provenance = {
        "method": "fitted by repeated stratified k-fold cross-validation on the Fair Use Index corpus, "
        "regularised toward the priors (analysis/assess/fit.py)",
        "corpus": f"{cv['encoded']} decisions encoded blind ({len(cv['skipped'])} skipped as too thin), "
        f"{cv['decisions']} with a clear outcome",
        "folds": cv["folds"],
        "out_of_fold": {
            "agreement": cv["agreement"],
            "close_calls": cv["close_calls"],
            "per_factor": cv["per_factor"],
            "misses_by_outcome": cv["misses_by_outcome"],
        },
        "in_sample": {k: cv["in_sample"][k] for k in ("agreement", "close_calls", "per_factor")},
        "chosen_on_all_data": {
            "lambda_per_factor": {int(k): v for k, v in fitted.info["lambda"].items()},
            "lambda_factor_weights": fitted.info["lambda_overall"],
            "lean_band_logit": {int(k): v for k, v in fitted.info["lean_band_logit"].items()},
            "close_call_p": fitted.info["close_call_p"],
        },
        "definitions": {
            "strong lean": f"fitted odds for that side of at least {fitted.info['strong_p']:.0%} (chosen by inner CV from {list(STRONG_P_GRID)})",
            "close call": (
                f"combined odds within {1 - fitted.info['close_call_p']:.0%}-{fitted.info['close_call_p']:.0%} "
                f"(chosen by inner CV from {list(CLOSE_CALL_GRID)}), or factors 1 and 4 both neutral"
            ),
        },
        "corpus_sha256": corpus_fingerprint(),
        "engine_version": __version__,
        "fitted_on": datetime.date.today().isoformat(),
    }
    block = {
        "fitted": {
            "provenance": provenance,
            "factor_weights": w.factor_weights,
            "close_call_band": w.close_call_band,
            "lean_bands": {n: {"lean": a, "strong": b} for n, (a, b) in w.lean_bands.items()},
            "considerations": dict(sorted(w.considerations.items())),
        }
    }
    path = data_dir() / "weights.yaml"
    head = path.read_text(encoding="utf-8").split(FITTED_MARKER)[0].rstrip() + "\n\n"
    text = head + FITTED_MARKER + "\n" + yaml.safe_dump(block, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return str(path)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from analysis.assess.validate import DEFAULT_FOLDS, DEFAULT_REPEATS, DEFAULT_SEED, cross_validate_fui, format_fui

    ap = argparse.ArgumentParser(prog="python -m analysis.assess.fit", description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the fitted block of data/weights.yaml")
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    cv = cross_validate_fui(
        folds=args.folds,
        repeats=args.repeats,
        seed=args.seed,
        baselines=False,
        progress=lambda m: print(f"  {m}", end="\r", file=sys.stderr),
    )
    print(format_fui(cv))
    if args.write:
        from analysis.assess import weights as weights_mod

        path = write_weights(fit_all(args.seed), cv)
        weights_mod.weights_file.cache_clear()
        weights_mod.shipped_weights.cache_clear()
        print(f"\nFitted weights written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
