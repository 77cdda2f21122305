"""The law as data: the case library (``data/cases/<id>.yaml``) and the other authorities.

Every authority the engine or the questionnaire cites is an ``Authority(case_id=…)`` that
must resolve here, so the tool can never print a citation that is not in its own library
(design notes §1: never invent a citation). Files are validated by the ``Case`` model at
load; a bad file raises ``CaseLibraryError`` naming the file and the field, because a
silently skipped case would quietly change validation figures.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.assess.models import Authority, Case
from analysis.errors import FairUseError
from analysis.resources import data_dir

# libyaml's safe loader when present: the library is ~75 files, loaded at start.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CaseLibraryError(FairUseError):
    """A case or authority file shipped with the tool is invalid (a packaging bug)."""

    exit_code = 1


class AuthorityEntry(BaseModel):
    """A non-case authority: the statute, an agency report."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    short: str
    citation: str
    kind: str = Field(description="statute or report")
    year: int
    aliases: list[str] = Field(default_factory=list)
    provisional: bool = False
    note: str = ""


def cases_dir() -> Path:
    return data_dir() / "cases"


def _format_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err.get("loc", ())) or "(top level)"
        msg = "unknown field" if err.get("type") == "extra_forbidden" else err.get("msg", "invalid")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def load_case_file(path: Path) -> Case:
    """Load and validate one case file; the file name must equal the case id."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CaseLibraryError(f"case file {path.name}: malformed YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise CaseLibraryError(f"case file {path.name}: expected a mapping at the top level")
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise CaseLibraryError(f"case file {path.name}: {_format_error(exc)}") from None
    if case.id != path.stem:
        raise CaseLibraryError(f"case file {path.name}: id {case.id!r} does not match the file name")
    return case


@lru_cache(maxsize=4)
def _load_cases_cached(folder: str) -> dict[str, Case]:
    root = Path(folder)
    if not root.is_dir():
        return {}
    out: dict[str, Case] = {}
    for path in sorted(root.glob("*.yaml")):
        case = load_case_file(path)
        out[case.id] = case
    return out


def load_cases(folder: Path | None = None) -> dict[str, Case]:
    """Every decision in the library, by id (cached; the files ship with the package)."""
    return dict(_load_cases_cached(str(folder or cases_dir())))


@lru_cache(maxsize=1)
def load_authorities() -> dict[str, AuthorityEntry]:
    """Non-case authorities by id, aliases included (``statute`` → ``statute_107``)."""
    path = data_dir() / "authorities.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, AuthorityEntry] = {}
    for raw in data.get("authorities", []):
        try:
            entry = AuthorityEntry.model_validate(raw)
        except ValidationError as exc:
            raise CaseLibraryError(f"authorities.yaml: {_format_error(exc)}") from None
        out[entry.id] = entry
        for alias in entry.aliases:
            out[alias] = entry
    return out


def resolve_authority(authority: str | Authority) -> Case | AuthorityEntry:
    """The library record behind an authority id; ``KeyError`` if it is not in the library."""
    key = authority.case_id if isinstance(authority, Authority) else authority
    cases = load_cases()
    if key in cases:
        return cases[key]
    auths = load_authorities()
    if key in auths:
        return auths[key]
    raise KeyError(f"authority {key!r} is not in the case library")


def is_known_authority(key: str) -> bool:
    try:
        resolve_authority(key)
    except KeyError:
        return False
    return True


def is_provisional(key: str) -> bool:
    try:
        rec = resolve_authority(key)
    except KeyError:
        return False
    return bool(rec.provisional)


_YEAR_IN_PARENS = re.compile(r"\((?:[^()]*\s)?\d{4}\)")
_PIN = re.compile(r"^\d+\s+[A-Za-z.\d ]+?\s+at\s+(.+)$")


def cite(authority: str | Authority) -> str:
    """Short display citation, e.g. ``Campbell v. Acuff-Rose Music, Inc., 510 U.S. 569 (1994)``.

    Unknown ids come back marked rather than raising, so a display never crashes; the
    tests make sure no unknown id is ever produced.
    """
    pin = authority.pinpoint if isinstance(authority, Authority) else None
    key = authority.case_id if isinstance(authority, Authority) else authority
    try:
        rec = resolve_authority(key)
    except KeyError:
        return f"[unknown authority {key}]"
    if isinstance(rec, AuthorityEntry):
        text = rec.short
    else:
        cit = rec.citation.strip()
        text = f"{rec.name}, {cit}"
        if not _YEAR_IN_PARENS.search(cit):
            court = rec.court.strip()
            text += (
                f" ({court} {rec.year})" if court and "Supreme" not in court and court != "SCOTUS" else f" ({rec.year})"
            )
    if pin:
        m = _PIN.match(pin.strip())
        text += f", at {m.group(1)}" if m else f", {pin}"
    if rec.provisional:  # the library marks a decision that may still change; the reader gets it in words
        text += PROVISIONAL
    return text


PROVISIONAL = " (provisional: may change on appeal)"


def short_name(key: str) -> str:
    """Case name only (for running text), e.g. 'Campbell v. Acuff-Rose Music'."""
    try:
        rec = resolve_authority(key)
    except KeyError:
        return key
    return rec.short if isinstance(rec, AuthorityEntry) else rec.name
