"""The memo: what leaves the tool (issue #5).

``build_memo(assessment, reports, audience=…)`` returns a ``MemoBundle`` with the PDF, its
Markdown twin and the analysis as JSON. Modules: ``content`` (what is said, from the
templates in ``templates/memo/``), ``pdf`` and ``markdown`` (how it is drawn), ``markup``
(user text made safe for reportlab), ``fonts`` (embedded fonts and what they cover),
``cli`` (``fairuse memo``). reportlab and Pillow are imported only when a memo is drawn.
"""

from analysis.report.memo import MemoBundle, build_memo

__all__ = ["MemoBundle", "build_memo"]
