"""Save and resume: the whole analysis as one JSON file (``*.fairuse.json``).

One file, readable by people and by other tools: the works (texts verbatim, images and
uploaded documents as base64), the answers, the pre-filled marks, the comparison report
and the assessment. Loading validates it against the same ``Analysis`` model the app uses,
so a file that loads is a state the app can show; a file that does not gets one clear
message (``UnreadableInputError``) and the current analysis is left untouched.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from app.state import Analysis

SAVE_SUFFIX = ".fairuse.json"
SAVE_MIME = "application/json"


def dumps(analysis: Analysis) -> bytes:
    """Serialise the analysis to UTF-8 JSON bytes."""
    return analysis.model_dump_json(indent=1).encode("utf-8")


def loads(data: bytes | str, name: str = "saved analysis") -> Analysis:
    """Read a saved analysis back; raise ``UnreadableInputError`` with one clear line if it is not one."""
    from analysis.errors import UnreadableInputError

    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableInputError(f"{name}: not a saved fairuse analysis (the file is not UTF-8 JSON)") from None
    if not data.strip():
        raise UnreadableInputError(f"{name}: the file is empty")
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"{name}: not a saved fairuse analysis (malformed JSON at line {exc.lineno})"
        ) from None
    except RecursionError:
        raise UnreadableInputError(f"{name}: not a saved fairuse analysis (JSON nested too deeply)") from None
    if not isinstance(raw, dict) or raw.get("format") != "fairuse-analysis":
        raise UnreadableInputError(
            f"{name}: not a saved fairuse analysis (expected a file saved from this app, ending in {SAVE_SUFFIX})"
        )
    version = raw.get("format_version", 1)
    try:
        version = int(version)
    except (TypeError, ValueError, OverflowError):
        raise UnreadableInputError(
            f"{name}: damaged saved analysis (format_version: {str(version)[:40]!r} is not a whole number)"
        ) from None
    if version > Analysis.model_fields["format_version"].default:
        raise UnreadableInputError(f"{name}: saved by a newer version of fairuse; update the app to open it")
    try:
        return Analysis.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ())) or "(top level)"
        msg = " ".join(str(err.get("msg", "invalid")).split())  # one line
        raise UnreadableInputError(f"{name}: damaged saved analysis ({loc}: {msg})") from None
    except (ValueError, TypeError, KeyError, RecursionError) as exc:  # a check that is not pydantic's own
        raise UnreadableInputError(f"{name}: damaged saved analysis ({type(exc).__name__})") from None


def file_name(analysis: Analysis) -> str:
    """A file name from the matter or the works' titles: ``<matter>.fairuse.json``."""
    base = (
        analysis.memo.matter or analysis.scenario.title or analysis.generated.title or analysis.sample_id or "analysis"
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()[:60] or "analysis"
    return slug + SAVE_SUFFIX
