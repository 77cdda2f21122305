"""Sample cases shipped in ``samples/``: each is a folder with ``case.yaml``, the two works,
and a scenario for the four-factor engine. They are offered in the app and run as tests.

``case.yaml``::

    id: regurgitation            # folder name
    title: Near-verbatim regurgitation of a public-domain novel
    kind: text                   # or image
    description: What the case shows, in two sentences.
    generated: generated.txt     # file names inside the folder
    source: source.txt
    credits: Where each work comes from and why it is free to use.
    expected:                    # findings the tests check (keys read by each engine's tests)
      copy_kind: near_verbatim
    scenario: {...}              # a Scenario (analysis.assess.scenario), without evidence
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from analysis.assess.scenario import Scenario
from analysis.resources import samples_dir


class SampleCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    kind: Literal["text", "image"]
    description: str
    generated: str
    source: str
    credits: str
    expected: dict[str, Any] = Field(default_factory=dict)
    scenario: Scenario = Field(default_factory=Scenario)
    folder: Path | None = Field(default=None, exclude=True)

    @property
    def generated_path(self) -> Path:
        assert self.folder is not None
        return self.folder / self.generated

    @property
    def source_path(self) -> Path:
        assert self.folder is not None
        return self.folder / self.source


def load_sample(folder: Path) -> SampleCase:
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    case = SampleCase.model_validate(data)
    case.folder = folder
    return case


def list_samples(kind: str | None = None) -> list[SampleCase]:
    root = samples_dir()
    cases = [load_sample(d) for d in sorted(root.iterdir()) if (d / "case.yaml").is_file()]
    return [c for c in cases if kind is None or c.kind == kind]
