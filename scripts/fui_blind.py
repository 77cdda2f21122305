"""Prepare the Copyright Office's Fair Use Index for blind encoding (issue: factor reasoning).

    python scripts/fui_blind.py strip  --out DIR    blind batches of facts for the encoders
    python scripts/fui_blind.py report              what the rule strips, per decision

The encoder of a decision's facts sees only its ``key_facts``, with every sentence that
reports how a court, jury or other tribunal ruled (on fair use or anything else) or that
names an appeal removed first, by the rule below. Nothing else travels: no title, citation,
court, year, issue, holding, tags or outcome. What was stripped is recorded in
``benchmarks/fui/stripped.jsonl`` (row, sentence number, rule) so the protocol can be audited.

Reads ``../shared/reference/fair-use-index/`` (a U.S. government work, 17 U.S.C. § 105).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUI = ROOT.parent / "shared" / "reference" / "fair-use-index"
STRIPPED = ROOT / "benchmarks" / "fui" / "stripped.jsonl"

# --------------------------------------------------------------------------- the rule
# A sentence is removed when it matches any of these (case-insensitive):
#   ruling:      a tribunal as actor together with a verb of deciding
#   disposition: words that only describe how a case was disposed of
#   appeal:      any mention of an appeal (who appealed tells who lost below)
#   fair_use_ruling: "fair use" together with a verb of deciding, whoever the actor
_ACTOR = (
    r"\b(court|courts|judge|judges|jury|juries|panel|magistrate|tribunal|arbitrator|board|circuit|justice|justices)\b"
)
_DECIDE = (
    r"\b(held|hold|holds|holding|ruled|rule[sd]?|ruling|found|find|finds|finding|concluded|conclude[sd]?|determined|"
    r"determine[sd]?|decided|decide[sd]?|granted|grant[sed]*|denied|den(y|ies)|affirmed|affirm[sed]*|reversed|"
    r"reverse[sd]?|vacated|vacate[sd]?|remanded|remand[sed]*|dismissed|dismiss(es)?|entered|awarded|award[sed]*|"
    r"enjoined|rejected|reject[sed]*|agreed|disagreed|sustained|overruled|upheld|declined|certified|struck)\b"
)
_DISPOSITION = (
    r"\b(verdict|judgment for|judgment in (its|his|her|their) favou?r|judgment in favou?r|summary judgment was|"
    r"preliminary injunction was|injunction was|was enjoined|were enjoined|awarded damages|on remand)\b"
)
_APPEAL = r"\b(appeal|appeals|appealed|appellate|appellant|appellee|cross-appeal(ed)?|certiorari)\b"
_FAIR_USE_RULING = r"fair use.{0,80}" + _DECIDE + r"|" + _DECIDE + r".{0,80}fair use"

RULES = {
    "ruling": re.compile(_ACTOR + r".{0,120}" + _DECIDE + r"|" + _DECIDE + r".{0,60}" + _ACTOR, re.I | re.S),
    "disposition": re.compile(_DISPOSITION, re.I),
    "appeal": re.compile(_APPEAL, re.I),
    "fair_use_ruling": re.compile(_FAIR_USE_RULING, re.I | re.S),
}

# Sentence splitting: a full stop, ? or ! followed by space and a capital or a quote, except
# after common abbreviations in legal text.
_ABBREV = (
    "v",
    "vs",
    "inc",
    "co",
    "corp",
    "ltd",
    "llc",
    "l.l.c",
    "no",
    "nos",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "u.s",
    "u.s.c",
    "f",
    "supp",
    "cir",
    "cal",
    "n.y",
    "d",
    "s.d",
    "n.d",
    "e.d",
    "w.d",
    "c.d",
    "al",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "etc",
    "ed",
    "eds",
    "vol",
    "p",
    "pp",
    "cf",
    "approx",
    "ca",
    "ave",
    "assn",
    "ass'n",
    "int'l",
    "bros",
    "dep't",
    "dept",
    "univ",
)
_SPLIT = re.compile(r"(?:(?<=[.?!])|(?<=[.?!][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    parts = _SPLIT.split(" ".join(text.split()))
    out: list[str] = []
    for part in parts:
        if out:
            prev = out[-1]
            last = re.findall(r"([A-Za-z.'’]+)\.$", prev)
            if (last and last[0].lower().rstrip(".") in _ABBREV) or re.search(r"\b[A-Z]\.$", prev):
                out[-1] = prev + " " + part
                continue
        out.append(part)
    return [s for s in out if s.strip()]


def strip_facts(text: str) -> tuple[list[str], list[dict]]:
    kept: list[str] = []
    removed: list[dict] = []
    for i, s in enumerate(sentences(text)):
        hits = [name for name, rx in RULES.items() if rx.search(s)]
        if hits:
            removed.append({"sentence": i, "rules": hits, "text": s})
        else:
            kept.append(s)
    return kept, removed


def load_rows() -> list[dict]:
    if not FUI.is_dir():
        sys.exit(f"the Fair Use Index is not here: {FUI}")
    with open(FUI / "fair_use_findings.csv", encoding="utf-8", newline="") as fh:
        findings = list(csv.DictReader(fh))
    with open(FUI / "fair_use_cases.csv", encoding="utf-8", newline="") as fh:
        cases = list(csv.DictReader(fh))
    assert len(findings) == len(cases) == 251
    rows = []
    for n, (f, c) in enumerate(zip(findings, cases), start=1):
        f = dict(f)
        if f["title"].startswith("Cariou"):  # the last five columns are rotated (README, known problems)
            f["key_facts"], f["issue"], f["holding"], f["tags"], f["outcome"] = (
                f["outcome"], f["key_facts"], f["issue"], f["holding"], f["tags"],
            )  # fmt: skip
        rows.append({"row": n, "findings": f, "cases": c})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("strip")
    s.add_argument("--out", type=Path, required=True, help="folder for the blind batches (outside the repo)")
    s.add_argument("--batches", type=int, default=5)
    sub.add_parser("report")
    args = ap.parse_args()
    rows = load_rows()
    records = []
    for r in rows:
        kept, removed = strip_facts(r["findings"]["key_facts"])
        records.append((r["row"], kept, removed))
    STRIPPED.parent.mkdir(parents=True, exist_ok=True)
    with open(STRIPPED, "w", encoding="utf-8") as fh:
        for row, kept, removed in records:
            fh.write(
                json.dumps({"row": row, "kept_sentences": len(kept), "removed": removed}, ensure_ascii=False) + "\n"
            )
    if args.cmd == "report":
        total = sum(len(k) + len(r) for _, k, r in records)
        gone = sum(len(r) for _, _, r in records)
        print(f"{len(records)} decisions, {total} sentences, {gone} removed ({gone / total:.1%})")
        for row, _kept, removed in records[:15]:
            for x in removed:
                print(f"  row {row} s{x['sentence']} {x['rules']}: {x['text'][:150]}")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    # Interleaved (row n to batch n mod k), so each encoder sees every era of the Index.
    per = -(-len(records) // args.batches)
    for b in range(args.batches):
        chunk = records[b :: args.batches]
        with open(args.out / f"batch_{b + 1}.jsonl", "w", encoding="utf-8") as fh:
            for row, kept, _ in chunk:
                fh.write(json.dumps({"row": row, "facts": " ".join(kept)}, ensure_ascii=False) + "\n")
    print(f"wrote {args.batches} batches of up to {per} decisions to {args.out}")


if __name__ == "__main__":
    main()
