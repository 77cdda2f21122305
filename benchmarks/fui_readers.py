"""How much does the Fair Use Index figure depend on who read the facts? Three blind readings.

Every decision of the corpus was first encoded by one blind reader (the shipped encodings in
``analysis/assess/data/fui/``; the first and second passes of ``benchmarks/fui/PROTOCOL.md``).
Two more readers per decision, who never saw those encodings, answered the same sheet (both
passes' questions at once, ``benchmarks/fui/ENCODER_ALL.md``) from the same stripped facts:
readings ``A`` and ``B`` in ``benchmarks/fui/readings/``. This script

1. measures how often two blind readers give the same answer, field by field (raw agreement
   and Cohen's kappa where both answered; how often each field is answered at all);
2. runs the same out-of-fold validation as ``fairuse validate --corpus fui`` (same folds, same
   seeds, same fit, baselines on the same encodings) on each reading alone and on the
   **consensus** of the readings, by the rule below;
3. fits on one encoding and assesses each held-out decision from another reader's answers
   (as the product meets a new user);
4. scores the lockbox (``benchmarks/fui_lockbox.py``) from each reading.

The consensus rule was written and committed before any new reading existed, so no answer or
outcome shaped it. For each field the engine reads, over the readers in the order (first
reader, A, B):

- a field has a value only where at least half the readers answered it; then, over the answers:
- yes / no: the majority; a tie goes to the first reader who answered;
- a degree (yes / partly / no, scored 1 / ½ / 0): the mean, ``>= ¾`` yes, ``<= ¼`` no,
  otherwise *partly* (two readers who disagree outright make it a matter of degree);
- an ordered scale (portion, scale, commercial, nature, harm shown, licensing market): the
  median of the answers on the scale (*unknown* only where no reader placed it); with an even
  number, the midpoint of the two middle answers, a half step going to the first reader's side;
- a category (medium, used as, how obtained, licence ...): the most common; a tie goes to the
  first reader who gave one of the tied answers;
- a list (purposes, what is taken): an item chosen by more than half of the readers who gave
  a list; exactly half: kept if the first reader chose it;
- free text (titles, descriptions, notes, dates) and ``thin``: the first reader's.
``entire_work`` then follows the consensus portion (true exactly when it is *entire*).

Run: ``.venv/bin/python benchmarks/fui_readers.py [--repeats 5] [--json FILE]``.
Skips cleanly when the readings are absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

READINGS_DIR = ROOT / "benchmarks" / "fui" / "readings"
NEW_READERS = ("A", "B")

ORDINAL: dict[str, tuple[str, ...]] = {
    "use.portion": ("tiny", "small", "moderate", "large", "entire"),
    "use.scale": ("private", "small", "large", "mass"),
    "use.commercial": ("nonprofit", "mixed", "commercial"),
    "source.nature": ("functional", "factual", "mixed", "creative", "highly_creative"),
    "market.harm_evidence": ("none", "speculative", "some", "substantial"),
    "market.licensing_market": ("none", "emerging", "established"),
}
"""Answers on an ordered scale (the consensus takes the median; ``unknown`` is off the scale)."""


# --------------------------------------------------------------------------- the sheet's fields
def field_kinds() -> dict[str, str]:
    """Every leaf of the scenario the readers answer, with its kind (read off the model)."""
    from pydantic import BaseModel

    from analysis.assess.scenario import Scenario

    def kind(ann: Any) -> str | None:
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        origin = typing.get_origin(ann)
        if origin in (typing.Union, types.UnionType):
            lits = [a for a in args if typing.get_origin(a) is typing.Literal]
            if bool in args and lits and typing.get_args(lits[0]) == ("partly",):
                return "degree"
            if args == [bool]:
                return "bool"
            if len(args) == 1:
                return kind(args[0])
            return None
        if ann is bool:
            return "bool"
        if origin is typing.Literal:
            return "category"
        if origin is list and typing.get_origin(typing.get_args(ann)[0]) is typing.Literal:
            return "list"
        if ann is str:
            return "text"
        return None

    out: dict[str, str] = {}

    def walk(model: type[BaseModel], pre: str) -> None:
        for name, f in model.model_fields.items():
            ann = f.annotation
            inner = [a for a in typing.get_args(ann) if a is not type(None)] or [ann]
            sub = inner[0] if len(inner) == 1 else None
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                walk(sub, f"{pre}{name}.")
                continue
            k = kind(ann)
            path = f"{pre}{name}"
            if k is not None:
                out[path] = "ordinal" if path in ORDINAL else k
            else:
                out[path] = "text"

    walk(Scenario, "")
    return out


def _get(d: dict[str, Any] | None, path: str) -> Any:
    cur: Any = d
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _set(d: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    cur = d
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value


def _answered(v: Any) -> bool:
    return v is not None and v != [] and v != ""


# --------------------------------------------------------------------------- the consensus rule
def combine(kind: str, path: str, answers: Sequence[Any]) -> Any:
    """One field's consensus over the readers' answers (the first reader's first; None = none)."""
    given = [a for a in answers if _answered(a)]
    if kind == "text":
        return answers[0] if answers else None
    if not given or 2 * len(given) < len(answers):
        return None
    if kind == "bool":
        yes = sum(1 for a in given if a is True)
        no = len(given) - yes
        return True if yes > no else False if no > yes else given[0]
    if kind == "degree":
        score = {True: 1.0, "partly": 0.5, False: 0.0}
        m = sum(score[a] for a in given) / len(given)
        return True if m >= 0.75 else False if m <= 0.25 else "partly"
    if kind == "ordinal":
        scale = ORDINAL[path]
        ranks = sorted(scale.index(a) for a in given if a in scale)
        if not ranks:
            return "unknown" if "unknown" in given else None
        if len(ranks) % 2:
            return scale[ranks[len(ranks) // 2]]
        lo, hi = ranks[len(ranks) // 2 - 1], ranks[len(ranks) // 2]
        mid = (lo + hi) / 2
        if mid == int(mid):
            return scale[int(mid)]
        first_rank = next(scale.index(a) for a in given if a in scale)
        return scale[int(mid + 0.5) if first_rank > mid else int(mid - 0.5)]
    if kind == "category":
        counts: dict[Any, int] = {}
        for a in given:
            counts[a] = counts.get(a, 0) + 1
        top = max(counts.values())
        return next(a for a in given if counts[a] == top)
    if kind == "list":
        lists = [list(a) for a in given]
        items = list(dict.fromkeys(x for lst in lists for x in lst))  # first reader's order first
        first_items = set(lists[0])

        def kept(x: Any) -> bool:
            votes = 2 * sum(x in lst for lst in lists)
            return votes > len(lists) or (votes == len(lists) and x in first_items)

        return [x for x in items if kept(x)]
    raise ValueError(kind)


def consensus(sheets: Sequence[dict[str, Any] | None], kinds: dict[str, str]) -> dict[str, Any]:
    """The consensus scenario of several readings of one decision (the first reader's first)."""
    present = [s for s in sheets if s is not None]
    out: dict[str, Any] = {}
    for path, kind in kinds.items():
        v = combine(kind, path, [_get(s, path) for s in present])
        if v is not None and v != []:
            _set(out, path, v)
    portion = _get(out, "use.portion")
    if portion is not None:
        _set(out, "use.entire_work", portion == "entire")
    return out


# --------------------------------------------------------------------------- readings
def first_readings() -> dict[int, dict[str, Any]]:
    from analysis.assess.corpus import load_fui

    return {r.row: r.scenario.model_dump(mode="json", exclude_none=True) for r in load_fui()}


def batches_by_row(folder: Path) -> dict[int, dict[str, Any]]:
    """The entries of a folder of readers' batches (``batch_*.yaml``, lists of entries with a
    ``row``), by row; empty where the folder is absent."""
    import yaml

    out: dict[int, dict[str, Any]] = {}
    for f in sorted(folder.glob("batch_*.yaml")):
        for e in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            out[int(e["row"])] = e
    return out


def new_readings(name: str) -> dict[int, dict[str, Any]]:
    """One new reader's entries by row (row, recognised, thin, confidence, scenario)."""
    return batches_by_row(READINGS_DIR / name)


def new_sheets(name: str) -> dict[int, dict[str, Any]]:
    """One new reading's scenarios by row, as the product reads them (``_clean``)."""
    return {row: c for row, e in new_readings(name).items() if (c := _clean(e.get("scenario"))) is not None}


def as_rows(sheets: dict[int, dict[str, Any]]) -> tuple[list[Any], list[int]]:
    """The shipped corpus with each decision's scenario replaced by ``sheets[row]`` (where valid)."""
    from pydantic import ValidationError

    from analysis.assess.corpus import load_fui
    from analysis.assess.scenario import Scenario

    rows, invalid = [], []
    for r in load_fui():
        sc = sheets.get(r.row)
        if sc is None:
            rows.append(r)
            continue
        try:
            scenario = Scenario.model_validate({**sc, "id": f"fui-{r.row:03d}"})
        except ValidationError:
            invalid.append(r.row)
            rows.append(r)
            continue
        rows.append(r.model_copy(update={"scenario": scenario}))
    return rows, invalid


def _clean(sc: dict[str, Any] | None) -> dict[str, Any] | None:
    """A new reader's sheet as the product reads it: unanswered fields dropped, as
    ``scripts/fui_build.py`` drops them from the first reading."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    from fui_build import _drop_empty

    return _drop_empty(sc) if isinstance(sc, dict) else None


# --------------------------------------------------------------------------- agreement
def reader_agreement(a: dict[int, dict[str, Any]], b: dict[int, dict[str, Any]], kinds: dict[str, str]):
    """Per field: rows both answered, raw agreement, Cohen's kappa (lists: mean Jaccard)."""
    from sklearn.metrics import cohen_kappa_score

    out: dict[str, dict[str, Any]] = {}
    common = sorted(set(a) & set(b))
    for path, kind in kinds.items():
        if kind == "text":
            continue
        xs, ys = [], []
        for row in common:
            va, vb = _get(a[row], path), _get(b[row], path)
            if _answered(va) and _answered(vb):
                xs.append(va)
                ys.append(vb)
        if len(xs) < 10:
            continue
        if kind == "list":
            jac = [len(set(x) & set(y)) / len(set(x) | set(y)) for x, y in zip(xs, ys)]
            out[path] = {"both_answered": len(xs), "agreement": round(statistics.mean(jac), 3), "kappa": None}
            continue
        sx, sy = [json.dumps(x) for x in xs], [json.dumps(y) for y in ys]
        agree = sum(x == y for x, y in zip(sx, sy)) / len(sx)
        kappa = cohen_kappa_score(sx, sy) if len(set(sx) | set(sy)) > 1 else 1.0
        out[path] = {"both_answered": len(xs), "agreement": round(agree, 3), "kappa": round(float(kappa), 3)}
    return out


# --------------------------------------------------------------------------- fit on one, score another
def out_of_fold(
    d: Any,
    labels: Sequence[str],
    tests: Mapping[str, Sequence[Any]],
    repeats: int,
    training_rows: Callable[[Sequence[int]], list[int]] | None = None,
) -> dict[str, list[dict[int, Any]]]:
    """The engine's out-of-fold predictions over the decisions ``labels`` describe, on the folds,
    seeds and fit of ``fairuse validate --corpus fui``: in each outer fold the weights are fitted
    on the design ``d``'s rows ``training_rows(training decisions)`` (by default the decisions
    themselves), and each held-out decision ``i`` is assessed from ``tests[name][i]`` (a
    scenario). One dict of (label, leans) by decision per repeat, for each test."""
    from analysis.assess.engine import quick_outcome
    from analysis.assess.fit import _folds, fit
    from analysis.assess.validate import DEFAULT_FOLDS, DEFAULT_SEED

    preds: dict[str, list[dict[int, Any]]] = {name: [] for name in tests}
    for rep in range(repeats):
        p: dict[str, dict[int, Any]] = {name: {} for name in tests}
        for k, (tr, te) in enumerate(_folds(labels, DEFAULT_FOLDS, DEFAULT_SEED + rep)):
            held_in = [int(j) for j in tr]
            train = training_rows(held_in) if training_rows is not None else held_in
            w = fit(d, train, seed=DEFAULT_SEED + rep * 100 + k).weights()
            for name, scenarios in tests.items():
                for i in te:
                    p[name][int(i)] = quick_outcome(scenarios[int(i)], w)
        for name in tests:
            preds[name].append(p[name])
    return preds


def cross_reading(train: Sequence[Any], tests: Mapping[str, Sequence[Any]], repeats: int) -> dict[str, dict[str, Any]]:
    """Out-of-fold figures when the weights are fitted on the ``train`` encodings of the training
    folds and each held-out decision is assessed from another reading's answers (a new reader,
    as a user would be). Same folds, seeds and fit as ``fairuse validate --corpus fui``."""
    from analysis.assess.fit import design
    from analysis.assess.validate import _summary

    keep = [i for i, r in enumerate(train) if not r.encoding.thin]
    rows = [train[i] for i in keep]
    d = design([(f"fui-{r.row:03d}", r.scenario, r.outcome, r.court_codes()) for r in rows])
    scenarios = {name: [test_rows[i].scenario for i in keep] for name, test_rows in tests.items()}
    preds = out_of_fold(d, [r.outcome for r in rows], scenarios, repeats)
    return {name: _summary(list(range(len(rows))), rows, preds[name]) for name in tests}


# --------------------------------------------------------------------------- main
def best_rule(baselines: Mapping[str, float]) -> float:
    """The best one-line rule among a run's baselines (not the regression, not the majority)."""
    return max(v for k, v in baselines.items() if k not in ("logistic regression on the answers", "majority class"))


def _line(name: str, cv: dict[str, Any]) -> str:
    pf = cv["per_factor"]
    b = cv["baselines"]
    rule = best_rule(b)
    return (
        f"  {name:<34} {cv['agreement']:6.1%} {cv['close_calls']:6.1%}   "
        + " / ".join(f"{pf[k]:.1%}" for k in ("1", "2", "3", "4"))
        + f"   LR {b['logistic regression on the answers']:.1%}  best rule {rule:.1%}"
        + f"   misses FU {cv['misses_by_outcome']['fair_use']['share']:.0%}"
    )


def main(argv: list[str] | None = None) -> int:
    from analysis.assess.validate import DEFAULT_FOLDS, DEFAULT_SEED, cross_validate_fui

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    readers = [n for n in NEW_READERS if new_readings(n)]
    if not readers:
        print(f"no readings in {READINGS_DIR}: nothing to compare")
        return 0
    kinds = field_kinds()
    sheets: dict[str, dict[int, dict[str, Any]]] = {"first": first_readings()}
    for n in readers:
        sheets[n] = new_sheets(n)
    rows_all = sorted(sheets["first"])
    cons = {row: consensus([sheets[n].get(row) for n in sheets], kinds) for row in rows_all}
    out: dict[str, Any] = {"readers": list(sheets), "coverage": {n: len(s) for n, s in sheets.items()}}
    print("Blind readings of the Fair Use Index facts: " + ", ".join(f"{n} {len(s)} rows" for n, s in sheets.items()))

    # 1. agreement between readers
    names = list(sheets)
    pairs = [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]
    agreement = {f"{x}-{y}": reader_agreement(sheets[x], sheets[y], kinds) for x, y in pairs}
    out["reader_agreement"] = agreement
    key_fields = [
        "use.same_purpose_as_source",
        "use.new_expression",
        "use.targets_source",
        "use.amount_reasonable",
        "use.portion",
        "use.commercial",
        "use.used_as",
        "use.unaltered",
        "source.nature",
        "source.published",
        "market.substitutes",
        "market.licensing_market",
        "market.harm_evidence",
        "market.derivative_market",
        "use.purposes",
    ]
    print("\nTwo blind readers, the same field (raw agreement where both answered; kappa; n)")
    print("  " + " " * 28 + "".join(f"{p:>22}" for p in agreement))
    for f in key_fields:
        cells = []
        for p in agreement:
            a = agreement[p].get(f)
            cells.append(
                f"{a['agreement']:.0%} k={a['kappa'] if a['kappa'] is not None else '-'} n={a['both_answered']}"
                if a
                else "-"
            )
        print(f"  {f:<28}" + "".join(f"{c:>22}" for c in cells))

    # 2. out-of-fold validation on each reading and on the consensus
    print(f"\nOut-of-fold ({DEFAULT_FOLDS}-fold x {args.repeats}, seeds from {DEFAULT_SEED}; the fit inside each fold)")
    print(
        "  reading                            agree  close   factors 1 / 2 / 3 / 4          baselines, same encodings"
    )
    out["validation"] = {}
    variants: list[tuple[str, dict[int, dict[str, Any]]]] = [(n, sheets[n]) for n in sheets]
    if len(sheets) > 1:
        variants.append(("consensus of " + " + ".join(sheets), cons))
    built = {name: as_rows(sh) for name, sh in variants}
    encodings = {name: rows for name, (rows, _invalid) in built.items()}
    for name, (rows, invalid) in built.items():
        cv = cross_validate_fui(repeats=args.repeats, corpus_rows=rows)
        out["validation"][name] = {
            k: cv[k] for k in ("decisions", "agreement", "close_calls", "per_factor", "misses_by_outcome", "baselines")
        }
        out["validation"][name]["invalid_sheets_kept_first"] = invalid
        out["validation"][name]["agreement_by_repeat"] = cv["agreement_by_repeat"]
        print(_line(name, cv) + (f"  ({len(invalid)} invalid sheets: first reading kept)" if invalid else ""))
    # 3. fitted on one encoding, each held-out decision answered by another reader
    if len(sheets) > 1:
        print("\nFitted on one encoding (training folds), held-out decisions answered by another reader")
        print("  fitted on -> assessed from" + "".join(f"{n[:14]:>16}" for n in encodings))
        out["cross_reading"] = {}
        for tname in encodings:
            res = cross_reading(encodings[tname], encodings, args.repeats)
            out["cross_reading"][tname] = res
            print(f"  {tname[:26]:<27}" + "".join(f"{res[n]['agreement']:>16.1%}" for n in encodings))
    # 4. the lockbox (decisions no structural choice looked at), from each reading
    from benchmarks.fui_lockbox import score_lockbox

    print("\nLockbox (weights fitted on the development decisions of the same reading; scored once per reading)")
    out["lockbox"] = {}
    for name, rows in encodings.items():
        lb = score_lockbox(rows)
        out["lockbox"][name] = lb
        b = lb["baselines"]
        print(
            f"  {name[:34]:<35}{lb['agreement']:6.1%} of {lb['lockbox_clear_decisions']}   factors "
            + " / ".join(f"{(lb['per_factor'][k] or 0):.1%}" for k in ("1", "2", "3", "4"))
            + f"   LR {b['logistic regression on the answers']:.1%}"
            + f"  best rule {best_rule(b):.1%}"
        )
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
