"""The scenario: the facts of one use of one work, as the four factors need them.

Every field may be left unanswered (``None``): missing answers are allowed, lower the
confidence of the findings, and the assessment says which answers would change the result.
One scenario is one *work-versus-use pairing* (the Fair Use Database's unit of analysis):
training, storage and output are different uses and get separate scenarios
(*Bartz v. Anthropic*, N.D. Cal. 2025).

Saved as YAML or JSON (``load_scenario`` / ``save_scenario``); unknown fields are rejected
with a message naming the field.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.evidence import EvidenceFacts

SCENARIO_SCHEMA_VERSION = "1"
AUTHOR_NOTE_KEYS: tuple[str, ...] = ("1", "2", "3", "4", "overall")
"""Where the author's own view may be written: each factor, and the overall view."""


class _Model(BaseModel):
    # allow_inf_nan: NaN and Infinity are no answer to anything (the loader refuses them in files too)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


Medium = Literal[
    "text",
    "image",
    "photograph",
    "artwork",
    "music",
    "sound_recording",
    "audiovisual",
    "software",
    "character",
    "other",
]

Nature = Literal["highly_creative", "creative", "mixed", "factual", "functional"]

Purpose = Literal[
    "criticism",
    "comment",
    "parody",
    "satire",
    "news_reporting",
    "teaching",
    "scholarship",
    "research",
    "search_indexing",
    "archiving",
    "accessibility",
    "entertainment",
    "advertising",
    "ai_training",
    "ai_output",
    "reference",
    "personal",
    "commercial_exploitation",
    "reverse_engineering",
    "intermediate_copying",
    "legal_proceedings",
    "biography_history",
    "other",
]

Degree = bool | Literal["partly"]
"""An answer of degree: yes (True), no (False) or "partly" (courts often answer so: a use that
shares some of the source's purpose, adds some new meaning, takes somewhat more than needed)."""

UsedAs = Literal["expression", "subject_of_comment", "evidence_or_fact", "functional", "raw_material"]
"""What the new work uses the source *for* (the purpose of the use, Warhol): its expressive content as
such; the source itself as the subject of comment or news; a record of a fact or evidence (the
source as an artefact: Bill Graham, Swatch, Nunez); its functional elements (interfaces, data,
an index); or raw material transformed into a different work (collage, sampling)."""

Taken = Literal[
    "whole_work",
    "passages_or_regions",
    "character",
    "style",
    "facts_or_ideas",
    "short_phrases",
    "scenes_a_faire",
]
"""What the new work takes. Style, facts and ideas, short phrases and scenes a faire (stock
elements that follow from a theme) are not protected expression on their own."""


class Work(_Model):
    """A work: the source (copyrighted) or the new work (the use)."""

    title: str | None = None
    author: str | None = None
    medium: Medium | None = None
    published: bool | None = Field(
        default=None, description="published before the use? Unpublished weighs against fair use (Harper & Row)"
    )
    nature: Nature | None = Field(
        default=None, description="creative works are closer to the core of copyright (Campbell)"
    )
    date: str | None = Field(default=None, description="year or ISO date of creation or publication")
    description: str | None = None
    genre: str | None = None


class Use(_Model):
    """What the new work does with the source."""

    user: str | None = Field(default=None, description="who makes the use (person, company, school …)")
    venue: str | None = Field(default=None, description="where it is published or shown")
    commercial: Literal["commercial", "nonprofit", "mixed"] | None = None
    purposes: list[Purpose] = Field(default_factory=list)
    targets_source: Degree | None = Field(
        default=None, description="does it comment on, criticise or parody the source itself? (yes, partly, no)"
    )
    same_purpose_as_source: Degree | None = Field(
        default=None, description="does it serve the same purpose as the source (Warhol)? (yes, partly, no)"
    )
    new_expression: Degree | None = Field(
        default=None, description="does it add new expression, meaning or message? (yes, partly, no)"
    )
    justification: str | None = Field(default=None, description="why it needed to borrow this source")
    amount_reasonable: Degree | None = Field(
        default=None, description="no more taken than the purpose needed (Campbell)? (yes, partly, no)"
    )
    entire_work: bool | None = Field(default=None, description="the user's answer where no measurement exists")
    portion: Literal["tiny", "small", "moderate", "large", "entire"] | None = Field(
        default=None, description="declared amount, where not measured"
    )
    heart_taken: bool | None = Field(default=None, description="declared: the most memorable or central part was taken")
    what_is_taken: list[Taken] = Field(default_factory=list)
    good_faith: bool | None = Field(
        default=None, description="False where there is evidence of bad faith (Harper & Row)"
    )
    attribution: bool | None = None
    audience: str | None = None
    scale: Literal["private", "small", "large", "mass"] | None = None
    public_benefit: bool | None = Field(
        default=None, description="access, search, scholarship, public record (HathiTrust, Google v. Oracle)"
    )
    enables_users_copying: bool | None = Field(
        default=None,
        description=(
            "the maker of a device or service is accused over copying its users do: the use judged is the"
            " users' (Sony: home time-shifting), not the maker's sale of the device"
        ),
    )
    used_as: UsedAs | None = Field(
        default=None,
        description=(
            "what the new work uses the source for: its expression (to show, play or read it as such),"
            " as the subject of comment, as evidence or a record of fact, for its functional elements,"
            " or as raw material for a different work"
        ),
    )
    unaltered: Degree | None = Field(
        default=None, description="is the source reproduced as it was, not changed or recombined? (yes, partly, no)"
    )
    could_do_without: bool | None = Field(
        default=None,
        description=(
            "could the new work's purpose have been served without copying this work (by describing it,"
            " linking to it, or using other material)? (Warhol: the justification for taking this work)"
        ),
    )
    same_kind_of_product: bool | None = Field(
        default=None,
        description="is the new work the same kind of product as the source, offered where the source is offered?",
    )


Licence = Literal[
    "none",
    "cc0",
    "cc_by",
    "cc_by_sa",
    "cc_by_nd",
    "cc_by_nc",
    "cc_by_nc_sa",
    "cc_by_nc_nd",
    "other_permissive",
]


class Protection(_Model):
    """Whether the source is protected at all, asked before the four factors.

    Fair use excuses the use of protected expression; a source in the public domain, a work
    of the U.S. government (17 U.S.C. § 105) or a licence that permits the use needs no
    excuse (``analysis.assess.protection``).
    """

    first_publication_year: int | None = Field(
        default=None, ge=1400, le=2200, description="year the source was first published (anywhere)"
    )
    first_publication_country: str | None = Field(
        default=None, description="country of first publication, e.g. 'US', 'United Kingdom'"
    )
    author_death_year: int | None = Field(
        default=None, ge=1400, le=2200, description="for unpublished works: the term runs 70 years from death"
    )
    us_government_work: bool | None = Field(
        default=None, description="prepared by a U.S. federal officer or employee as part of official duties (§ 105)"
    )
    licence: Licence | None = Field(default=None, description="the licence the source is offered under")
    licence_terms_met: bool | None = Field(
        default=None, description="the use keeps the licence's conditions (credit, non-commercial, share-alike …)"
    )
    permission: bool | None = Field(default=None, description="the owner gave explicit permission for this use")


class Acquisition(_Model):
    how_obtained: Literal["licensed", "purchased", "public_web", "unauthorized", "unknown"] | None = Field(
        default=None, description="pirated or unlawfully obtained copies weigh against fair use (Bartz)"
    )


class AIContext(_Model):
    role: Literal["none", "generated_output", "training"] | None = None
    generative: bool | None = Field(
        default=None, description="False for a non-generative AI product (Thomson Reuters v. Ross)"
    )
    competing_product: bool | None = Field(
        default=None, description="the AI product competes with the source's owner (Ross)"
    )
    regurgitation: bool | None = Field(default=None, description="outputs reproduce training works (Kadrey)")
    guardrails: bool | None = Field(
        default=None, description="output filters against reproducing works (Copyright Office 2025 report)"
    )


class Market(_Model):
    source_has_market: bool | None = Field(default=None, description="is the source sold or licensed?")
    licensing_market: Literal["established", "emerging", "none", "unknown"] | None = None
    same_audience: bool | None = None
    substitutes: bool | None = Field(default=None, description="would a buyer take the new work instead of the source?")
    harm_evidence: Literal["none", "speculative", "some", "substantial"] | None = None
    dilution_risk: bool | None = Field(
        default=None, description="floods the source's market with competing works (Kadrey)"
    )
    derivative_market: bool | None = Field(
        default=None, description="a traditional, reasonable or likely derivative market (Campbell)"
    )
    price_relation: Literal["free", "cheaper", "similar", "higher"] | None = None


class Scenario(_Model):
    schema_version: str = SCENARIO_SCHEMA_VERSION
    id: str | None = None
    title: str | None = Field(default=None, description="matter name")
    source: Work = Field(default_factory=Work, description="the copyrighted work")
    new_work: Work = Field(default_factory=Work, description="the generated or new work")
    use: Use = Field(default_factory=Use)
    acquisition: Acquisition = Field(default_factory=Acquisition)
    ai: AIContext = Field(default_factory=AIContext)
    market: Market = Field(default_factory=Market)
    protection: Protection = Field(default_factory=Protection)
    jurisdiction: str | None = Field(
        default=None, description="circuit or court, e.g. '2d Cir.', '9th Cir.', 'N.D. Cal.'"
    )
    as_of: date | None = Field(default=None, description="the date the use happened or is planned")
    notes: str | None = None
    author_notes: dict[str, str] | None = Field(
        default=None,
        description="the author's own view, per factor ('1'..'4') and 'overall'; printed in the memo "
        "beside the engine's, never read by the engine",
    )
    evidence: list[EvidenceFacts] = Field(
        default_factory=list, description="measurements attached from comparison reports"
    )

    @field_validator("author_notes", mode="before")
    @classmethod
    def _author_note_keys(cls, v: Any) -> Any:
        if v is None:
            return None
        if not isinstance(v, dict):
            raise ValueError("author_notes must map a factor (1-4) or 'overall' to text")
        out = {}
        for k, text in v.items():
            key = str(k).strip().lower()
            if key not in AUTHOR_NOTE_KEYS:
                raise ValueError(f"author_notes may be given for factors 1-4 and 'overall', not {str(k)[:40]!r}")
            if text is not None and not isinstance(text, str):
                raise ValueError(f"author_notes[{key}] must be text")
            if text and text.strip():
                out[key] = text
        return out or None

    @model_validator(mode="after")
    def _no_contradictions(self) -> Scenario:
        u = self.use
        if u.entire_work is True and u.portion not in (None, "entire"):
            raise ValueError(f"use.entire_work is true but use.portion is {u.portion!r}")
        if u.portion == "entire" and u.entire_work is False:
            raise ValueError("use.portion is 'entire' but use.entire_work is false")
        if self.ai.role == "training" and "ai_training" not in u.purposes and u.purposes:
            raise ValueError("ai.role is 'training' but use.purposes does not include 'ai_training'")
        if self.market.harm_evidence == "substantial" and self.market.source_has_market is False:
            raise ValueError("market.harm_evidence is 'substantial' but market.source_has_market is false")
        return self

    def with_evidence(self, facts: list[EvidenceFacts]) -> Scenario:
        return self.model_copy(update={"evidence": list(self.evidence) + list(facts)})


def _format_validation_error(exc: ValidationError, where: str) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err.get("loc", ())) or "(top level)"
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}")
    more = len(exc.errors()) - 3
    tail = f" (and {more} more)" if more > 0 else ""
    return f"{where}: " + "; ".join(parts) + tail


def parse_scenario(data: dict, where: str = "scenario") -> Scenario:
    from analysis.errors import ScenarioError

    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: expected a mapping of fields at the top level")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format_validation_error(exc, where)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from YAML or JSON (``analysis.ingest.structured``'s rules). Errors name the offending field."""
    from analysis.errors import MissingInputError, ScenarioError
    from analysis.ingest.structured import read_structured

    p = Path(path)
    if not p.is_file():
        raise MissingInputError(f"no such scenario file: {p}")
    data = read_structured(p, kind="scenario")
    if data is None:
        raise ScenarioError(f"{p.name}: the file is empty")
    if isinstance(data, dict) and data.get("evidence"):
        # measurements carry no tie to any works here: they come from comparison reports,
        # whose input hashes are checked, never from the facts a file asserts
        raise ScenarioError(
            f"{p.name}: evidence: measurements are not read from a scenario file; "
            "give the comparison report with --evidence REPORT.json"
        )
    return parse_scenario(data, p.name)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write ``scenario`` as YAML (or JSON for a ``.json`` path), replaced whole, never half-written.

    Measurements (``evidence``) are left out: ``load_scenario`` refuses them, since they come from
    comparison reports whose input hashes are checked, so a saved scenario always loads again.
    """
    import yaml

    from analysis.output import write_output

    data = scenario.model_dump(mode="json", exclude_none=True, exclude={"evidence"})
    if Path(path).suffix.lower() == ".json":
        write_output(path, json.dumps(data, indent=2, ensure_ascii=False))
    else:
        write_output(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
