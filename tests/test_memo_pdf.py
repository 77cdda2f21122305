"""The PDF memo read back with pypdf: sections in order per audience, the audit record,
metadata and outline, determinism, and a golden first page."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from analysis.assess.models import Assessment
from analysis.report.memo import ATTACHMENT_NAME, build_memo, scenario_sha256
from analysis.report.templates import Audience, load_template
from tests.test_memo_support import (
    FIXED,
    GEN_SHA,
    IMG_GEN_SHA,
    IMG_SRC_SHA,
    LAW_DATE,
    SRC_SHA,
    flat,
    make_assessment,
    make_image_report,
    make_text_report,
    pdf_text,
)

VARIANTS: list[tuple[Audience, bool]] = [("creator", False), ("counsel", False), ("student", False), ("student", True)]


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    return make_assessment()


@pytest.fixture(scope="module")
def memos(assessment):
    reports = [make_text_report(), make_image_report()]
    return {
        (aud, judge): build_memo(
            assessment,
            reports,
            audience=aud,
            judge_mode=judge,
            created=FIXED,
            matter="Matter 2026-17",
            reviewer="J. Doe" if aud == "counsel" else None,
            privileged=aud == "counsel",
        )
        for aud, judge in VARIANTS
    }


def _positions(text: str, needles: list[str]) -> list[int]:
    hay = flat(text)
    out, start = [], 0
    for n in needles:
        i = hay.find(flat(n), start)
        assert i >= 0, f"{n!r} missing (or out of order)"
        out.append(i)
        start = i + 1
    return out


@pytest.mark.parametrize("audience,judge", VARIANTS)
def test_sections_present_in_template_order(memos, audience, judge):
    tpl = load_template(audience)
    headings = [tpl.headings[s] for s in tpl.section_order(judge)]
    pos = _positions(pdf_text(memos[(audience, judge)].pdf), headings)
    assert pos == sorted(pos)


def test_audiences_differ_in_order_and_wording(memos):
    creator = load_template("creator").section_order(False)
    student = load_template("student").section_order(False)
    assert creator[:2] == ["short_answer", "lower_risk"]  # action first
    assert student.index("precedents") < student.index("analysis")  # precedents first (IRAC rule)
    assert load_template("student").section_order(True)[-1] == "court_outcomes"
    assert memos[("creator", False)].pdf != memos[("counsel", False)].pdf


@pytest.mark.parametrize("audience,judge", VARIANTS)
def test_outline_has_one_entry_per_section_in_order(memos, audience, judge):
    reader = PdfReader(io.BytesIO(memos[(audience, judge)].pdf))
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    tpl = load_template(audience)
    assert top == [tpl.headings[s] for s in tpl.section_order(judge)]
    assert any(isinstance(o, list) for o in reader.outline), "subsections nest under their section"


def test_metadata(memos):
    meta = PdfReader(io.BytesIO(memos[("counsel", False)].pdf)).metadata
    assert meta is not None
    assert meta.title == "Fair-use memo: Matter 2026-17"
    assert meta.author == "J. Doe"
    assert meta.subject is not None and "17 U.S.C. § 107" in meta.subject and "counsel" in meta.subject
    assert str(meta["/CreationDate"]).startswith("D:20261120093000")
    meta_creator = PdfReader(io.BytesIO(memos[("creator", False)].pdf)).metadata
    assert meta_creator is not None and meta_creator.author is not None
    assert meta_creator.author.startswith("fairuse ")


def test_appendix_has_hashes_law_date_versions_and_scenario(memos, assessment):
    text = pdf_text(memos[("counsel", False)].pdf)
    appendix = flat(text)[flat(text).find(flat("Appendix A")) :]
    for digest in (GEN_SHA, SRC_SHA, IMG_GEN_SHA, IMG_SRC_SHA, scenario_sha256(assessment)):
        assert digest in appendix
    assert LAW_DATE in appendix
    assert flat("fairuse 0.1.0") in appendix
    assert "all-MiniLM-L6-v2" in appendix and "device" in appendix
    assert flat("Reviewer") in appendix and "J.Doe" in appendix
    # the machine-readable parts are an attached JSON file, not pages of raw JSON (issue #12)
    assert "TEXT_MIN_WORDS" not in appendix and '"title":' not in appendix
    attached = PdfReader(io.BytesIO(memos[("counsel", False)].pdf)).attachments
    assert list(attached) == [ATTACHMENT_NAME]
    record = json.loads(attached[ATTACHMENT_NAME][0])
    assert record == json.loads(memos[("counsel", False)].json)  # the same record as the JSON twin
    assert "TEXT_MIN_WORDS" in record["reports"][0]["thresholds"]
    assert record["assessment"]["scenario"]["title"] == "Short story drafted with a chat model"


def test_header_footer_on_every_page(memos):
    reader = PdfReader(io.BytesIO(memos[("counsel", False)].pdf))
    n = len(reader.pages)
    assert n >= 3
    for i, page in enumerate(reader.pages, 1):
        t = flat(page.extract_text())
        assert flat("Matter 2026-17") in t
        assert "2026-11-20" in t
        assert flat("Not legal advice") in t
        assert flat(f"Page {i} of") in t and t.count(flat(f"of{n}")) >= 1, f"page {i}: {t[-80:]}"
        assert flat("Privileged & Confidential — prepared at the direction of counsel") in t


def test_privileged_banner_only_when_asked(memos):
    assert "Privileged" not in pdf_text(memos[("creator", False)].pdf)


def test_short_answer_and_analysis_content(memos):
    text = flat(pdf_text(memos[("counsel", False)].pdf))
    assert flat("Leans against fair use") in text
    for n in (1, 2, 3, 4):
        assert flat(f"Factor {n}:") in text
    # citations come from the case library, never invented
    assert flat("Campbell v. Acuff-Rose Music, Inc., 510 U.S. 569") in text
    assert "unknownauthority" not in text
    # precedents with each court's factor findings
    assert flat("Salinger v. Colting") in text and flat("1: against") in text
    # what would lower the risk names the passage and the region
    assert flat("Rewrite:") in text and flat("passage 1 (26 words") in text
    assert flat("18 % of the generated image") in text
    # copied words marked, with a legend that does not rely on colour
    assert flat("set in bold and underlined") in text


def test_judge_mode_moves_outcomes_to_the_appendix(memos):
    text = flat(pdf_text(memos[("student", True)].pdf))
    outcomes_at = text.find(flat("Appendix B: how the courts decided"))
    assert outcomes_at > 0
    assert text.find(flat("Not fair use")) > outcomes_at
    normal = flat(pdf_text(memos[("student", False)].pdf))
    assert normal.find(flat("Not fair use")) < normal.find(flat("Application: the four factors"))


def test_deterministic_bytes_for_same_inputs(assessment):
    reports = [make_text_report(), make_image_report()]
    a = build_memo(assessment, reports, audience="counsel", created=FIXED, privileged=True)
    b = build_memo(assessment, reports, audience="counsel", created=FIXED, privileged=True)
    assert a.pdf == b.pdf and a.markdown == b.markdown and a.json == b.json


GOLDEN_FIRST_PAGE_START = """Matter 2026-17
 2026-11-20 · counsel triage memo
 Privileged & Confidential — prepared at the direction of counsel
Not legal advice. Generated by fairuse; a lawyer should review before you rely on it.
Page 1 of
8
Fair-use memo: Matter 2026-17
Prepared 2026-11-20 · law as of 2026-11-01 · reviewer: J. Doe · jurisdiction: 9th Cir.
Triage memo under 17 U.S.C. § 107, for review by counsel."""


def test_golden_first_page(memos):
    first = PdfReader(io.BytesIO(memos[("counsel", False)].pdf)).pages[0].extract_text()
    assert first.startswith(GOLDEN_FIRST_PAGE_START), first[:400]
    assert flat(
        "I. Question presented Is the use of “The Call of the Wild” in “The Sled Dog”, for entertainment, AI output, "
        "a fair use under 17 U.S.C. § 107?"
    ) in flat(first)


def test_json_twin_round_trips(memos, assessment):
    data = json.loads(memos[("counsel", False)].json)
    assert data["memo"]["audience"] == "counsel" and data["memo"]["law_as_of"] == LAW_DATE
    assert Assessment.model_validate(data["assessment"]) == assessment
    assert {r["kind"] for r in data["reports"]} == {"text", "image"}
    assert data["memo"]["input_hashes"][0]["sha256"] == scenario_sha256(assessment)


def test_markdown_twin_has_the_same_sections(memos):
    md = memos[("student", True)].markdown
    tpl = load_template("student")
    heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert heads == [tpl.headings[s] for s in tpl.section_order(True)]
    assert "**Buck did not read the newspapers" in md  # copied words marked without colour
    assert GEN_SHA in md and LAW_DATE in md


def test_memo_without_evidence(assessment):
    bundle = build_memo(assessment, [], audience="creator", created=FIXED)
    text = flat(pdf_text(bundle.pdf))
    assert flat("No comparison report was attached") in text
    assert flat("No model was used") in text


def test_unknown_audience_is_an_input_error(assessment):
    from analysis.errors import InputError

    with pytest.raises(InputError, match="unknown audience"):
        build_memo(assessment, audience="judge")  # type: ignore[arg-type]


def test_mark_shared_marks_copied_runs_not_lone_short_words():
    from analysis.report.content import mark_shared

    left, right = mark_shared("the dog ran to the big house and slept", "a cat went to a big house and barked")
    assert [(s.text, s.marked) for s in left] == [
        ("the dog ran to the ", False),
        ("big house and", True),
        (" slept", False),
    ]
    assert "".join(s.text for s in right) == "a cat went to a big house and barked"
    whole, _ = mark_shared("Call me Ishmael.", "Call me Ishmael.")
    assert all(s.marked for s in whole)


def test_truncate_counts_what_was_left_out():
    from analysis.report.content import truncate

    kept, left = truncate("word " * 300, 600)
    assert len(kept) <= 600 and left == 1500 - len(kept)
    assert truncate("short", 600) == ("short", 0)


def test_region_map_locates_the_matched_region(memos):
    text = flat(pdf_text(memos[("counsel", False)].pdf))
    assert flat("in the generated image, x 100–400, y 50–260 pixels; in the source, x 10–300, y 10–200") in text


def test_judge_mode_is_ignored_outside_the_student_memo(assessment):
    bundle = build_memo(assessment, [], audience="counsel", judge_mode=True, created=FIXED)
    assert flat("Not fair use") in flat(pdf_text(bundle.pdf))  # outcomes still shown
