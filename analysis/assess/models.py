"""Typed results of the four-factor engine and the case library's records.

``Assessment`` is what the memo and the app read. ``Case`` is one decision in the library
(``analysis/assess/data/cases.yaml``). Authorities are always references to library entries
by ``case_id`` so that a test can check that every citation resolves (never invent one).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from analysis import __version__, labels
from analysis.assess.scenario import Scenario

Lean = Literal["strongly_favours", "favours", "neutral", "disfavours", "strongly_disfavours"]
"""Direction of a factor *with respect to fair use*: 'favours' = favours fair use."""

LEAN_LABELS: dict[str, str] = labels.group("lean")
"""Each lean in words (``analysis/data/labels.yaml``, the one place for labels)."""

LEAN_VALUE: dict[str, int] = {
    "strongly_favours": 2,
    "favours": 1,
    "neutral": 0,
    "disfavours": -1,
    "strongly_disfavours": -2,
}
"""Each lean as a signed step: its sign is the direction, its size the strength."""

VISUAL_MEDIA = frozenset({"image", "photograph", "artwork"})
"""Media compared with one another as pictures (a photograph can substitute for an image)."""

Confidence = Literal["low", "medium", "high"]

OverallLabel = Literal["leans_fair_use", "close_call", "leans_against"]

OVERALL_LABELS: dict[str, str] = labels.group("overall")


class _Model(BaseModel):
    # allow_inf_nan: a measurement of NaN or Infinity is no measurement ("similarity nan" in an
    # assessment, bare NaN in a memo's JSON twin); refused wherever the model is built
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Authority(_Model):
    case_id: str = Field(description="id of an entry in the case library, or 'statute' for 17 U.S.C. § 107")
    pinpoint: str | None = Field(default=None, description="page or part, where known")
    holding: str | None = Field(default=None, description="id of the holding cited (data/holdings.yaml)")
    holds: str | None = Field(default=None, description="what the authority held, for which it is cited")


class Reason(_Model):
    text: str = Field(description="the consideration, in plain words")
    basis: str = Field(
        description="the answers or measurements it rests on, in plain words, e.g. 'Purposes: parody' or 'measured: 42 % of the source's words reproduced'"
    )
    direction: Literal["favours", "disfavours", "neutral"]
    weight: float = Field(
        ge=0, description="relative weight within the factor (for ordering and display, not arithmetic verdicts)"
    )
    authorities: list[Authority] = Field(default_factory=list)
    source: Literal["answer", "measurement", "default"] = "answer"
    consideration: str | None = Field(default=None, description="id of the consideration (data/considerations.yaml)")
    wording: dict[str, str] = Field(
        default_factory=dict, description="the text per audience: creator, counsel, student"
    )


class FactorFinding(_Model):
    factor: Literal[1, 2, 3, 4]
    title: str
    statute_text: str
    lean: Lean
    confidence: Confidence
    reasons: list[Reason] = Field(description="in order of weight")
    counter_argument: Reason | None = None
    missing: list[str] = Field(
        default_factory=list, description="question ids not answered that could move this factor"
    )
    needed: bool = Field(
        default=True, description="False when the source or the part taken is not protected: fair use is not needed"
    )
    not_needed_reason: str | None = None

    def reasons_besides_counter(self) -> list[Reason]:
        """The reasons without the one shown as the best counter-argument.

        The counter-argument is the strongest reason pointing the other way, so it is usually
        one of ``reasons`` too; every sink lists it once, under its own heading, instead of
        printing the same sentence twice."""
        if self.counter_argument is None:
            return list(self.reasons)
        ca = " ".join(self.counter_argument.text.split())
        return [r for r in self.reasons if " ".join(r.text.split()) != ca]


class SubstitutionPart(_Model):
    name: str
    value: float | None = Field(default=None, description="0..1, None when unknown")
    weight: float
    explanation: str
    source: Literal["measurement", "answer", "unknown"]


class SubstitutionRisk(_Model):
    """How far the new work could stand in for the source in the source's markets."""

    level: Literal["low", "moderate", "high", "unknown"]
    score: float | None = Field(default=None, ge=0, le=1, description="shown only with its parts")
    parts: list[SubstitutionPart]
    explanation: str


class OverallView(_Model):
    label: OverallLabel
    confidence: Confidence
    reasons: list[str] = Field(description="what drives the view, most important first")
    fair_use_needed: bool = Field(
        default=True,
        description="False when the source or the part taken is not protected (the label is then computed but moot)",
    )


ProtectionStatus = Literal["protected", "public_domain", "licensed", "not_protectable", "unknown"]

PROTECTION_LABELS: dict[str, str] = labels.group("protection")


class ProtectionFinding(_Model):
    """Is the source, or the part taken, protected at all? Asked before the four factors."""

    status: ProtectionStatus
    summary: str = Field(description="one sentence, said first")
    reasons: list[Reason] = Field(default_factory=list)
    year_of_law: int | None = Field(default=None, description="the year the term rules were applied for")

    @property
    def fair_use_needed(self) -> bool:
        return self.status in ("protected", "unknown")


class PrecedentMatch(_Model):
    case_id: str
    name: str
    citation: str
    similarity: float = Field(ge=0, le=1)
    outcome: str
    factor_findings: dict[str, str]
    alike: list[str]
    differs: list[str]


class Sensitivity(_Model):
    """An unanswered or answered question whose answer would change the result."""

    question_id: str
    question: str
    change: str = Field(description="e.g. 'answering \"yes\" moves factor 4 to weighs against'")


class Assessment(_Model):
    engine_version: str = __version__
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    law_as_of: str
    scenario: Scenario
    protection: ProtectionFinding | None = Field(default=None, description="is the source protected at all?")
    findings: list[FactorFinding]
    substitution: SubstitutionRisk
    overall: OverallView
    precedents: list[PrecedentMatch] = Field(default_factory=list)
    disagreements: list[str] = Field(
        default_factory=list, description="where courts disagree, relevant to this scenario"
    )
    sensitivity: list[Sensitivity] = Field(default_factory=list)
    out_of_scope: list[str] = Field(default_factory=list, description="e.g. trademark questions § 107 does not answer")
    notes: list[str] = Field(default_factory=list)

    def finding(self, factor: int) -> FactorFinding:
        return next(f for f in self.findings if f.factor == factor)


# --------------------------------------------------------------------------- case library
FactorCode = Literal["F", "A", "N", "mixed", "T", "not_reached"]
"""F favours fair use; A against; N neutral or little weight; T triable issue; mixed; not reached."""

Outcome = Literal["fair_use", "not_fair_use", "mixed", "not_reached"]


class CaseFactors(_Model):
    f1: FactorCode
    f2: FactorCode
    f3: FactorCode
    f4: FactorCode


class Case(_Model):
    id: str = Field(description="short stable slug, e.g. 'campbell'")
    name: str
    citation: str
    court: str
    year: int
    medium: str
    use: str = Field(description="the use at issue, in the project's own words")
    factors: CaseFactors
    outcome: Outcome
    outcome_detail: str = ""
    reasoning: str = Field(description="the key reasoning, in the project's own words")
    tags: list[str] = Field(default_factory=list)
    provisional: bool = Field(
        default=False, description="AI decisions of 2025 and other rulings that may move on appeal"
    )
    verified: str = Field(default="", description="where the facts and findings were checked")
    scenario: Scenario
