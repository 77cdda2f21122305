"""``fairuse compare`` on images, as a user runs it: real files, the sample as a real subprocess
and the rest in this process, every bad input answered with one line and exit status 2."""

from __future__ import annotations

import io
import subprocess

import cv2
import numpy as np
import pytest
from PIL import Image

from analysis.evidence import ComparisonReport
from analysis.samples import list_samples
from benchmarks.imagegen import synthetic
from tests.cli_helpers import one_line_error, run_cli, run_cli_here


def _run(*args: str, env_extra: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return run_cli_here("compare", *args, env_extra=env_extra, timeout=timeout)


def test_compare_image_sample_prints_summary_and_writes_json(tmp_path):
    case = next(c for c in list_samples("image") if c.id == "image-pasted-region")
    out = tmp_path / "report.json"
    r = run_cli("compare", str(case.generated_path), str(case.source_path), "--json", str(out), "--device", "cpu")
    assert r.returncode == 0, r.stderr
    assert "Image comparison:" in r.stdout and "partial copy" in r.stdout
    assert "Copied region:" in r.stdout and "deep_embedding  not computed" in r.stdout
    rep = ComparisonReport.load(out)
    assert rep.image is not None
    assert rep.kind == "image" and rep.facts.copy_kind == "partial_copy"
    assert rep.image.region is not None and rep.image.figures


@pytest.mark.slow
def test_bad_image_inputs_one_line_exit_2(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(synthetic.shapes(1, (128, 128))).save(good)
    buf = io.BytesIO()
    Image.fromarray(synthetic.shapes(2, (128, 128))).save(buf, format="JPEG")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a picture at all")
    svg = tmp_path / "drawing.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    heic = tmp_path / "photo.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    dot = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(dot)
    anim = tmp_path / "anim.gif"
    frames = [Image.fromarray(synthetic.gradient(i, (64, 64))) for i in range(3)]
    frames[0].save(anim, save_all=True, append_images=frames[1:], duration=100, loop=0)

    assert "truncated" in one_line_error(_run(str(truncated), str(good)))
    assert "not an image" in one_line_error(_run(str(fake), str(good)))
    assert "SVG" in one_line_error(_run(str(svg), str(good)))
    assert "HEIC" in one_line_error(_run(str(good), str(heic)))
    assert "too small" in one_line_error(_run(str(dot), str(good)))
    assert "animated" in one_line_error(_run(str(anim), str(good)))
    assert "over the limit" in one_line_error(
        _run(str(good), str(good), env_extra={"FAIRUSE_MAX_IMAGE_PIXELS": "1000"})
    )


@pytest.mark.slow
def test_missing_image_model_exit_3(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(synthetic.shapes(1, (128, 128))).save(good)
    r = _run(str(good), str(good), "--image-model", str(tmp_path / "no-such-model"))
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr and "no such file or folder" in r.stderr


@pytest.mark.parametrize("case", list_samples("image"), ids=lambda c: c.id)
def test_sample_expected_findings(case):
    from analysis.measure.image.compare import compare_image_paths

    rep = compare_image_paths(case.generated_path, case.source_path, device="cpu")
    assert rep.image is not None
    exp = case.expected
    sig = {s.name: s for s in rep.image.signals}
    region = rep.image.region
    assert rep.facts.copy_kind == exp["copy_kind"], rep.summary
    if "min_source_area_share" in exp:
        assert rep.facts.share_of_source_taken >= exp["min_source_area_share"]
    if "max_source_area_share" in exp:
        assert rep.facts.share_of_source_taken <= exp["max_source_area_share"]
    if "min_generated_area_share" in exp:
        assert rep.facts.share_of_generated_copied >= exp["min_generated_area_share"]
    if "max_generated_area_share" in exp:
        assert rep.facts.share_of_generated_copied <= exp["max_generated_area_share"]
    if "min_inliers" in exp:
        assert region is not None and region.inliers >= exp["min_inliers"]
    if "max_inliers" in exp:
        assert sig["region_copy"].value <= exp["max_inliers"]
    if "min_style_similarity" in exp:
        assert rep.facts.style_similarity >= exp["min_style_similarity"]
    if "max_phash_distance" in exp:
        assert sig["near_duplicate"].value <= exp["max_phash_distance"]
    if exp.get("mirrored"):
        assert "mirrored" in str(sig["near_duplicate"].detail["transform"])
        assert region is None or region.mirrored
    # the sample's scenario accepts the measured facts
    assert case.scenario.with_evidence([rep.facts]).evidence[-1].copy_kind == exp["copy_kind"]


def test_compare_figures_writes_pngs_through_the_output_plan(tmp_path):
    """``fairuse compare GEN SRC --figures DIR``: the report's PNGs as files, never over an
    input, an existing file replaced only with --force, a file where the folder goes refused."""
    src = synthetic.painting(7, (320, 320))
    gen = np.full((320, 400, 3), 235, np.uint8)
    gen[40:280, 60:300] = cv2.resize(src[40:280, 40:280], (240, 240), interpolation=cv2.INTER_AREA)
    gpath, spath = tmp_path / "gen.png", tmp_path / "src.png"
    Image.fromarray(gen).save(gpath)
    Image.fromarray(src).save(spath)
    figs = tmp_path / "out" / "figs"  # a new folder, parents too

    r = _run(str(gpath), str(spath), "--figures", str(figs), "--device", "cpu")
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in figs.iterdir())
    assert written == ["overlay.png", "side_by_side.png"], written
    assert f"Figures written to {figs}" in r.stdout
    for name in written:
        with Image.open(figs / name) as im:
            assert im.format == "PNG" and im.width > 100 and im.height > 100
    before = (figs / "side_by_side.png").read_bytes()

    again = one_line_error(_run(str(gpath), str(spath), "--figures", str(figs)))
    assert "already exists" in again and "--force" in again
    assert (figs / "side_by_side.png").read_bytes() == before  # refused before any work
    r = _run(str(gpath), str(spath), "--figures", str(figs), "--force", "--device", "cpu")
    assert r.returncode == 0, r.stderr

    # an input named like a figure, in the figures folder: never overwritten, even with --force
    inside = figs / "side_by_side.png"
    assert "is the input" in one_line_error(_run(str(inside), str(spath), "--figures", str(figs), "--force"))
    assert inside.read_bytes() == (figs / "side_by_side.png").read_bytes()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert "not a folder" in one_line_error(_run(str(gpath), str(spath), "--figures", str(blocker)))
    assert "is a file" in one_line_error(_run(str(gpath), str(spath), "--figures", str(blocker / "sub")))
    assert blocker.read_text() == "x"
