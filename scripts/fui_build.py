"""Assemble the blind Fair Use Index corpus from the two encoding passes (issue: factor reasoning).

    python scripts/fui_build.py --facts DIR --findings FILE

Reads the blind facts encodings (``batch_*.yaml`` from readers who saw only the stripped
``key_facts``, see ``scripts/fui_blind.py`` and ``benchmarks/fui/PROTOCOL.md``) and the second
pass (each factor's finding, from the ``holding`` alone), joins them with the Index's row metadata
(name, citation, year, court) and the outcome normalised by the rule below, validates each
scenario against the product's ``Scenario`` model, and writes one file per decision to
``analysis/assess/data/fui/``.

Outcome rule (from the cases file's ``outcome`` text): any mention of "preliminary", "mixed" or
"remand" makes the decision *preliminary* or *mixed* (reported separately); otherwise "fair use
not found" is ``not_fair_use`` and "fair use found" is ``fair_use``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fui_blind import STRIPPED, load_rows  # noqa: E402

from analysis.assess.scenario import Scenario  # noqa: E402

OUT = ROOT / "analysis" / "assess" / "data" / "fui"
SECOND_PASS_FIELDS = ("used_as", "unaltered", "could_do_without", "same_kind_of_product")
FINDING = {"favours": "F", "disfavours": "A", "neutral": "N", "not_decided": "not_reached"}


def normalise_outcome(text: str) -> str:
    t = text.lower()
    if "mixed" in t:
        return "mixed"
    if "preliminary" in t or "remand" in t:
        return "preliminary"
    if "fair use not found" in t:
        return "not_fair_use"
    if "fair use found" in t:
        return "fair_use"
    raise ValueError(f"unrecognised outcome {text!r}")


def _drop_empty(d: dict) -> dict:
    """Unanswered fields (null, empty) are left out, as a user's scenario file would leave them."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            v = _drop_empty(v)
        if v not in (None, {}, []):
            out[k] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=Path, required=True)
    ap.add_argument("--findings", type=Path, required=True)
    ap.add_argument(
        "--facts2",
        type=Path,
        default=None,
        help="the second blind pass (used_as, unaltered, could_do_without, same_kind_of_product)",
    )
    args = ap.parse_args()
    rows = {r["row"]: r for r in load_rows()}
    enc: dict[int, dict] = {}
    for f in sorted(args.facts.glob("batch_*.yaml")):
        for e in yaml.safe_load(f.read_text(encoding="utf-8")):
            assert e["row"] not in enc, f"row {e['row']} encoded twice"
            enc[e["row"]] = e
    findings = {e["row"]: e for e in yaml.safe_load(args.findings.read_text(encoding="utf-8"))}
    second: dict[int, dict] = {}
    if args.facts2 is not None:
        for f in sorted(args.facts2.glob("batch_*.yaml")):
            for e in yaml.safe_load(f.read_text(encoding="utf-8")):
                second[e["row"]] = e
    stripped = {}
    for line in STRIPPED.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        stripped[rec["row"]] = [x["sentence"] for x in rec["removed"]]
    missing = sorted(set(rows) - set(enc))
    assert not missing, f"rows not encoded: {missing}"
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("row-*.yaml"):
        old.unlink()
    problems = []
    for n in sorted(rows):
        r, e, fnd = rows[n], enc[n], findings[n]
        sc = _drop_empty(dict(e.get("scenario") or {}))
        if n in second:  # the second pass's four answers join the first pass's use
            extra = {k: second[n].get(k) for k in SECOND_PASS_FIELDS}
            sc["use"] = {**sc.get("use", {}), **{k: v for k, v in extra.items() if v is not None}}
        sc["id"] = f"fui-{n:03d}"
        try:
            scenario = Scenario.model_validate(sc)
        except Exception as exc:  # recorded and listed; the decision is then skipped
            problems.append((n, str(exc).splitlines()[0:3]))
            scenario = None
        c = r["cases"]
        rec = {
            "row": n,
            "name": re.split(r",?\s+(?=\d[\w:-]*[ -]|Nos?\.|Civ|Case|\()", c["case"].strip())[0].rstrip(","),
            "citation": c["case"].strip(),
            "year": int(c["year"]),
            "court": c["court"].strip(),
            "jurisdiction": c["jurisdiction"].strip(),
            "outcome": normalise_outcome(c["outcome"]),
            "outcome_text": c["outcome"].strip(),
            "stage": fnd.get("stage"),
            "court_factors": {k: FINDING[fnd[k]] for k in ("f1", "f2", "f3", "f4")},
            "findings_note": fnd.get("note") or fnd.get("weight_note"),
            "encoding": {
                "recognised": bool(e.get("recognised")),
                "recognised_second_pass": bool(second.get(n, {}).get("recognised")) if n in second else None,
                "thin": bool(e.get("thin")),
                "thin_reason": e.get("thin_reason"),
                "confidence": e.get("confidence"),
                "stripped_sentences": stripped.get(n, []),
                "valid": scenario is not None,
            },
            "scenario": scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True) if scenario else sc,
        }
        (OUT / f"row-{n:03d}.yaml").write_text(
            f"# Fair Use Index row {n}, encoded blind from its stripped key facts (benchmarks/fui/PROTOCOL.md).\n"
            + yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=110),
            encoding="utf-8",
        )
    print(f"wrote {len(rows)} decisions to {OUT}")
    for n, msg in problems:
        print(f"  row {n}: invalid scenario: {msg}")


if __name__ == "__main__":
    main()
