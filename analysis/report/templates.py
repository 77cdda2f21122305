"""Memo templates: wording and section order per audience, loaded from ``templates/memo/``.

Why data, not code: a lawyer or teacher should be able to reword a memo, or reorder its
sections, without reading Python (the docassemble habit, design notes §4). ``common.yaml``
holds the shared wording; ``creator.yaml``, ``counsel.yaml`` and ``student.yaml`` override
any of its keys. Loaded through ``analysis.resources.templates_dir()`` so an installed wheel
and a checkout find the same files.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.errors import InputError
from analysis.resources import templates_dir

Audience = Literal["creator", "counsel", "student"]
AUDIENCES: tuple[str, ...] = ("creator", "counsel", "student")

SECTION_IDS = (
    "question",
    "short_answer",
    "facts",
    "evidence",
    "analysis",
    "precedents",
    "lower_risk",
    "open_questions",
    "appendix",
    "court_outcomes",
)


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passages: int = Field(ge=0, description="passages shown side by side per report")
    rewrite: int = Field(ge=0, description="passages named in 'what would lower the risk'")
    reasons: int = Field(ge=1, description="reasons shown per factor")
    precedents: int = Field(ge=0)
    figures: int = Field(ge=0)
    facts_chars: int = Field(
        ge=40, description="longest answer printed in the facts table; a longer one is cut with a count, in words"
    )
    precedent_briefs: bool = Field(default=False, description="each precedent's facts, holding and findings")
    discussion: int = Field(default=0, ge=0, description="questions for discussion (student memo)")
    sensitivity: int = Field(default=10, ge=0, description="answers that would change the result, listed")
    signals_table: bool = Field(default=True, description="the image comparison's signals, each with its threshold")
    passage_chars: int | None = Field(
        default=None, ge=80, description="longest passage side shown (default: defaults.MEMO_MAX_PASSAGE_CHARS)"
    )


class MemoTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audience: str
    audience_label: str
    sections: list[str]
    judge_mode_sections: list[str] = Field(default_factory=list)
    limits: Limits
    headings: dict[str, str]
    text: dict[str, str]
    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="this audience's own words for some codes (else analysis.labels)"
    )

    def t(self, key: str, **values: object) -> str:
        """A sentence of the template with ``{name}`` fields filled (values are not re-parsed)."""
        try:
            template = self.text[key]
        except KeyError:
            raise KeyError(f"memo template {self.audience!r} has no text {key!r}") from None
        return template.format_map(_Strict(values)) if values else template

    def label(self, group: str, key: str) -> str:
        """The words for a code: this template's own, else the project's (``analysis.labels``)."""
        own = self.labels.get(group, {})
        if key in own:
            return own[key]
        from analysis import labels

        return labels.label(group, key)

    def section_order(self, judge_mode: bool) -> list[str]:
        return list(self.judge_mode_sections) if judge_mode and self.judge_mode_sections else list(self.sections)


class _Strict(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"memo template field {{{key}}} has no value")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = {**out[k], **v} if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@lru_cache(maxsize=8)
def load_template(audience: str) -> MemoTemplate:
    """The merged template for ``audience``; a clear ``InputError`` for an unknown one."""
    if audience not in AUDIENCES:
        raise InputError(f"unknown audience {audience!r}; use one of {', '.join(AUDIENCES)}")
    folder = templates_dir() / "memo"
    try:
        common = yaml.safe_load((folder / "common.yaml").read_text(encoding="utf-8")) or {}
        own = yaml.safe_load((folder / f"{audience}.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"memo template for {audience!r} cannot be read: {str(exc).splitlines()[0]}") from None
    data = _merge(common, own)
    data["audience"] = audience
    try:
        tpl = MemoTemplate.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"memo template {audience!r} is malformed: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}"
        ) from None
    for sid in tpl.sections + tpl.judge_mode_sections:
        if sid not in SECTION_IDS:
            raise InputError(f"memo template {audience!r} names an unknown section {sid!r}")
        if sid not in tpl.headings:
            raise InputError(f"memo template {audience!r} has no heading for section {sid!r}")
    return tpl
