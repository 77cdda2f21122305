"""The engine's track record: how often its overall view matched the courts on decisions that
nothing in it was written or tuned on (``data/track_record.yaml``, from the Fair Use Index
lockbox read by three blind readers; ``benchmarks/fui/PROTOCOL.md``).

The memo and the app show it beside the overall view, so the label is read with its record.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict, Field

from analysis.resources import data_dir

_SMALL = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


class Share(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)

    def words(self) -> str:
        """ "60-70 %" or "68 %"."""
        lo, hi = round(100 * self.low), round(100 * self.high)
        return f"{lo} %" if lo == hi else f"{lo}–{hi} %"


class TrackRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    as_of: str
    corpus: str
    held_out_decisions: int = Field(gt=0)
    readers: int = Field(gt=0)
    engine: Share
    logistic_regression: Share
    best_one_line_rule: Share
    method: str
    sentence: str = Field(description="the record in one sentence, {placeholders} from values()")

    def values(self) -> dict[str, str]:
        """The figures as a sentence quotes them (for the memo's per-audience wording)."""
        return {
            "n": str(self.held_out_decisions),
            "corpus": self.corpus,
            "readers": _SMALL.get(self.readers, str(self.readers)),
            "engine": self.engine.words(),
            "lr": self.logistic_regression.words(),
            "rule": self.best_one_line_rule.words(),
        }

    def in_words(self) -> str:
        """The record in one sentence (the app and the CLI)."""
        return self.sentence.format(**self.values())


@lru_cache(maxsize=1)
def track_record() -> TrackRecord:
    data = yaml.safe_load((data_dir() / "track_record.yaml").read_text(encoding="utf-8"))
    return TrackRecord.model_validate(data)
