"""fairuse: a fair-use four-factor analysis assistant, as a library.

    from analysis import compare, assess, memo, load_scenario, Matter

    report = compare("generated.txt", "source.txt")        # paths, bytes or text
    result = assess(load_scenario("scenario.yaml"), [report])
    bundle = memo(result, [report], audience="counsel")     # .pdf, .markdown, .json

A whole analysis (works, answers with their origin, reports, memo options, notes) is a
``Matter``, saved as the same ``.fairuse.json`` file the app and the CLI read and write.

The pipeline reads from the folder names:

    analysis/ingest   -> read and normalise the works (text, images)
    analysis/measure  -> compare them with real models (text, image)
    analysis/assess   -> walk the four factors of 17 U.S.C. § 107, find precedents
    analysis/report   -> export the memo (PDF, Markdown, JSON)

Importing ``analysis`` is light: the names below are loaded on first use, and heavy libraries
(torch, transformers, cv2) only inside the functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # functions ("assess" is below: it shares its name with the analysis.assess package)
    "compare": "analysis.api",
    "memo": "analysis.api",
    "load_scenario": "analysis.api",
    # the analysis object and its parts
    "Matter": "analysis.matter",
    "MemoOptions": "analysis.matter",
    "Answer": "analysis.matter",
    "WhatIf": "analysis.matter",
    "Prefill": "analysis.matter",
    "WorkInput": "analysis.works",
    "Scenario": "analysis.assess.scenario",
    # results
    "ComparisonReport": "analysis.evidence",
    "EvidenceFacts": "analysis.evidence",
    "Assessment": "analysis.assess.models",
    "FactorFinding": "analysis.assess.models",
    "MemoBundle": "analysis.report.memo",
    # errors
    "FairUseError": "analysis.errors",
    "InputError": "analysis.errors",
}

__all__ = [
    "Answer",
    "Assessment",
    "ComparisonReport",
    "EvidenceFacts",
    "FactorFinding",
    "FairUseError",
    "InputError",
    "Matter",
    "MemoBundle",
    "MemoOptions",
    "Prefill",
    "Scenario",
    "WhatIf",
    "WorkInput",
    "__version__",
    "assess",
    "compare",
    "load_scenario",
    "memo",
]  # the names in _EXPORTS, "assess" and the version (a test checks they agree)


class _AssessEntry:
    """``analysis.assess``: call it to assess a scenario (``analysis.api.assess``); its
    attributes are those of the ``analysis.assess`` package (``analysis.assess.engine`` …).

    Python sets a subpackage as an attribute of its parent when it is imported, which would
    hide the function behind the package of the same name; this one object is both.
    """

    def __init__(self, package: Any) -> None:
        self._package = package

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from analysis.api import assess

        return assess(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._package, name)

    def __dir__(self) -> list[str]:
        return dir(self._package)

    def __repr__(self) -> str:
        return "<function analysis.assess (and the analysis.assess package)>"

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        from analysis.api import assess

        return assess.__doc__

    @property
    def __signature__(self) -> Any:
        import inspect

        from analysis.api import assess

        return inspect.signature(assess)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # for type checkers and editors; never run
    from analysis.api import assess, compare, load_scenario, memo
    from analysis.assess.models import Assessment, FactorFinding
    from analysis.assess.scenario import Scenario
    from analysis.errors import FairUseError, InputError
    from analysis.evidence import ComparisonReport, EvidenceFacts
    from analysis.matter import Answer, Matter, MemoOptions, Prefill, WhatIf
    from analysis.report.memo import MemoBundle
    from analysis.works import WorkInput
else:
    import analysis.assess as _assess_package  # an empty package: importing it costs nothing

    assess = _AssessEntry(_assess_package)
