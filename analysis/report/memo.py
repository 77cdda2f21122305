"""The memo's entry point: ``build_memo(assessment, reports, audience=…) -> MemoBundle``.

One analysis, three outputs that say the same thing: the PDF (what leaves the tool and is
filed or handed in), its Markdown twin (screen readers, editing) and the analysis as JSON
(assessment + comparison reports + memo options: everything needed to reproduce it).
For the same inputs and ``created`` the three are byte-identical (reportlab ``invariant=1``),
so a golden test can pin the text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

from analysis import __version__, figures
from analysis.assess.models import Assessment
from analysis.evidence import ComparisonReport, HashedFile
from analysis.report.blocks import MemoDoc, Para, segs
from analysis.report.content import MemoBuilder, MemoOptions
from analysis.report.markup import MarkupWriter, RenderIssues, notation
from analysis.report.templates import MemoTemplate, load_template


@dataclass(frozen=True)
class MemoBundle:
    """The memo in its three forms, plus what the fonts could not show."""

    pdf: bytes
    markdown: str
    json: str
    audience: str
    title: str
    rendering_notes: list[str] = field(default_factory=list)
    characters_not_shown: bool = False  # some characters are code points or unembedded in the PDF


def scenario_sha256(assessment: Assessment) -> str:
    """SHA-256 of the scenario as canonical JSON (sorted keys), so a memo built from objects
    rather than files still records which facts it rests on."""
    data = assessment.scenario.model_dump(mode="json", exclude_none=True)
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ).hexdigest()


def build_memo(
    assessment: Assessment,
    reports: Sequence[ComparisonReport] = (),
    *,
    audience: Literal["creator", "counsel", "student"] = "creator",
    matter: str | None = None,
    reviewer: str | None = None,
    privileged: bool = False,
    judge_mode: bool = False,
    created: datetime | None = None,
    input_files: Sequence[HashedFile | tuple[str, str, str]] = (),
    notes: Mapping[str, str] | None = None,
) -> MemoBundle:
    """Build the memo for one assessment and the comparison reports it used.

    ``input_files`` adds (role, file name, SHA-256) rows to the appendix's hash table, e.g. the
    scenario and report files the CLI read. ``created`` fixes the memo's date (tests, re-issues);
    naive datetimes are taken as UTC.
    """
    from analysis.report.fonts import font_set
    from analysis.report.pdf import render_pdf

    tpl = load_template(audience)
    # only a template with a "you be the judge" order can hide outcomes (and then show them in
    # its appendix); elsewhere the flag would hide the courts' outcomes altogether
    judge_mode = bool(judge_mode and tpl.judge_mode_sections)
    created = (created or datetime.now(timezone.utc)).replace(microsecond=0)
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    options = MemoOptions(
        audience=audience,
        matter=matter,
        reviewer=reviewer,
        privileged=privileged,
        judge_mode=judge_mode,
        created=created,
    )
    hashes = [
        HashedFile("scenario (canonical JSON)", "—", scenario_sha256(assessment)),
        *(HashedFile(*f) for f in input_files),
    ]
    if notes is None:  # a scenario file may carry the author's view per factor
        notes = assessment.scenario.author_notes or {}
    author_notes = {k: v for k, v in notes.items() if v and v.strip()}
    doc = MemoBuilder(assessment, list(reports), tpl, options, hashes, notes=author_notes).build()

    fonts = font_set()
    issues = RenderIssues()
    scanner = MarkupWriter(fonts, issues)
    for text in doc.texts():
        scanner.scan(text)
    render_notes = rendering_notes(issues, fonts.descriptions, tpl)
    _fill_placeholder(doc, render_notes)

    pdf = render_pdf(
        doc,
        MarkupWriter(fonts, RenderIssues()),
        created,
        keywords=f"fair use; 17 U.S.C. § 107; {tpl.audience_label}; law as of {assessment.law_as_of}",
    )
    from analysis.report.markdown import render_markdown

    markdown = render_markdown(doc)
    payload = {
        "memo": {
            "tool": "fairuse",
            "tool_version": __version__,
            "audience": audience,
            "matter": matter,
            "reviewer": reviewer,
            "privileged": privileged,
            "judge_mode": judge_mode,
            "created": created.isoformat(),
            "law_as_of": assessment.law_as_of,
            "input_hashes": [f._asdict() for f in hashes],
            "rendering_notes": render_notes,
            "author_notes": author_notes,
            # the headline figure of each report, exactly as the memo and the app word it
            "headlines": [h.as_dict() if h else None for h in (figures.headline(r) for r in reports)],
        },
        "assessment": assessment.model_dump(mode="json"),
        "reports": [r.model_dump(mode="json") for r in reports],
    }
    json_text = json.dumps(payload, indent=2, ensure_ascii=False)
    pdf = attach_json(pdf, json_text)
    return MemoBundle(
        pdf=pdf,
        markdown=markdown,
        json=json_text,
        audience=audience,
        title=doc.title,
        rendering_notes=render_notes,
        characters_not_shown=bool(issues.not_covered or issues.controls or issues.rtl or issues.cjk_not_embedded),
    )


ATTACHMENT_NAME = "fairuse-analysis.json"
"""The JSON twin, embedded in the PDF as a file attachment (counsel's machine-readable record)."""


def attach_json(pdf: bytes, json_text: str) -> bytes:
    """The PDF with the analysis JSON embedded as a file attachment (same bytes for the same input)."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.add_attachment(ATTACHMENT_NAME, json_text.encode("utf-8"))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def rendering_notes(issues: RenderIssues, font_descriptions: list[str], tpl: MemoTemplate) -> list[str]:
    """Plain sentences saying which fonts were used and what could not be shown as entered."""
    used = font_descriptions[:1] + (font_descriptions[1:] if issues.cjk_used else [])
    notes = [tpl.t("render_fonts", fonts="; ".join(used))]
    if issues.not_covered:
        chars = ", ".join(notation(c) for c in sorted(issues.not_covered)[:60])
        more = len(issues.not_covered) - 60
        notes.append(tpl.t("render_not_covered", chars=chars + (f" and {more} more" if more > 0 else "")))
    if issues.controls:
        notes.append(tpl.t("render_controls", chars=", ".join(notation(c) for c in sorted(issues.controls)[:40])))
    if issues.rtl:
        notes.append(tpl.t("render_rtl"))
    if issues.cjk_not_embedded:
        notes.append(tpl.t("render_cjk"))
    if len(notes) == 1:
        notes.append(tpl.t("render_all"))
    return notes


def _fill_placeholder(doc: MemoDoc, notes: list[str]) -> None:
    for i, b in enumerate(doc.blocks):
        if b is doc.notes_slot:
            doc.blocks[i : i + 1] = [Para(segs(n), style="small") for n in notes]
            return
