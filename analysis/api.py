"""The library's entry points, re-exported by ``analysis`` (``from analysis import compare``).

    from analysis import compare, assess, memo, load_scenario
    report = compare("generated.txt", "source.txt")          # paths, bytes or text
    result = assess(load_scenario("scenario.yaml"), [report])
    print(result.overall.label, [f.lean for f in result.findings])
    open("memo.pdf", "wb").write(memo(result, [report], audience="counsel").pdf)

A whole analysis (works, answers, reports, memo options, notes) is a ``Matter``; these
functions are the short way for one step at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.works import PASTED, Role, WorkInput

if TYPE_CHECKING:
    from analysis.assess.models import Assessment
    from analysis.assess.scenario import Scenario
    from analysis.evidence import ComparisonReport, EvidenceFacts
    from analysis.matter import Matter
    from analysis.measure.compare import ProgressCallback
    from analysis.report.memo import MemoBundle

WorkLike = str | Path | bytes | bytearray | WorkInput
"""A work: a ``Path``; a ``str`` naming an existing file (one line, with a known extension or
a folder separator), else the text itself; ``bytes`` of a file (text or image, told apart by
their first bytes); or a ``WorkInput``."""


def as_work(value: WorkLike, role: Role, name: str | None = None) -> WorkInput:
    """Turn what the caller gave into a ``WorkInput`` (read and checked now)."""
    from analysis.works import work_from_bytes, work_from_path, work_from_text

    if isinstance(value, WorkInput):
        return value.model_copy(update={"role": role})
    if isinstance(value, Path):
        return work_from_path(role, value)
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        return work_from_bytes(role, name or _default_name(data, role), data)
    if isinstance(value, str):
        if _looks_like_path(value):
            return work_from_path(role, value)
        return work_from_text(role, value, name=name or PASTED)
    raise TypeError(f"a work is a path, bytes, text or WorkInput, not {type(value).__name__}")


def _looks_like_path(s: str) -> bool:
    import os

    from analysis import formats

    if not s or "\n" in s or len(s) > 4096:
        return False
    if Path(s).is_file():
        return True
    # a name with a known extension or a folder separator, and no spaces around: meant as a path
    return s == s.strip() and (formats.lookup(s) is not None or os.sep in s) and len(s.split()) == 1


def _default_name(data: bytes, role: Role) -> str:
    from analysis import formats

    return f"{role} image" if formats.looks_like_image(data[:16]) else f"{role} text"


def compare(
    generated: WorkLike,
    source: WorkLike,
    *,
    min_words: int | None = None,
    device: str = "auto",
    text_model: str | None = None,
    image_model: str | None = None,
    progress: ProgressCallback | None = None,
    embedder: Any = None,
    exclude_quotations: bool = False,
) -> ComparisonReport:
    """Measure how a generated work relates to a suspected source: two texts or two images.

    Each work may be a path, a file's bytes, the text itself or a ``WorkInput``. Returns the
    ``ComparisonReport`` (passages or regions, metrics, the facts the four factors read, and
    the audit trail). ``progress(fraction, message)`` is called as the comparison runs.
    Unusable input raises ``InputError`` with one readable line. ``exclude_quotations``
    (texts): passages the generated text presents as quotation are listed, marked
    ``quoted``, but left out of the shares taken (quoting to comment is criticism's point).
    """
    from analysis.measure.compare import compare_works

    if min_words is not None:
        from analysis.measure.text.compare import check_min_words

        check_min_words(min_words)
    return compare_works(
        as_work(generated, "generated"),
        as_work(source, "source"),
        min_words=min_words,
        device=device,
        text_model=text_model,
        image_model=image_model,
        progress=progress,
        embedder=embedder,
        exclude_quotations=exclude_quotations,
    )


def load_scenario(path: str | Path) -> Scenario:
    """A scenario (the facts of one use) from YAML or JSON, or the answers of a saved analysis."""
    from analysis.assess.scenario import load_scenario as _load
    from analysis.matter import Matter, is_matter_file

    if is_matter_file(path):
        return Matter.open(path).scenario
    return _load(path)


def assess(
    scenario: Scenario | Matter | str | Path,
    evidence: Sequence[ComparisonReport | EvidenceFacts] = (),
    *,
    now: datetime | None = None,
) -> Assessment:
    """Walk the four factors of 17 U.S.C. § 107 for a scenario (or a path to one, or a ``Matter``).

    ``evidence`` (comparison reports or their facts) feeds factor 3 and the substitution part of
    factor 4, never factor 1. Returns the ``Assessment``: each factor's lean with its reasons
    and authorities, the substitution risk, the overall view, the nearest precedents and the
    answers that would change the result.
    """
    from analysis.assess.engine import assess as _assess
    from analysis.matter import Matter

    if isinstance(scenario, (str, Path)):
        from analysis.matter import is_matter_file

        if is_matter_file(scenario):
            scenario = Matter.open(scenario)
        else:
            scenario = load_scenario(scenario)
    if isinstance(scenario, Matter):
        if not evidence and now is None:
            return scenario.assessment
        return _assess(scenario.scenario, [*scenario.current_reports, *evidence], now=now)
    return _assess(scenario, evidence, now=now)


def memo(
    assessment: Assessment | Matter,
    reports: Sequence[ComparisonReport] = (),
    *,
    audience: str | None = None,
    matter: str | None = None,
    reviewer: str | None = None,
    privileged: bool | None = None,
    judge_mode: bool | None = None,
    created: datetime | None = None,
) -> MemoBundle:
    """The memo for an assessment and the reports it used (or for a whole ``Matter``).

    Returns a ``MemoBundle`` with ``.pdf`` (bytes), ``.markdown`` and ``.json`` (str).
    ``audience``: "creator" (default), "counsel" or "student"; ``matter`` is the name printed
    in the header.
    """
    from analysis.matter import Matter
    from analysis.report.memo import build_memo

    if isinstance(assessment, Matter):
        if reports:
            raise TypeError("a Matter's memo uses its own reports; attach others with Matter.attach_report")
        return assessment.build_memo(
            audience=audience,
            matter=matter,
            reviewer=reviewer,
            privileged=privileged,
            judge_mode=judge_mode,
            created=created,
        )
    return build_memo(
        assessment,
        reports,
        audience=audience or "creator",  # type: ignore[arg-type]
        matter=matter,
        reviewer=reviewer,
        privileged=bool(privileged),
        judge_mode=bool(judge_mode),
        created=created,
    )
