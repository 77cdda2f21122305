"""The Fair Use Index corpus: 251 decisions encoded blind as scenarios (``data/fui/``).

Each ``row-NNN.yaml`` holds one decision of the U.S. Copyright Office's Fair Use Index: the
scenario a reader wrote from the decision's stripped key facts alone, the outcome by a fixed
rule, and each factor's finding as a second reader took it from the holding
(``benchmarks/fui/PROTOCOL.md``). The encodings are data: nothing here changes them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.assess.models import CaseFactors
from analysis.assess.scenario import Scenario
from analysis.resources import data_dir

FuiOutcome = Literal["fair_use", "not_fair_use", "preliminary", "mixed"]
CLEAR = ("fair_use", "not_fair_use")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Encoding(_Model):
    recognised: bool = Field(description="the facts reader believed they knew the decision")
    recognised_second_pass: bool | None = Field(
        default=None, description="the second-pass reader (what the source is used for) believed they knew it"
    )
    thin: bool = Field(description="too thin to encode: skipped from every figure")
    thin_reason: str | None = None
    confidence: Literal["low", "medium", "high"] | None = None
    stripped_sentences: list[int] = Field(default_factory=list)
    valid: bool = True


class FuiRow(_Model):
    row: int
    name: str
    citation: str
    year: int
    court: str
    jurisdiction: str | None = None
    outcome: FuiOutcome
    outcome_text: str
    stage: str | None = None
    court_factors: CaseFactors
    findings_note: str | None = None
    encoding: Encoding
    scenario: Scenario

    @property
    def clear(self) -> bool:
        return self.outcome in CLEAR

    @property
    def direction_known(self) -> str | None:
        """For a preliminary ruling, the direction its outcome text states, if any."""
        t = self.outcome_text.lower()
        if "mixed" in t or "remand" in t:
            return None
        if "fair use not found" in t:
            return "not_fair_use"
        if "fair use found" in t:
            return "fair_use"
        return None

    def court_codes(self) -> dict[int, str]:
        f = self.court_factors
        return {1: f.f1, 2: f.f2, 3: f.f3, 4: f.f4}


def fui_dir() -> Path:
    return data_dir() / "fui"


@lru_cache(maxsize=1)
def load_fui() -> tuple[FuiRow, ...]:
    """Every encoded decision, in row order (an invalid file is a packaging bug)."""
    from analysis.assess.caselaw import CaseLibraryError

    out = []
    for path in sorted(fui_dir().glob("row-*.yaml")):
        try:
            out.append(FuiRow.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise CaseLibraryError(f"{path.name}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    return tuple(out)


# --------------------------------------------------------------------------- library overlap
_REPORTER = re.compile(
    r"(\d+)\s+(U\.S\.|F\.\s?(?:2d|3d|4th)|F\.\s?Supp\.(?:\s?[23]d)?|S\.\s?Ct\.|F\.\s?App[’']x)\s+(\d+)"
)
_DOCKET = re.compile(r"No(?:s)?\.\s*([0-9][0-9:\-cvCV ]+[0-9])")
_STOP = {"inc", "llc", "ltd", "corp", "co", "the", "of", "and", "et", "al", "v", "publishing", "enters", "enterprises"}


def _cites(text: str) -> set[str]:
    text = text.replace("’", "'")
    out = {f"{a} {b.replace(' ', '')} {c}" for a, b, c in _REPORTER.findall(text)}
    out |= {re.sub(r"\s+", "", d).lower() for d in _DOCKET.findall(text)}
    return out


def _party_keys(name: str) -> tuple[str, str] | None:
    parts = re.split(r"\s+v\.?\s+", name, maxsplit=1)
    if len(parts) != 2:
        return None

    def first(s: str) -> str:
        words = [w for w in re.findall(r"[a-z]+", s.lower()) if w not in _STOP and len(w) > 2]
        return words[0] if words else ""

    return first(parts[0]), first(parts[1])


def library_matches() -> list[tuple[FuiRow, str, str]]:
    """(FUI row, library case id, how matched: 'citation' or 'name') for decisions in both."""
    from analysis.assess.caselaw import load_cases

    cases = load_cases()
    by_cite: dict[str, str] = {}
    by_name: dict[tuple[str, str], list[str]] = {}
    for cid, case in cases.items():
        for c in _cites(case.citation):
            by_cite.setdefault(c, cid)
        key = _party_keys(case.name)
        if key and all(key):
            by_name.setdefault(key, []).append(cid)
    out = []
    for row in load_fui():
        hit = next((by_cite[c] for c in _cites(row.citation) if c in by_cite), None)
        how = "citation"
        if hit is None:
            key = _party_keys(row.name)
            ids = by_name.get(key) if key else None
            if ids:
                same_year = [i for i in ids if abs(cases[i].year - row.year) <= 1]
                if same_year:
                    hit, how = same_year[0], "name"
        if hit is not None:
            out.append((row, hit, how))
    return out
