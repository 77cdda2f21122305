"""The engine's numbers: each consideration's weight, each factor's lean bands, the factor
weights that combine the four leans, and the close-call band (``data/weights.yaml``).

The file keeps two sets: ``priors``, set by hand from the empirical record and the
authorities (with their sources), and ``fitted``, chosen by cross-validation on the Fair Use
Index corpus and pulled strongly toward the priors (``analysis.assess.fit``; the provenance
says how). The engine uses the fitted set when there is one. A consideration missing from
``fitted.considerations`` keeps its prior weight from ``considerations.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from analysis.resources import data_dir


@dataclass(frozen=True)
class Weights:
    considerations: dict[str, float] = field(default_factory=dict)
    """Weight of each consideration by id, on the priors' 0-3 scale (missing: the prior)."""
    lean_bands: dict[int, tuple[float, float]] = field(default_factory=dict)
    """Per factor: (|score| for a lean, |score| for a strong lean)."""
    factor_weights: dict[int, float] = field(default_factory=dict)
    close_call_band: float = 0.5
    provenance: dict[str, Any] = field(default_factory=dict)
    fitted: bool = False

    def weight(self, cid: str, prior: float) -> float:
        return self.considerations.get(cid, prior)


def _parse(block: dict[str, Any], fitted: bool, provenance: dict[str, Any]) -> Weights:
    return Weights(
        considerations={str(k): float(v) for k, v in (block.get("considerations") or {}).items()},
        lean_bands={int(k): (float(v["lean"]), float(v["strong"])) for k, v in block["lean_bands"].items()},
        factor_weights={int(k): float(v) for k, v in block["factor_weights"].items()},
        close_call_band=float(block["close_call_band"]),
        provenance=provenance,
        fitted=fitted,
    )


@lru_cache(maxsize=1)
def weights_file() -> dict[str, Any]:
    return yaml.safe_load((data_dir() / "weights.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def prior_weights() -> Weights:
    """The hand-set weights (the priors the fit is pulled toward)."""
    data = weights_file()
    return _parse(data["priors"], False, data["priors"].get("provenance", {}))


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """What the engine uses: the fitted weights where the file has them, else the priors."""
    data = weights_file()
    if data.get("fitted"):
        return _parse(data["fitted"], True, data["fitted"].get("provenance", {}))
    return prior_weights()
