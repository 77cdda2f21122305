"""The words readers see for the project's codes, from one data file (``data/labels.yaml``).

The app, the CLI and the memo all ask here, so "weighs against fair use" or "Near-verbatim"
is written once. ``label(group, key)`` never fails: an unknown key comes back as its words
(underscores as spaces), so a new enum value shows up readable, and a test can list the
keys that have no label yet.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PATH = Path(__file__).resolve().parent / "data" / "labels.yaml"


@lru_cache(maxsize=1)
def _all() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(_PATH.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{_PATH.name}: expected groups of labels at the top level")
    out: dict[str, dict[str, str]] = {}
    for group, entries in data.items():
        if not isinstance(entries, dict):
            raise ValueError(f"{_PATH.name}: group {group!r} is not a mapping")
        out[str(group)] = {str(k): "" if v is None else str(v) for k, v in entries.items()}
    return out


def groups() -> list[str]:
    return list(_all())


def group(name: str) -> dict[str, str]:
    """Every label of one group, as a new dict (keys are strings: factor numbers as "1".."4")."""
    return dict(_all().get(name, {}))


def has(name: str, key: object) -> bool:
    return _key(key) in _all().get(name, {})


def label(name: str, key: object) -> str:
    """The words for ``key`` in group ``name``; its own words when the group has none."""
    k = _key(key)
    found = _all().get(name, {}).get(k)
    return found if found is not None else k.replace("_", " ")


def _key(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


# The few that are read everywhere, by name.
def lean(value: str) -> str:
    return label("lean", value)


def overall(value: str) -> str:
    return label("overall", value)


def headline(assessment) -> str:
    """An assessment's bottom line: the overall view, or, when the source or the part taken is
    not protected, that fair use is not needed and why (the four factors' lean is then moot)."""
    ov, prot = assessment.overall, assessment.protection
    if not ov.fair_use_needed and prot is not None and has("overall_moot", prot.status):
        return label("overall_moot", prot.status)
    return overall(ov.label)


def moot_view(assessment) -> str:
    """What the four factors would give had the source been protected (said beside the
    headline when fair use is not needed, so the computed lean is never lost)."""
    ov = assessment.overall
    return (
        "Had the source been protected, the four factors would give: "
        f"{overall(ov.label).lower()} (confidence {ov.confidence})."
    )


def factor_short(n: int) -> str:
    return label("factor_short", n)
