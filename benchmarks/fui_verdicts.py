"""How far do the facts alone foresee the outcome? Blind readers' own verdicts, beside the engine.

Every figure for the engine so far asks: from a reader's answers to the questionnaire, does the
engine lean the way the court ruled? This asks the question before that one. Readers who see
only a decision's stripped key facts (the same text the questionnaire's readers saw) say how
they expect the court to rule, and how it will find each factor, with no questionnaire between
the facts and the verdict (``benchmarks/fui/verdicts/JUDGE.md``):

- **stripped**: the facts as every reading saw them (``scripts/fui_blind.py``: rulings and
  appeals removed); 8 readers, interleaved batches (row *n* to batch *n* mod 8).
- **anonymised**: the same facts with the names of the parties, works, products and places
  replaced by plain descriptions first (8 other readers did that, ``ANONYMISE.md``; their
  output is ``verdicts/anonymised/facts/``), then 8 more readers gave verdicts on them.

No reader saw an outcome, a holding, an encoding or another reader's work. The readers are
language models like the questionnaire's and still recognise most decisions (each entry's
``recognised``), so the figures are split by recognition.

The same run gives the engine's out-of-fold figure (``fairuse validate --corpus fui``'s folds,
seeds and fit) on the same decisions and on the same subsets, and the issue's baselines.

Run: ``.venv/bin/python benchmarks/fui_verdicts.py [--repeats 5] [--json FILE]``.
Skips cleanly when the verdicts are absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VERDICTS = ROOT / "benchmarks" / "fui" / "verdicts"
READINGS = ("stripped", "anonymised")
_CODE = {"favours": "F", "disfavours": "A", "neutral": "N"}


def load_verdicts(name: str) -> dict[int, dict[str, Any]]:
    """One verdict reading's entries by row (row, recognised, thin, verdict, p_fair_use, factors, why)."""
    from benchmarks.fui_readers import batches_by_row

    return batches_by_row(VERDICTS / name)


def factor_code(entry: dict[str, Any], n: int) -> str | None:
    """The reader's expected finding on factor ``n`` as a court code (F / A / N)."""
    factors = entry.get("factors") or {}
    given = factors.get(str(n), factors.get(n))
    return _CODE.get(given) if isinstance(given, str) else None


def score(verdicts: dict[int, dict[str, Any]], rows: Sequence[Any], idx: Sequence[int]) -> dict[str, Any]:
    """The readers' verdicts on the clear outcomes among ``rows[i]`` for ``i`` in ``idx``."""
    clear = [i for i in idx if rows[i].clear]
    hits = [verdicts[rows[i].row]["verdict"] == rows[i].outcome for i in clear]
    misses = Counter(rows[i].outcome for i, h in zip(clear, hits) if not h)
    f_hit: Counter[int] = Counter()
    f_n: Counter[int] = Counter()
    for i in clear:
        for n, code in rows[i].court_codes().items():
            if code in ("F", "A", "N"):
                f_n[n] += 1
                f_hit[n] += factor_code(verdicts[rows[i].row], n) == code
    brier = [
        (float(verdicts[rows[i].row].get("p_fair_use", 0.5)) - (rows[i].outcome == "fair_use")) ** 2 for i in clear
    ]
    return {
        "decisions": len(clear),
        "agreement": round(sum(hits) / len(clear), 4) if clear else None,
        "per_factor": {str(n): round(f_hit[n] / f_n[n], 4) if f_n[n] else None for n in (1, 2, 3, 4)},
        "per_factor_counts": {str(n): f_n[n] for n in (1, 2, 3, 4)},
        "misses_by_outcome": {o: misses[o] for o in ("fair_use", "not_fair_use")},
        "brier": round(sum(brier) / len(brier), 4) if brier else None,
    }


def run(repeats: int) -> dict[str, Any] | None:
    from analysis.assess.corpus import load_fui
    from analysis.assess.fit import design
    from analysis.assess.validate import _summary, cross_validate_fui
    from benchmarks.fui_lockbox import lockbox_rows
    from benchmarks.fui_readers import out_of_fold

    readings = {name: v for name in READINGS if (v := load_verdicts(name))}
    if not readings:
        return None
    rows = [r for r in load_fui() if not r.encoding.thin]
    every = list(range(len(rows)))
    lock = lockbox_rows()
    subsets: dict[str, list[int]] = {
        "all": every,
        "development decisions": [i for i in every if rows[i].row not in lock],
        "lockbox": [i for i in every if rows[i].row in lock],
    }
    d = design([(f"fui-{r.row:03d}", r.scenario, r.outcome, r.court_codes()) for r in rows])
    preds = out_of_fold(d, [r.outcome for r in rows], {"shipped": [r.scenario for r in rows]}, repeats)["shipped"]
    cv = cross_validate_fui(repeats=repeats)
    out: dict[str, Any] = {
        "readers": {name: len(v) for name, v in readings.items()},
        "engine_out_of_fold": {k: _summary(idx, rows, preds) for k, idx in subsets.items()},
        "baselines": cv["baselines"],
        "engine_validate_agreement": cv["agreement"],
        "repeats": repeats,
        "verdicts": {},
    }
    for name, v in readings.items():
        rec = [i for i in every if v[rows[i].row].get("recognised")]
        unrec = [i for i in every if not v[rows[i].row].get("recognised")]
        by = {**subsets, "recognised by the verdict reader": rec, "not recognised by the verdict reader": unrec}
        out["verdicts"][name] = {
            k: {"reader": score(v, rows, idx), "engine_out_of_fold_same_rows": _summary(idx, rows, preds)}
            for k, idx in by.items()
        }
    if len(readings) == 2:
        a, b = (readings[n] for n in READINGS)
        clear = [r for r in rows if r.clear]
        out["two_verdict_readings_agree"] = round(
            sum(a[r.row]["verdict"] == b[r.row]["verdict"] for r in clear) / len(clear), 4
        )
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def report(out: dict[str, Any]) -> str:
    lines = [
        "Blind readers' own verdicts from the facts alone, beside the engine (clear outcomes; engine out of fold,"
        f" {out['repeats']} repeats)"
    ]
    for name, by in out["verdicts"].items():
        lines.append(f"\n  facts {name} ({out['readers'][name]} decisions read):")
        lines.append(
            f"    {'decisions':<40} {'n':>4}  {'reader':>7}  {'engine':>7}   reader's factors 1 / 2 / 3 / 4   misses FU/NFU"
        )
        for k, res in by.items():
            r, e = res["reader"], res["engine_out_of_fold_same_rows"]
            pf = " / ".join(_pct(r["per_factor"][s]) for s in ("1", "2", "3", "4"))
            m = r["misses_by_outcome"]
            lines.append(
                f"    {k:<40} {r['decisions']:>4}  {_pct(r['agreement']):>7}  {_pct(e.get('agreement')):>7}   {pf:<31}"
                f"  {m['fair_use']}/{m['not_fair_use']}"
            )
    if "two_verdict_readings_agree" in out:
        lines.append(
            f"\n  the two verdict readings give the same verdict on {out['two_verdict_readings_agree']:.1%} of clear outcomes"
        )
    e = out["engine_out_of_fold"]["all"]
    lines.append(
        "  engine out of fold (all clear outcomes): "
        + _pct(e["agreement"])
        + "; factors "
        + " / ".join(_pct(e["per_factor"][s]) for s in ("1", "2", "3", "4"))
    )
    lines.append("  baselines, same run (fairuse validate --corpus fui):")
    for k, v in sorted(out["baselines"].items(), key=lambda kv: -kv[1]):
        lines.append(f"    {k:<60} {v:.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    out = run(args.repeats)
    if out is None:
        print(f"no verdicts in {VERDICTS}: nothing to compare")
        return 0
    print(report(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
