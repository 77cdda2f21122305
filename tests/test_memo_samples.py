"""Memos built from the project's real parts: the sample cases' scenarios through the real
four-factor engine, and a real image comparison (the image engine's figures embedded)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.assess.engine import assess
from analysis.report.memo import build_memo
from analysis.report.templates import load_template
from analysis.samples import list_samples
from tests.test_memo_support import FIXED, flat, pdf_text

SAMPLES = list_samples()


def test_the_sample_cases_are_installed():
    assert {c.kind for c in SAMPLES} == {"text", "image"}, "the memos below would test nothing"


@pytest.mark.parametrize("case", SAMPLES, ids=lambda c: c.id)
def test_memo_for_each_sample_case_scenario(case):
    assessment = assess(case.scenario, [])
    for audience in ("creator", "counsel", "student"):
        bundle = build_memo(assessment, [], audience=audience, created=FIXED)
        text = flat(pdf_text(bundle.pdf))
        tpl = load_template(audience)
        for sid in tpl.section_order(False):
            assert flat(tpl.headings[sid]) in text
        assert "unknownauthority" not in text


def test_memo_with_a_real_image_comparison(tmp_path: Path):
    pytest.importorskip("analysis.measure.image.compare")
    from PIL import Image
    from skimage import data

    from analysis.measure.compare import compare_paths

    src = Image.fromarray(data.astronaut())
    src.save(tmp_path / "source.png")
    gen = Image.new("RGB", (640, 480), (30, 60, 120))
    gen.paste(src.crop((100, 50, 400, 350)), (250, 100))
    gen.save(tmp_path / "generated.png")
    report = compare_paths(tmp_path / "generated.png", tmp_path / "source.png", device="cpu")
    from analysis.assess.scenario import Scenario

    scenario = Scenario.model_validate(
        {"title": "Poster on a portrait", "use": {"commercial": "commercial", "purposes": ["advertising"]}}
    )
    bundle = build_memo(assess(scenario, [report]), [report], audience="counsel", created=FIXED)
    reader = PdfReader(io.BytesIO(bundle.pdf))
    assert report.image is not None
    figures = report.image.figures
    assert figures, "the image engine drew no figure of the pasted region"
    shown = min(len(figures), load_template("counsel").limits.figures)
    assert sum(len(p.images) for p in reader.pages) == shown  # every figure the template shows, as an image
    text = flat(pdf_text(bundle.pdf))
    for rec in report.inputs:
        assert rec.sha256 in text
    assert flat("Change the image:") in text
